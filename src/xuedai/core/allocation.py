"""Which owed amounts a payment pays, in which order (先收息、后还本).

DOMAIN.md §4 Allocation of a payment; seed [002] (先收息、后还本). Order: penalty and compound
interest → overdue interest → overdue principal (oldest first) → interest due that day → principal
due that day. Across a borrower's contracts the same order holds category by category, the oldest
contract first within each category — so no contract's principal is paid while another contract
still owes interest. Money beyond what is owed is left over; the caller keeps it as a credit that
pays the next amounts as they fall due. An allocation never pays more than an amount owes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import IntEnum
from typing import Literal

from xuedai.core.money import ZERO
from xuedai.core.overdue import is_overdue

ItemKind = Literal["penalty", "compound", "interest", "principal"]


class Category(IntEnum):
    """Allocation rank: a lower value is paid first."""

    PENALTY = 0  # 罚息, on overdue principal
    COMPOUND = 1  # 复利, on overdue interest
    OVERDUE_INTEREST = 2
    OVERDUE_PRINCIPAL = 3
    INTEREST_DUE = 4
    PRINCIPAL_DUE = 5


def category_of(kind: ItemKind, due_on: date, on: date) -> Category:
    """Rank of an owed item on day ``on``: interest and principal split by whether they are overdue.

    >>> category_of("principal", date(2021, 12, 20), date(2022, 1, 20)).name
    'OVERDUE_PRINCIPAL'
    """
    if kind == "penalty":
        return Category.PENALTY
    if kind == "compound":
        return Category.COMPOUND
    late = is_overdue(due_on, on)
    if kind == "interest":
        return Category.OVERDUE_INTEREST if late else Category.INTEREST_DUE
    return Category.OVERDUE_PRINCIPAL if late else Category.PRINCIPAL_DUE


@dataclass(frozen=True)
class Owed:
    """One unpaid amount. ``contract_rank``: 0 for the borrower's oldest contract, 1 next, …"""

    kind: ItemKind
    due_on: date
    amount: Decimal
    contract_rank: int = 0
    ref: int = 0  # the caller's key for the item, returned with its share


@dataclass(frozen=True)
class Allocation:
    paid: tuple[tuple[Owed, Decimal], ...]  # items in the order paid, with the amount paid on each
    leftover: Decimal  # what nothing owed could take: the borrower's credit

    @property
    def total_paid(self) -> Decimal:
        return sum((amount for _, amount in self.paid), ZERO)


def allocation_key(item: Owed, on: date) -> tuple[int, int, date, int]:
    return (category_of(item.kind, item.due_on, on), item.contract_rank, item.due_on, item.ref)


def allocate(amount: Decimal, owed: Sequence[Owed], on: date) -> Allocation:
    """Spread a payment of ``amount`` on day ``on`` over what is owed (amounts due after ``on`` are
    not owed yet and are left alone).

    Worked example: on 20 Jan 2022 a borrower owes 9.49 penalty, 339.00 interest overdue since
    20 Dec 2021 and 1500.00 principal overdue; a payment of 1000.00 pays the penalty, the interest
    and 651.51 of the principal; a payment of 2000.00 pays all 1848.49 and leaves 151.51 over.

    >>> owed = [Owed("principal", date(2021, 12, 20), Decimal("1500.00"), ref=1),
    ...         Owed("interest", date(2021, 12, 20), Decimal("339.00"), ref=2),
    ...         Owed("penalty", date(2022, 1, 20), Decimal("9.49"), ref=3)]
    >>> [str(a) for _, a in allocate(Decimal("1000.00"), owed, date(2022, 1, 20)).paid]
    ['9.49', '339.00', '651.51']
    """
    if amount < 0:
        raise ValueError("a payment cannot be negative")
    remaining = amount
    paid: list[tuple[Owed, Decimal]] = []
    for item in sorted(
        (i for i in owed if i.due_on <= on and i.amount > 0), key=lambda i: allocation_key(i, on)
    ):
        if remaining <= 0:
            break
        share = min(item.amount, remaining)
        paid.append((item, share))
        remaining -= share
    return Allocation(tuple(paid), remaining)


def split_across_contracts(amount: Decimal, owed: Sequence[Sequence[Owed]], on: date) -> list[Decimal]:
    """One payment of a borrower spread over his contracts: ``owed[k]`` is contract k's items
    (``owed[0]`` the oldest contract); returns each contract's share, adding up to ``amount``.

    DOMAIN.md §4 Allocation; [002] 先收息、后还本: category by category (penalties, overdue interest,
    overdue principal, interest due, principal due), the oldest contract first within each — so no
    contract's principal is paid while another still owes interest. Money beyond everything owed
    goes to the oldest contract as its credit (it pays that contract's next amounts as they fall due).

    Worked example: contract 0 owes 300 interest and 1000 principal overdue, contract 1 owes 200
    interest overdue and 1000 principal; 1000 paid → contract 0 gets 300 + 500 = 800, contract 1
    gets 200 (its interest before contract 0's principal).

    >>> d = date(2023, 12, 20)
    >>> a = [Owed("interest", d, Decimal(300)), Owed("principal", d, Decimal(1000))]
    >>> b = [Owed("interest", d, Decimal(200)), Owed("principal", d, Decimal(1000))]
    >>> [str(x) for x in split_across_contracts(Decimal(1000), [a, b], date(2024, 1, 20))]
    ['800', '200']
    """
    if not owed:
        raise ValueError("a borrower's payment needs at least one contract")
    items = [Owed(i.kind, i.due_on, i.amount, contract_rank=rank, ref=rank)
             for rank, contract in enumerate(owed) for i in contract]
    result = allocate(amount, items, on)
    shares = [ZERO] * len(owed)
    for item, share in result.paid:
        shares[item.ref] += share
    shares[0] += result.leftover
    return shares
