"""Every demo login walks its pages (issue: every role's pages whole): home, every navigation link,
every work-queue link and a few links one level deeper; no page may answer 4xx/5xx, show an English
word outside role_walk's allow-list, show an unformatted amount in a money column, or be wider than
the window (375 px for the student, 1366 px for staff).

Runs on PostgreSQL only, like test_demo_walk: the demo's ledger postings are append-only, and
SQLite's flush after a live_server test is a DELETE the triggers refuse."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from tests.browser.helpers import log_in, watch_csp
from tests.browser.role_walk import Walk, check_page, walk_role
from xuedai.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, DEMO_STAFF, DEMO_STUDENT_ID_NUMBER
from xuedai.orgs.models import User
from xuedai.web.navigation import nav_items_for

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1366, "height": 900}


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="ledger triggers block SQLite's flush after a live_server test")
@pytest.mark.django_db(transaction=True)
def test_every_demo_role_walks_its_pages_without_a_defect(browser, live_server):
    call_command("demo_data", students=400, stdout=StringIO())
    assert len(DEMO_LOGINS) == 14
    report: dict[str, list[str]] = {}
    pages = 0
    for _label, username, _note in DEMO_LOGINS:
        student = username == DEMO_STUDENT_ID_NUMBER
        context = watch_csp(browser.new_context(locale="zh-CN", base_url=live_server.url,
                                                viewport=PHONE if student else DESKTOP))
        page = context.new_page()
        page.set_default_timeout(15_000)
        staff = None if student else User.objects.get(username=username)
        student_user = User.objects.get(borrower__id_number=username) if student else None
        log_in(page, username, password=DEMO_PASSWORD, totp_user=staff)
        walk = walk_role(page)
        context.close()
        pages += len(walk.visited)
        # A role whose walk reached only its home page would pass by seeing nothing: every entry of
        # its menu (drop-downs included) must have been followed.
        menu = {item["url"] for item in nav_items_for(staff or student_user, "/")}
        assert menu <= set(walk.visited) and len(walk.visited) >= 8, (username, menu - set(walk.visited))
        if walk.findings:
            report[username] = walk.findings
    assert report == {}
    assert pages >= 14 * 8


@pytest.mark.django_db(transaction=True)
def test_the_walker_finds_english_raw_amounts_and_a_page_too_wide(browser, live_server):
    """The checks can fail: a page with each defect is reported for each."""
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.set_content("""<body style="margin: 0"><main>
      <p>合同 SY2026510722 已提交 · Not Found · 见 county_op · CDB-HQ · 附件 PDF</p>
      <table><thead><tr><th>合同数</th><th>贷款金额合计(元)</th></tr></thead>
      <tbody><tr><td>12</td><td>1364900</td></tr></tbody></table>
      <div style="width: 600px">宽</div></main></body>""")
    walk = Walk()
    check_page(page, "/sample/", walk)
    context.close()
    assert walk.findings == ["/sample/: English ['Found', 'Not']",
                             "/sample/: unformatted amount '1364900' under '贷款金额合计(元)'",
                             "/sample/: 600 px wide at 375 px"]
    assert {s.username for s in DEMO_STAFF} >= {"county_op"}  # login names are identifiers, not text
