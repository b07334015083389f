"""Loan accounts, the append-only ledger, settlement, repayment, deduction runs (DOMAIN.md §4)."""
