"""批处理 page: the administrator starts a batch, it runs in the worker (inline in tests), the page
shows its progress; the calendar refuses what a day does not allow."""

import datetime as dt

import pytest

from tests.loans.conftest import make_contract
from tests.web.helpers import login
from xuedai.audit.models import AuditEntry
from xuedai.jobs.models import JobRun, JobStatus
from xuedai.loans.models import Kind, Posting
from xuedai.loans.services import contract_disburse
from xuedai.orgs.models import Role

pytestmark = pytest.mark.django_db
DAY = dt.date(2018, 12, 20)


@pytest.fixture
def admin(province, make_user):
    return make_user(province.centre, Role.ADMIN)


def test_settlement_started_from_the_page_settles_and_shows_done(client, province, admin):
    account = contract_disburse(actor=None, contract=make_contract(province), on=dt.date(2018, 9, 1))
    login(client, admin)
    response = client.post("/daily/batches/", {"kind": "settlement", "on": DAY.isoformat()})
    assert response.status_code == 302
    run = JobRun.objects.get(kind="loans.settlement", business_date=DAY)
    assert run.status == JobStatus.DONE and run.created_by == admin
    assert Posting.objects.filter(account=account, business_date=DAY, kind=Kind.SUBSIDY_INTEREST).exists()
    assert AuditEntry.objects.filter(action="loans.settlement_batch", actor=admin).exists()
    page = client.get("/daily/batches/").content.decode()
    assert "已开始结息" in page and "已完成" in page and "100%" in page
    again = client.post("/daily/batches/", {"kind": "settlement", "on": DAY.isoformat()}, follow=True)
    assert "已完成，不重复运行" in again.content.decode()
    assert Posting.objects.filter(account=account, business_date=DAY, kind=Kind.SUBSIDY_INTEREST).count() == 1


def test_classification_only_at_a_quarter_end(client, admin):
    login(client, admin)
    page = client.post("/daily/batches/", {"kind": "classification", "on": "2018-12-20"}, follow=True)
    assert "五级分类只在季末运行" in page.content.decode()
    assert not JobRun.objects.filter(kind="loans.classification").exists()


def test_only_administrators_start_batches(client, province, make_user):
    login(client, make_user(province.counties[0], Role.OPERATOR))
    assert client.post("/daily/batches/", {"kind": "penalty"}).status_code == 403
