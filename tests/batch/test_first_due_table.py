"""The settlement batch's first-principal-date table equals the column computation it replaces.

``batch.settle_io.first_due_table`` precomputes ``first_principal_due`` (``loans.terms.principal_from``:
the first settlement day after the self-pay start, moved on by the grace years) for every policy
version and day; ``first_due_lookup`` gathers a chunk's dates from it.
"""

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xuedai.batch import exact
from xuedai.batch.exact import NO_DATE, KernelRangeError
from xuedai.batch.settle_io import first_due_lookup, first_due_table, first_principal_due

# Version ids with gaps (id 2 absent), three settlement days (29 Feb cannot be one: core.daycount.MonthDay),
# grace 0, 2 and 5 years.
VERSIONS = {1: (12, 20, 0), 3: (12, 20, 5), 4: (9, 20, 0), 6: (2, 28, 2)}


def _policies() -> dict[str, np.ndarray]:
    size = max(VERSIONS) + 1
    table = {k: np.zeros(size, dtype=np.int64) for k in ("month", "dom", "grace", "actual_360")}
    for pk, (month, dom, grace) in VERSIONS.items():
        table["month"][pk], table["dom"][pk], table["grace"][pk] = month, dom, grace
    table["one_day"] = np.array((), dtype=np.int64)
    table["first_due"] = first_due_table(table)
    return table


POLICIES = _policies()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(VERSIONS)),
                          st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2150, 12, 31)))),
                min_size=1, max_size=40))
def test_lookup_equals_the_column_computation(rows):
    policy = np.array([p for p, _ in rows], dtype=np.int64)
    self_pay = exact.days(d for _, d in rows)
    expected = first_principal_due(self_pay, POLICIES["month"][policy], POLICIES["dom"][policy],
                                   POLICIES["grace"][policy])
    assert first_due_lookup(POLICIES, policy, self_pay).tolist() == expected.tolist()


def test_worked_examples_and_edges():
    day = exact.day
    policy = np.array([1, 1, 3, 4, 6, 1, 3])
    self_pay = np.array([day(dt.date(2019, 9, 1)), day(dt.date(2019, 12, 20)), day(dt.date(2019, 9, 1)),
                         day(dt.date(2019, 9, 20)), day(dt.date(2019, 3, 1)), NO_DATE,
                         day(dt.date(2197, 9, 1))])
    got = [exact.to_date(d) for d in first_due_lookup(POLICIES, policy, self_pay)]
    assert got == [
        dt.date(2019, 12, 20),  # the first 20 Dec after 1 Sep 2019
        dt.date(2020, 12, 20),  # strictly after: a self-pay start on the settlement day waits a year
        dt.date(2024, 12, 20),  # five grace years
        dt.date(2020, 9, 20),
        dt.date(2022, 2, 28),  # 28 Feb 2020, the next 2-28 after 1 Mar 2019, two grace years on
        None,  # self-pay not started: no plan yet
        None,  # beyond the calendar: the same as "after maturity" (everything due at maturity)
    ]


def test_a_self_pay_start_before_the_calendar_is_refused():
    with pytest.raises(KernelRangeError):
        first_due_lookup(POLICIES, np.array([1]), np.array([exact.day(dt.date(1899, 12, 31))]))
