"""The locust users of the web load test (bench/load_web.py starts them; see its docstring).

Two kinds of visitor, each with a session the harness logged in beforehand (logging in is not what
is measured, and staff TOTP codes cannot be reused within their 30 s window):

- a student opening 下次应还 (/postloan/me/loans/), the page students open most (DOMAIN.md §9);
- a county operator opening 合同查询 (/origination/contracts/), the first page of the county's list.

No think time: each locust user sends its next request as soon as the last one is answered, so the
figures are the site's throughput at that many concurrent requests, not a model of real traffic.
"""

import json
import os
import random

from locust import FastHttpUser, constant, task

SESSIONS = json.loads(open(os.environ["XUEDAI_LOAD_SESSIONS"], encoding="utf-8").read())
COOKIE = SESSIONS["cookie_name"]
STUDENT_PAGE = "/postloan/me/loans/"
COUNTY_PAGE = "/origination/contracts/"


class _Visitor(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    sessions: list[str] = []

    def on_start(self):
        self.session_key = random.choice(self.sessions)

    def _open(self, path: str, name: str):
        with self.client.get(path, name=name, headers={"Cookie": f"{COOKIE}={self.session_key}"},
                             allow_redirects=False, catch_response=True) as response:
            # A redirect would mean the session was refused (login page): a failure, not a fast page.
            if response.status_code != 200 or b"<html" not in response.content[:400]:
                response.failure(f"HTTP {response.status_code}")


class Student(_Visitor):
    weight = int(os.environ.get("XUEDAI_LOAD_STUDENT_WEIGHT", "9"))
    sessions = SESSIONS["students"]

    @task
    def what_is_due(self):
        self._open(STUDENT_PAGE, "student 下次应还")


class CountyOperator(_Visitor):
    weight = int(os.environ.get("XUEDAI_LOAD_COUNTY_WEIGHT", "1"))
    sessions = SESSIONS["county"]

    @task
    def contract_list(self):
        self._open(COUNTY_PAGE, "county 合同查询")
