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
- :mod:`.parallel`  a kernel over cache-sized chunks (one thread by default; see its doc)

DB I/O (PostgreSQL; Django only where a job run or the ORM is needed):

- :mod:`.pgbinary`  binary COPY streams ↔ NumPy structured arrays
- :mod:`.io`        COPY out / COPY in / temp table + ``UPDATE … FROM``, postings by kind
- :mod:`.settlement`, :mod:`.classification`, :mod:`.deduct`  one chunk of each batch
- :mod:`.runs`      the batches as jobs: ``loans_settlement``, ``loans_classification``,
                    ``loans_deduction_files``
- :mod:`.portfolio`, :mod:`.tablecopy`, :mod:`.bench`  ``xuedai bench --loans N``
"""


def __getattr__(name: str):
    # ``loans.fastpath.settlement_kernel`` looks for ``xuedai.batch.loans_settlement``; importing it
    # lazily keeps the kernels free of Django.
    if name in ("loans_settlement", "loans_classification", "loans_deduction_files"):
        from xuedai.batch import runs

        return getattr(runs, name)
    raise AttributeError(name)
