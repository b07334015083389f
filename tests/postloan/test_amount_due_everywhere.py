"""One answer to "what do I owe": every page, card, PDF and reminder says the same amount, day,
deposit day and channel for the same student (loans.amount_due; DOMAIN.md §1, §4, §9).

Each surface is read back as the student or the office gets it — the pages' HTML, the PDFs' text,
the reminder's text — and compared with the others; any two disagreeing fails the test."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.web.helpers import login
from xuedai.documents.amounts import money
from xuedai.documents.checks import pdf_text
from xuedai.documents.context import cn_date
from xuedai.loans.amount_due import borrower_due
from xuedai.postloan.documents.card import reminder_card_pdf
from xuedai.postloan.documents.letters import repayment_letter_pdf, summary_rows
from xuedai.postloan.models import CampaignKind
from xuedai.postloan.reminders.campaigns import compose

from .ledger_world import disbursed

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
FIELDS = ("due-on", "due-total", "due-interest", "due-principal", "deposit-by", "overdue")


def _blocks(html: str) -> list[dict]:
    """Every loans/_due.html block on a page: its id (if any) and what it says is due."""
    found = []
    for tag in re.findall(r'<div class="due-block"[^>]*>', html):
        block = {name: re.search(rf'data-{name}="([^"]*)"', tag).group(1) for name in FIELDS}
        block["id"] = (re.search(r' id="([^"]+)"', tag) or [None, None])[1]
        found.append(block)
    return found


def _said(due) -> dict:
    n = due.next
    return {"due-on": n.on.isoformat(), "due-total": f"{n.total:,.2f}", "due-interest": f"{n.interest:,.2f}",
            "due-principal": f"{n.principal:,.2f}", "deposit-by": n.deposit_by.isoformat(),
            "overdue": f"{due.overdue.total:,.2f}" if due.overdue else ""}


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def student(world):
    """A graduate with two contracts of the seed version, both overdue since 2025-12-20."""
    borrower = world.graduate(contracts=0)
    first, _ = disbursed(world, borrower)
    second, _ = disbursed(world, borrower, academic_year=2023, amount="8000.00")
    return borrower, [first, second]


def test_every_student_page_says_the_same(student, client):
    borrower, contracts = student
    login(client, borrower.user)
    due = borrower_due(borrower, TODAY)
    whole = _said(due)
    pages = {name: client.get(reverse(name)).content.decode()
             for name in ("home", "postloan:my_loans", "calculator:my_plan")}
    said = {name: [b for b in _blocks(html) if b["id"] in ("year-due", "plan-due")]
            for name, html in pages.items()}
    for name, blocks in said.items():
        assert len(blocks) == 1, name
        assert {k: blocks[0][k] for k in FIELDS} == whole, name
    # Each contract: its own page and its block on the calculator's page say the contract's share.
    calculator = [b for b in _blocks(pages["calculator:my_plan"]) if b["id"] is None]
    for contract, part, on_calculator in zip(contracts, due.contracts, calculator, strict=True):
        page = client.get(reverse("postloan:my_contract", args=[contract.pk])).content.decode()
        [block] = [b for b in _blocks(page) if b["id"] == "contract-due"]
        assert {k: block[k] for k in FIELDS} == {k: on_calculator[k] for k in FIELDS} == _said(part)
        assert part.channel.where in page and part.channel.where in pages["postloan:my_loans"]
    assert sum(p.next.total for p in due.contracts) == due.next.total


def test_the_card_the_letter_the_summary_and_the_reminder_say_the_same(student, client):
    borrower, _ = student
    due = borrower_due(borrower, TODAY)
    n = due.next
    card = _flat(pdf_text(reminder_card_pdf(borrower, TODAY)))
    assert f"{cn_date(n.on)}{money(n.total)}{cn_date(n.deposit_by)}" in card
    assert _flat(due.channels[0].where) in card and f"当前逾期应还{money(due.overdue.total)}元" in card
    letter = _flat(pdf_text(repayment_letter_pdf(borrower, TODAY)))
    assert (f"{cn_date(n.on)}{money(n.interest)}{money(n.principal)}{money(n.total)}{cn_date(n.deposit_by)}"
            in letter)
    assert _flat(due.channels[0].where) in letter
    [row] = summary_rows([borrower], borrower.graduation_year, TODAY)
    assert (row[8], row[9], row[7]) == (n.on, n.total, due.outstanding)
    text, due_on = compose(CampaignKind.ANNUAL_DUE, borrower, TODAY)
    assert due_on == n.on
    assert f"{cn_date(n.on)}应还{money(n.total)}元" in text and f"请于{cn_date(n.deposit_by)}前存入" in text
    # The student downloads the same card from their page.
    login(client, borrower.user)
    mine = _flat(pdf_text(client.get(reverse("postloan:my_card")).content))
    assert f"{cn_date(n.on)}{money(n.total)}{cn_date(n.deposit_by)}" in mine
