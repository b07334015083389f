"""Vectorised kernels that mirror ``xuedai.core`` over whole portfolios, and the DB I/O around them.

ARCHITECTURE.md "batch compute": NumPy over columns, PostgreSQL COPY in and out, never an ORM object
per loan. Every kernel works in integer fen (``int64``) with rates scaled to integers
(:data:`xuedai.batch.exact.RATE_SCALE`), keeps interest exact as a quotient and remainder, and rounds
half-up to the fen once — exactly where the core's :class:`~xuedai.core.interest.Accrual` rounds —
so a kernel equals the scalar core fen for fen (``tests/batch`` proves it on random portfolios).

- :mod:`.exact`     scales, Decimal ↔ integer conversion, exact ``a × b / d`` with one rounding
- :mod:`.dates`     day numbers, calendar fields, PBOC whole-year weights, month-day counting
- :mod:`.settle`    annual settlement: 贴息 / borrower interest split, default principal plan
- :mod:`.penalty`   penalty (罚息) and compound (复利) interest on overdue amounts
- :mod:`.classify`  five-tier classification, seed rule and 2023 rule
- :mod:`.io`        COPY out of and into PostgreSQL, set-based balance refresh
- :mod:`.deduct`    the 扣款明细表 as CSV at scale
"""


def __getattr__(name: str):
    # ``loans.fastpath.settlement_kernel`` looks for ``xuedai.batch.loans_settlement``; importing it
    # lazily keeps the kernels free of Django.
    if name in ("loans_settlement", "loans_classification", "loans_deduction_files"):
        from xuedai.batch import runs

        return getattr(runs, name)
    raise AttributeError(name)
