"""Posting kinds and their effect on an account's balances — the contract with ``xuedai.batch``.

Sign convention: ``Posting.amount`` is always > 0 (a CHECK in the database). The direction of a
posting comes from its kind alone, through :data:`EFFECTS`: each kind adds ``sign × amount`` to the
listed balances. A ``reversal`` posting (``reverses_id`` set) has the reversed posting's effects
negated, so a mistaken posting and its reversal sum to nothing. Nothing else moves a balance.

Balances (the cached columns of ``LoanAccount``):

- ``principal_outstanding``   disbursed − principal repaid (贷款余额)
- ``principal_due``           principal fallen due and unpaid (overdue from the end of its due day)
- ``interest_due``            the borrower's interest (自付利息) charged and unpaid (same)
- ``penalty_due``             penalty (罚息) + compound (复利) interest charged and unpaid
- ``credit``                  money paid in beyond what was owed, waiting for the next amounts
- ``subsidy_receivable``      贴息 the state owes for this account
"""

from django.db import models


class Kind(models.TextChoices):
    # Disbursement (DOMAIN.md §3.1 step 7): tuition and accommodation to the university, the rest
    # to the student; one posting per payee so the split is on the ledger.
    DISBURSE_UNIVERSITY = "disburse_university", "放款(学校)"
    DISBURSE_STUDENT = "disburse_student", "放款(学生)"
    # Settlement (DOMAIN.md §4 Settlement, Subsidy split): interest for the period, split by payer.
    SUBSIDY_INTEREST = "subsidy_interest", "贴息(应收财政)"
    SUBSIDY_RECEIVED = "subsidy_received", "贴息到账"
    INTEREST = "interest", "自付利息(应还)"
    PRINCIPAL = "principal", "本金到期(应还)"
    # Penalty (罚息) on overdue principal and compound (复利) on overdue interest, charged (rounded)
    # when a payment is applied (DOMAIN.md §4 Overdue).
    PENALTY = "penalty", "罚息"
    COMPOUND = "compound", "复利"
    # Allocation of a payment, one kind per category of core.allocation.Category (先收息、后还本).
    PAY_PENALTY = "pay_penalty", "还罚息"
    PAY_COMPOUND = "pay_compound", "还复利"
    PAY_OVERDUE_INTEREST = "pay_overdue_interest", "还逾期利息"
    PAY_OVERDUE_PRINCIPAL = "pay_overdue_principal", "还逾期本金"
    PAY_INTEREST = "pay_interest", "还当期利息"
    PAY_PRINCIPAL = "pay_principal", "还当期本金"
    # Money beyond what is owed waits as credit (DOMAIN.md §4 Allocation); applied later.
    CREDIT_IN = "credit_in", "溢缴款转存"
    CREDIT_APPLIED = "credit_applied", "溢缴款抵扣"
    # Relief programmes (DOMAIN.md §1): waivers of interest and penalty; a deferral moves due
    # principal back to not-yet-due.
    WAIVE_INTEREST = "waive_interest", "免除利息"
    WAIVE_PENALTY = "waive_penalty", "免除罚息"
    DEFER_PRINCIPAL = "defer_principal", "本金延期"
    REVERSAL = "reversal", "冲正"


# kind → {balance: sign}
EFFECTS: dict[str, dict[str, int]] = {
    Kind.DISBURSE_UNIVERSITY: {"principal_outstanding": +1},
    Kind.DISBURSE_STUDENT: {"principal_outstanding": +1},
    Kind.SUBSIDY_INTEREST: {"subsidy_receivable": +1},
    Kind.SUBSIDY_RECEIVED: {"subsidy_receivable": -1},
    Kind.INTEREST: {"interest_due": +1},
    Kind.PRINCIPAL: {"principal_due": +1},
    Kind.PENALTY: {"penalty_due": +1},
    Kind.COMPOUND: {"penalty_due": +1},
    Kind.PAY_PENALTY: {"penalty_due": -1},
    Kind.PAY_COMPOUND: {"penalty_due": -1},
    Kind.PAY_OVERDUE_INTEREST: {"interest_due": -1},
    Kind.PAY_INTEREST: {"interest_due": -1},
    Kind.PAY_OVERDUE_PRINCIPAL: {"principal_due": -1, "principal_outstanding": -1},
    Kind.PAY_PRINCIPAL: {"principal_due": -1, "principal_outstanding": -1},
    Kind.CREDIT_IN: {"credit": +1},
    Kind.CREDIT_APPLIED: {"credit": -1},
    Kind.WAIVE_INTEREST: {"interest_due": -1},
    Kind.WAIVE_PENALTY: {"penalty_due": -1},
    Kind.DEFER_PRINCIPAL: {"principal_due": -1},
    Kind.REVERSAL: {},  # the reversed posting's effects, negated
}

BALANCES = ("principal_outstanding", "principal_due", "interest_due", "penalty_due", "credit",
            "subsidy_receivable")

# Kinds whose sum on a day is cash the borrower paid in (reconcile rebuilds core Payments from it):
# cash = Σ PAY_* + CREDIT_IN − CREDIT_APPLIED.
# Kinds the core engine does not produce (money moved by disbursement, the state, or by hand);
# ledger_sync and reconcile leave them out when comparing with the engine.
OUTSIDE_ENGINE = frozenset({Kind.DISBURSE_UNIVERSITY, Kind.DISBURSE_STUDENT, Kind.SUBSIDY_RECEIVED,
                            Kind.DEFER_PRINCIPAL})

PAY_KINDS = frozenset({Kind.PAY_PENALTY, Kind.PAY_COMPOUND, Kind.PAY_OVERDUE_INTEREST,
                       Kind.PAY_OVERDUE_PRINCIPAL, Kind.PAY_INTEREST, Kind.PAY_PRINCIPAL})
