"""下次应还 (/postloan/me/loans/) under load (bench/load_web.py): its statements do not grow with the
borrower's contracts — the accounts come with the contracts, the policy versions from
policies.cache, the ledger in one read — and the page says what borrower_due says on its own."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.web.helpers import login
from xuedai.loans.amount_due import borrower_due

from .ledger_world import disbursed

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


def _statements(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("postloan:my_loans"))
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_statements_do_not_grow_with_contracts_and_the_page_agrees_with_borrower_due(world, client):
    borrower = world.graduate(contracts=0)
    disbursed(world, borrower)
    login(client, borrower.user)
    one, _ = _statements(client)
    disbursed(world, borrower, academic_year=2023, amount="8000.00")
    disbursed(world, borrower, academic_year=2024, amount="7000.00")
    three, html = _statements(client)
    assert three == one
    due = borrower_due(borrower, TODAY)  # reads the accounts and versions by itself
    block = re.search(r'<div class="due-block"[^>]*id="year-due"[^>]*>', html).group(0)
    assert f'data-due-total="{due.next.total:,.2f}"' in block
    assert f'data-overdue="{due.overdue.total:,.2f}"' in block
