"""Loan accounts, the append-only ledger, settlement, repayment, deduction runs (issue 3 §2, §3)."""
