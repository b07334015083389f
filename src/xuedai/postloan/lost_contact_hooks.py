"""What else happens, in the same transaction, when a borrower is flagged 失联 or found again.

The quarter's 关注 designation for 失联 lives in ``reports`` ([004 第七条 (二)]), which sits above
postloan in the import order (tests/test_one_writer.py FLOORS): postloan must not import it. So the
app above registers its actions here from its ``AppConfig.ready`` and the contact services call
whatever is registered. Each action takes ``actor``, ``borrower_id`` and ``note`` keywords.
"""

from __future__ import annotations

from collections.abc import Callable

LostContactAction = Callable[..., object]

ON_LOST: list[LostContactAction] = []   # the borrower was flagged lost
ON_FOUND: list[LostContactAction] = []  # the borrower was reached or traced again


def on_lost(action: LostContactAction) -> None:
    if action not in ON_LOST:
        ON_LOST.append(action)


def on_found(action: LostContactAction) -> None:
    if action not in ON_FOUND:
        ON_FOUND.append(action)


def lost(*, actor, borrower_id: int, note: str) -> None:
    for action in ON_LOST:
        action(actor=actor, borrower_id=borrower_id, note=note)


def found(*, actor, borrower_id: int, note: str) -> None:
    for action in ON_FOUND:
        action(actor=actor, borrower_id=borrower_id, note=note)
