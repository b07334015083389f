"""Pure domain rules of xuedai: money, day count, interest, schedule, overdue, allocation,
classification, early repayment, relief, the contract simulator and ``quote()``.

No Django import anywhere in this package (ARCHITECTURE.md, Layout): it is the scalar reference
the batch kernels and the Django apps are checked against. Each rule cites DOMAIN.md or a seed.
"""
