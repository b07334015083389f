"""The paper 还款确认书 handed in to the department in May [000 五, 六]: received, and whether it
passed the check that earns the student a 还款提醒卡."""

from django.db import transaction

from xuedai import businessdate
from xuedai.audit.services import audit_record
from xuedai.borrowers.models import Borrower
from xuedai.orgs.models import User

from ..models import LetterRecord
from .common import UNIVERSITY_SIDE, require


@transaction.atomic(durable=True)
def letter_record(*, actor: User, borrower: Borrower, passed: bool, note: str = "") -> LetterRecord:
    require(actor, UNIVERSITY_SIDE, "只有高校或院系经办人可以登记还款确认书。")
    letter, _created = LetterRecord.objects.update_or_create(
        borrower=borrower, graduation_year=borrower.graduation_year,
        defaults={"passed": passed, "note": note[:200], "recorded_by": actor},
        create_defaults={"received_on": businessdate.today(), "passed": passed, "note": note[:200],
                         "recorded_by": actor})
    audit_record(actor=actor, action="repayment_letter_record", obj=letter, subject=borrower,
                 after={"考核合格": "是" if passed else "否", "说明": note})
    return letter
