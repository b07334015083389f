"""Reminder texts: one template per campaign kind under templates/postloan/reminders/.

Contexts carry the borrower's name, dates, amounts, the payment channel and whom to call — never
an identity number or phone number; the rendered text is masked again anyway (defence in depth,
DOMAIN.md §2: texts leave the system through third-party gateways).
"""

import datetime as dt
from decimal import Decimal

from django.template.loader import render_to_string

from xuedai.borrowers.models import Borrower
from xuedai.documents.amounts import money
from xuedai.documents.context import cn_date
from xuedai.identity.masking import mask_value

from ..models import CampaignKind

TEMPLATES = {kind: f"postloan/reminders/{kind}.txt" for kind in CampaignKind.values}


def helpdesk(borrower: Borrower) -> str:
    """Who answers questions about the account: the county centre that signed, else the university."""
    org = borrower.county or borrower.university
    return getattr(org, "name", "") or "学校资助中心"


def base_context(borrower: Borrower, channel: str) -> dict:
    return {"name": borrower.name, "channel": channel, "helpdesk": helpdesk(borrower)}


def amounts(interest: Decimal, principal: Decimal) -> dict:
    return {"amount": money(interest + principal), "interest": money(interest), "principal": money(principal),
            "has_principal": principal > 0}


def day(value: dt.date) -> str:
    # SMS are short: 2026年12月20日 rather than a weekday-laden long form.
    return cn_date(value)


def reminder_text(kind: str, context: dict) -> str:
    text = render_to_string(TEMPLATES[kind], context)
    return mask_value(" ".join(text.split()))
