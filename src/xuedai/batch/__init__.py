"""Vectorised kernels that mirror ``xuedai.core`` over whole portfolios, and the DB I/O around them.

ARCHITECTURE.md "batch compute": NumPy over columns, PostgreSQL COPY in and out, never an ORM object
per loan. Every kernel works in integer fen (``int64``) with rates scaled to integers
(:data:`xuedai.batch.exact.RATE_SCALE`), keeps interest exact as a quotient and remainder, and rounds
half-up to the fen once — exactly where the core's :class:`~xuedai.core.interest.Accrual` rounds —
so a kernel equals the scalar core fen for fen (``tests/batch`` proves it on random portfolios).

Kernels (``*_kernel``: NumPy only, no database):

- :mod:`.exact`            scales, Decimal ↔ integer conversion, exact ``a × b / d`` with one rounding
- :mod:`.dates`            day numbers, calendar fields, PBOC whole-year weights, month-day counting
- :mod:`.settle_kernel`    annual settlement: 贴息 / borrower interest split, default principal plan
- :mod:`.penalty_kernel`   penalty (罚息) and compound (复利) interest on overdue amounts
- :mod:`.classify_kernel`  five-tier classification, seed rule and 2023 rule
- :mod:`.parallel`         a kernel over cache-sized chunks (one thread by default; see its doc)

Database I/O (``*_io``: PostgreSQL, one chunk of a batch in the caller's transaction):

- :mod:`.pgbinary`     binary COPY streams ↔ NumPy structured arrays
- :mod:`.io`           COPY out / COPY in / temp table + ``UPDATE … FROM``, postings by kind, timings
- :mod:`.settle_io`, :mod:`.classify_io`, :mod:`.deduct_io`  one chunk of each batch

- :mod:`.runs`         the batches as jobs (``jobs.runner``): ``loans_settlement``,
                       ``loans_classification``, ``loans_deduction_files``; the loans app passes in
                       its scalar phases, so nothing here imports it
- :mod:`.portfolio`, :mod:`.tablecopy`, :mod:`.bench`  ``xuedai bench --loans N``
"""
