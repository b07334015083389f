"""Headers and cookies behind TLS, and no ID number in any log line (docs/security.md).

A CSP on every page; HSTS and Secure cookies on HTTPS requests (directly or through the local TLS
proxy's X-Forwarded-Proto), none of it on the plain-http demo; gunicorn's access log (a real
``xuedai serve``) masking the ID numbers a query string or a Referer carries."""

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from tests.web.helpers import login
from xuedai.orgs.models import Role
from xuedai.web.logmasking import MaskingFilter, mask_log_line
from xuedai.web.security import CSP

ID_NUMBER = "51072219990101123X"
REPO = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_every_page_has_a_csp_and_https_responses_get_hsts_and_secure_cookies(client, province, make_user):
    page = client.get(reverse("login"))
    assert page.status_code == 200 and page.headers["Content-Security-Policy"] == CSP
    assert "script-src 'self'" in CSP and "frame-ancestors 'none'" in CSP
    # Plain http (the demo on 127.0.0.1): no HSTS, cookies without Secure — the site still works.
    assert "Strict-Transport-Security" not in page.headers
    assert not page.cookies["csrftoken"]["secure"]

    secure = client.get(reverse("login"), secure=True)
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert secure.cookies["csrftoken"]["secure"] is True
    proxied = client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")  # behind the TLS proxy
    assert proxied.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert proxied.cookies["csrftoken"]["secure"] is True

    login(client, make_user(province.counties[0], Role.OPERATOR))
    home = client.get(reverse("home"), HTTP_X_FORWARDED_PROTO="https")
    assert home.status_code == 200 and home.cookies["sessionid"]["secure"] is True
    assert not client.get(reverse("home")).cookies["sessionid"]["secure"]


def test_log_lines_lose_full_and_partial_id_numbers_and_phones():
    line = (f'127.0.0.1 - - "GET /borrowers/?q={ID_NUMBER}&page=2 HTTP/1.1" 200 "http://h/borrowers/'
            f'?q=510722199901" "13812345678"')
    masked = mask_log_line(line)
    assert ID_NUMBER not in masked and "5107**********123X" in masked
    assert "510722199901" not in masked and "?q=51**********" in masked  # a partial number, masked
    assert "13812345678" not in masked and "page=2" in masked and "/borrowers/" in masked
    record = logging.LogRecord("django.server", logging.INFO, "", 0, '"GET /x/?q=%s HTTP/1.1"',
                               (ID_NUMBER,), None)
    MaskingFilter().filter(record)
    assert ID_NUMBER not in record.getMessage()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_served_sites_access_log_never_holds_an_id_number(tmp_path):
    port = _free_port()
    env = {**os.environ, "XUEDAI_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "XUEDAI_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "xuedai.settings.base"}
    command = [sys.executable, "-m", "xuedai.cli", "serve", "--port", str(port), "--workers", "1"]
    server = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        # Up to a minute: on a loaded machine (the suite runs beside other work) gunicorn and Django
        # may take far longer than their usual second to start.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        request = urllib.request.Request(f"{base}/healthz?q={ID_NUMBER}&id=510722199901",
                                         headers={"Referer": f"{base}/borrowers/?q={ID_NUMBER}"})
        urllib.request.urlopen(request, timeout=5)
    finally:
        server.terminate()
        log = server.communicate(timeout=20)[0].decode()
    lines = [line for line in log.splitlines() if "/healthz?" in line]
    assert lines, log
    assert ID_NUMBER not in log and "510722199901" not in log
    assert "5107**********123X" in lines[0]
