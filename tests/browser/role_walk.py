"""Walk the site as one role does (issue: every role's pages whole): from the home page, every
navigation link and every work-queue link one level deep, and say what a person would trip over.

A finding is a short Chinese-free string "path: what"; the test asserts there are none. The same
walker runs by hand against a demo site (`python -m tests.browser.role_walk http://127.0.0.1:8000`)
to list the findings for every role without stopping at the first one."""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from xuedai.demo.logins import DEMO_STAFF

# Words that are names in this business, not untranslated interface text.
ENGLISH_ALLOWED = {
    "API", "PDF", "xlsx", "XLSX", "csv", "CSV", "ID", "TOTP", "LPR", "Excel", "Word", "docx", "bp",
    "OpenAPI", "Swagger", "JSON", "Token", "token", "Alipay", "CDB", "URL", "IP", "xuedai", "Ctrl",
    "QQ", "pdf",
}
# Identifiers are data, not interface text: e-mail addresses, codes like CDB-HQ or SY2026…, and the
# demo's login names (shown where an administrator manages accounts).
IDENTIFIER = re.compile(r"\S+@\S+|\b\w+(?:-\w+)+\b", re.ASCII)
WORD = re.compile(r"\b[A-Za-z][A-Za-z_]+\b", re.ASCII)
# A column of money: its header names an amount (元, 金额, 本金, 利息, 余额, 应还 …).
MONEY_HEADER = re.compile(r"金额|（元）|\(元\)|余额|本金|利息|应还|罚息|贴息|已还|欠款")
FORMATTED = re.compile(r"^-?¥?-?\d{1,3}(,\d{3})*\.\d{2}( 元)?$")
SKIP_PATH = re.compile(r"/accounts/logout|/logout|/django-admin/|/api/v1/docs")
DOWNLOAD = re.compile(r"\.(pdf|xlsx|csv|docx|txt)(\?|$)|/export|/download|/pdf/|/xlsx/")

LOGIN_NAMES = {staff.username for staff in DEMO_STAFF}


@dataclass
class Walk:
    findings: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)


# Text of the page a person reads (no scripts, no hidden elements, no code samples).
VISIBLE_TEXT = """() => {
  const main = document.querySelector('body');
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const out = [];
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || el.closest('script,style,code,pre,[data-untranslated-ok],.sr-only')) continue;
    if (!el.offsetParent && getComputedStyle(el).position !== 'fixed') continue;
    out.push(node.textContent);
  }
  for (const el of document.querySelectorAll('input[placeholder],textarea[placeholder]'))
    if (el.offsetParent) out.push(el.placeholder);
  for (const el of document.querySelectorAll('input[type=submit],button'))
    if (el.offsetParent) out.push(el.value || '');
  out.push(document.title);
  return out.join(' ');
}"""

MONEY_CELLS = """(pattern) => {
  const headerRe = new RegExp(pattern);
  const cells = [];
  for (const table of document.querySelectorAll('table')) {
    const heads = [...table.querySelectorAll('thead th')].map(th => th.innerText.trim());
    if (!heads.length) continue;
    for (const row of table.querySelectorAll('tbody tr')) {
      [...row.children].forEach((cell, i) => {
        const notMoney = /日期|日$|率|笔数|人数|户数|期数|年限/.test(heads[i] || '');
        if (i < heads.length && headerRe.test(heads[i]) && !notMoney)
          cells.push([heads[i], cell.innerText.trim()]);
      });
    }
  }
  return cells;
}"""


def internal_links(page, scope: str) -> list[str]:
    hrefs = page.eval_on_selector_all(f"{scope} a[href]", "els => els.map(a => a.getAttribute('href'))")
    out = []
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")) or "://" in href:
            continue
        if SKIP_PATH.search(href) or href in out:
            continue
        out.append(href)
    return out


def check_page(page, path: str, walk: Walk) -> None:
    text = IDENTIFIER.sub(" ", page.evaluate(VISIBLE_TEXT))
    words = {w for w in WORD.findall(text) if w not in ENGLISH_ALLOWED and w not in LOGIN_NAMES}
    if words:
        walk.findings.append(f"{path}: English {sorted(words)[:8]}")
    for header, text in page.evaluate(MONEY_CELLS, MONEY_HEADER.pattern):
        if re.search(r"\d", text) and not FORMATTED.match(text):
            walk.findings.append(f"{path}: unformatted amount {text!r} under {header!r}")
            break
    # Wider than the window: at 375 px for the student, at 1366 px for staff (a menu that pushes the
    # 退出 button off the screen, a table with no scrolling box of its own).
    width, window = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if width > window:
        walk.findings.append(f"{path}: {width} px wide at {window} px")


def visit(page, path: str, walk: Walk) -> bool:
    walk.visited.append(path)
    if DOWNLOAD.search(path):
        response = page.request.get(path)
        if response.status >= 400:
            walk.findings.append(f"{path}: HTTP {response.status}")
        return False
    response = page.goto(path)
    status = response.status if response else 0
    if status >= 400:
        walk.findings.append(f"{path}: HTTP {status}")
        return False
    if urlsplit(page.url).path.startswith("/accounts/login"):
        walk.findings.append(f"{path}: sent to the login page")
        return False
    check_page(page, path, walk)
    return True


def walk_role(page, *, start: str = "/") -> Walk:
    """Home, every nav link, every link in the home page's main area (the work queue), and from
    each of those pages the links in its main area one level deeper (first few per page)."""
    walk = Walk()
    visit(page, start, walk)
    first = internal_links(page, "nav") + [h for h in internal_links(page, "main") if h not in ("/",)]
    seen = {start}
    second: list[str] = []
    for path in first:
        if path in seen:
            continue
        seen.add(path)
        if visit(page, path, walk):
            second += [h for h in internal_links(page, "main") if h not in seen][:6]
    for path in second:
        if path in seen:
            continue
        seen.add(path)
        visit(page, path, walk)
    return walk


if __name__ == "__main__":  # python -m tests.browser.role_walk http://127.0.0.1:8077
    import os
    import sys

    import django
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuedai.settings.base")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright runs its own event loop
    django.setup()
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.browser.helpers import log_in
    from xuedai.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
    from xuedai.orgs.models import User

    base = sys.argv[1]
    only = sys.argv[2:]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for label, username, _note in DEMO_LOGINS:
            if only and username not in only:
                continue
            student = not User.objects.filter(username=username, totp_secret__gt="").exists()
            size = {"width": 375, "height": 800} if student else {"width": 1366, "height": 900}
            context = browser.new_context(locale="zh-CN", base_url=base, viewport=size)
            page = context.new_page()
            staff = User.objects.filter(username=username).first()
            log_in(page, username, password=DEMO_PASSWORD,
                   totp_user=staff if staff and staff.totp_secret else None)
            result = walk_role(page)
            print(f"== {label} {username}: {len(result.visited)} pages, {len(result.findings)} findings")
            for finding in result.findings:
                print("   ", finding)
            context.close()
