"""No export writes a formula: borrowers named =cmd|' /C calc'!A0, +1, -1+1, @SUM(1) (formula injection).

Each writer's file is read back with openpyxl (and its XML) or as CSV (tests/harness/exports.py).
"""

import io
from collections import Counter

import pytest
from django.db import connection

from tests.harness.exports import PAYLOADS, check_exports, inspect_csv, inspect_xlsx


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_every_writer_keeps_formula_like_names_as_text(province, media, tmp_path):
    counts = check_exports(province, tmp_path)
    assert counts["files"] == 9
    # Every payload shows up (8 borrowers in most files), and none as a formula or unescaped.
    assert counts["payload_cells"] >= 9 * len(PAYLOADS)
    assert (counts["formulas"], counts["unescaped"]) == (0, 0), counts


def test_the_inspection_would_catch_a_formula():
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    book.add_worksheet().write(0, 0, PAYLOADS[0])  # what files.py did before: write() → a formula
    book.close()
    counts: Counter = Counter()
    inspect_xlsx(buffer.getvalue(), counts)
    assert counts["formulas"] >= 1 and counts["unescaped"] == 1
    counts = Counter()
    inspect_csv("名字\r\n-1+1\r\n-1.00\r\n'@SUM(1)\r\n".encode(), counts)
    assert (counts["unescaped"], counts["payload_cells"]) == (1, 1)  # -1+1 is caught, -1.00 is a number


def test_the_download_pages_keep_names_as_text(client, province, media):
    from tests import factories
    from tests.harness.deduction import DAY, settled_accounts
    from tests.web.helpers import login
    from xuedai.audit.models import AuditEntry
    from xuedai.loans.deduction.services import deduction_prepare
    from xuedai.orgs.models import Role

    accounts = settled_accounts(province, 1)
    for account, name in zip(accounts, PAYLOADS, strict=False):
        account.contract.borrower.name = name
        account.contract.borrower.save(update_fields=["name"])
    runs = deduction_prepare(on=DAY)
    login(client, factories.make_user(province.centre, Role.OPERATOR))
    counts: Counter = Counter()
    for run in runs:
        response = client.get(f"/loans/deductions/{run.pk}/request/")
        assert response.status_code == 200
        inspect_xlsx(b"".join(response.streaming_content), counts)
    assert counts["payload_cells"] == 2 and (counts["formulas"], counts["unescaped"]) == (0, 0)
    downloads = AuditEntry.objects.filter(action="loans.deduction_file_download")
    assert sorted(d.after["lines"] for d in downloads) == ["1", "1"]


@pytest.mark.postgres_only
def test_the_copy_written_deduction_csv_escapes_text(db):
    if connection.vendor != "postgresql":
        pytest.skip("COPY needs PostgreSQL")
    from xuedai.batch.deduct_io import _text

    names = [*PAYLOADS, "张伟", "\t=1"]
    values = ", ".join(["(%s::text)"] * len(names))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_text('v.name')} FROM (VALUES {values}) AS v(name)", names)
        written = [name for (name,) in cursor.fetchall()]
    assert written == [f"'{p}" for p in PAYLOADS] + ["张伟", "'\t=1"]
