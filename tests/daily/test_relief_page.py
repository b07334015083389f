"""免息延期政策 page: record a notice, preview whom it reaches, apply it; audited."""

import datetime as dt

import pytest

from tests.loans.conftest import make_contract
from tests.web.helpers import login
from xuedai.audit.models import AuditEntry
from xuedai.loans.models import ReliefApplication, ReliefProgramme
from xuedai.loans.services import contract_disburse
from xuedai.orgs.models import Role

pytestmark = pytest.mark.django_db


def test_record_preview_and_apply_a_programme(client, province, make_user):
    admin = make_user(province.centre, Role.ADMIN)
    graduated = make_contract(province)
    graduated.borrower.graduation_date = dt.date(2022, 6, 30)
    graduated.borrower.save(update_fields=["graduation_date"])
    account = contract_disburse(actor=None, contract=graduated, on=dt.date(2018, 9, 1))
    login(client, admin)
    refused = client.post("/daily/relief/", {"name": "", "year": "2024"})
    assert "名称" in refused.content.decode() and not ReliefProgramme.objects.exists()
    created = client.post("/daily/relief/", {"name": "2024年免息及本金延期政策", "year": "2024",
                                             "waive_interest": "on", "waive_penalty": "on"})
    programme = ReliefProgramme.objects.get()
    assert created.url == f"/daily/relief/{programme.pk}/" and not programme.allow_deferral
    assert AuditEntry.objects.filter(action="loans.relief_programme_create", actor=admin).exists()
    query = {"graduation_year": "2022", "on": "2024-11-20"}
    page = client.get(f"/daily/relief/{programme.pk}/", query).content.decode()
    assert 'id="population-count">1<' in page and graduated.contract_no in page
    assert graduated.borrower.id_number not in page  # masked in the list
    client.post(f"/daily/relief/{programme.pk}/", {**query, "defer_principal": "on"})
    assert not ReliefApplication.objects.exists()  # this programme allows no deferral
    client.post(f"/daily/relief/{programme.pk}/", query)
    assert ReliefApplication.objects.filter(account=account, programme=programme).exists()
    assert AuditEntry.objects.filter(action="loans.relief_batch", actor=admin).exists()
