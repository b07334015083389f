"""Rows [lo, hi) of each demo table as text parts per field (see columns.py), keyed by attname.

Ids are explicit (first id of the table + row number), so rows of different tables can refer to
each other without reading anything back: student i is borrower base+i, its co-borrower base'+i.
Fields left out here (is_active, created_by …) get their model default from the writer.
"""

from dataclasses import dataclass, field

import numpy as np

from xuedai.origination.models import Contract

from . import names
from .columns import const, dates, digits, gather, money, nullable, number, vocab
from .contracts import PRODUCTS, Contracts, state_codes
from .households import CONTACT_RELATIONS, RELATIONS, CoBorrowers, Contacts
from .orgs import DemoTree
from .people import LEVEL_CODES, Students, day, id_number_bytes, id_regions, mobiles
from .places import COUNTIES, UNIVERSITIES
from .policy import PolicyLookup

OPTIONAL = {"receipted_on", "is_renewal"}  # later columns: a schema from before them lacks them


@dataclass
class World:
    students: Students
    plan: Contracts
    co: CoBorrowers
    kin: Contacts  # emergency contacts
    lookup: PolicyLookup
    tree: DemoTree
    base: dict[str, int]  # first id of each table: borrower, co_borrower, contact, contract
    vendor: str = "postgresql"  # booleans are t/f in COPY text, 1/0 for SQLite
    v: dict = field(default_factory=dict)  # encoded vocabularies, built once

    def __post_init__(self):
        s = self.students
        self.v = {
            "surname": vocab(s.surnames), "given": vocab(s.given),
            "county_prefix": vocab([f"四川省{c.city}{c.name}" for c in COUNTIES]),
            "postal": vocab([c.postal_code for c in COUNTIES]),
            "towns": vocab(s.towns), "villages": vocab(names.VILLAGES), "majors": vocab(s.majors),
            "gender": vocab(["F", "M"]), "ethnicity": vocab(["汉族", "彝族"]), "level": vocab(LEVEL_CODES),
            "employer": vocab([e for _, e in names.EMPLOYERS]),
            "employer_addr": vocab([f"{city}市" for city, _ in names.EMPLOYERS]),
            "employer_area": vocab([names.CITY_PHONE_AREA[city] for city, _ in names.EMPLOYERS]),
            "mobile_prefix": vocab(names.MOBILE_PREFIXES), "relation": vocab(RELATIONS),
            "contact_relation": vocab(CONTACT_RELATIONS), "work": vocab([w for w, _ in names.PARENT_WORK]),
            "state": vocab(state_codes()), "product": vocab(PRODUCTS),
            "no_prefix": vocab(["SY", "XY"]),  # 生源地 / 校园地
            "rate": vocab(self.lookup.rates or ["0"]),
            "bool": vocab(["f", "t"] if self.vendor == "postgresql" else ["0", "1"]),
        }
        self.county_code = np.array([int(c.code) for c in COUNTIES])
        self.university_code = np.array([int(u.region_code) for u in UNIVERSITIES])
        self.county_id = np.array(self.tree.county_ids)
        self.university_id = np.array(self.tree.university_ids)
        self.department_id = np.concatenate([np.array(d) for d in self.tree.department_ids])
        self.version_id = self.lookup.ids() if self.lookup.versions else np.zeros(1, dtype=np.int64)
        self.town_start = np.r_[0, np.cumsum([len(c.towns) for c in COUNTIES])[:-1]]
        self.town_count = np.array([len(c.towns) for c in COUNTIES])

    # ---- shared pieces ------------------------------------------------------------------------------

    def name(self, surname, given1, given2) -> list:
        v = self.v
        return [gather(v["surname"], surname), gather(v["given"], given1), gather(v["given"], given2)]

    def mobile(self, k: np.ndarray) -> list:
        prefix, body = mobiles(k, self.students.mobile_salt)
        return [gather(self.v["mobile_prefix"], prefix), digits(body, 8)]

    def home(self, county, town, village, group, house) -> list:
        v, n = self.v, len(county)
        return [gather(v["county_prefix"], county), gather(v["towns"], town), gather(v["villages"], village),
                const("村", n), number(group, 2), const("组", n), number(house, 3), const("号", n)]

    # ---- tables -------------------------------------------------------------------------------------

    def borrowers(self, lo: int, hi: int) -> dict:
        s, v, sl, n = self.students, self.v, slice(lo, hi), hi - lo
        county = s.county[sl]
        qq = s.qq[sl]
        no_qq = qq == 0
        emp = s.employer[sl]
        no_emp = emp < 0
        emp = np.maximum(emp, 0)
        rows = np.arange(lo, hi)
        return {
            "id": [number(self.base["borrower"] + rows)],
            "name": self.name(s.surname[sl], s.given1[sl], s.given2[sl]),
            "id_number": [id_number_bytes(id_regions(county, s.birth[sl]), s.birth[sl], s.seq[sl])],
            "gender": [gather(v["gender"], s.male[sl].astype(np.int64))],
            "birth_date": [dates(s.birth[sl])],
            "ethnicity": [gather(v["ethnicity"], s.yi[sl].astype(np.int64))],
            "mobile": self.mobile(rows),
            "qq": [blank(number(qq, 10), no_qq)],
            "email": [blank(number(qq, 10), no_qq), blank(const("@qq.com", n), no_qq)],
            "household_region_code": [digits(self.county_code[county], 6)],
            "address": self.home(county, s.town[sl], s.village[sl], s.group[sl], s.house[sl]),
            "postal_code": [gather(v["postal"], county)],
            "county_id": [number(self.county_id[county])],
            "university_id": [number(self.university_id[s.university[sl]])],
            "department_id": [number(self.department_id[s.department[sl]])],
            "student_no": [digits(s.enrolled[sl], 4), digits(s.department[sl], 3),
                           digits(s.student_serial[sl], 5)],
            "major": [gather(v["majors"], s.major[sl])],
            "education_level": [gather(v["level"], s.level[sl])],
            "enrolled_year": [digits(s.enrolled[sl], 4)],
            "study_years": [number(s.study_years[sl], 2)],
            "graduation_date": [dates(day(s.grad_year[sl], 6, 30))],
            "employer": [blank(gather(v["employer"], emp), no_emp)],
            "employer_address": [blank(gather(v["employer_addr"], emp), no_emp)],
            "employer_phone": [blank(gather(v["employer_area"], emp), no_emp), blank(const("-", n), no_emp),
                               blank(digits(60_000_000 + (rows * 7_919) % 30_000_000, 8), no_emp)],
        }

    def co_borrowers(self, lo: int, hi: int) -> dict:
        s, c, v, sl = self.students, self.co, self.v, slice(lo, hi)
        county = s.county[sl]
        rows = np.arange(lo, hi)
        return {
            "id": [number(self.base["co_borrower"] + rows)],
            "borrower_id": [number(self.base["borrower"] + rows)],
            "name": self.name(c.surname[sl], c.given1[sl], c.given2[sl]),
            "id_number": [id_number_bytes(id_regions(county, c.birth[sl]), c.birth[sl], c.seq[sl])],
            "relation": [gather(v["relation"], c.relation[sl])],
            "birth_date": [dates(c.birth[sl])],
            "mobile": self.mobile(s.n + rows),
            # Same county household (the co-borrower rule): the student's own address.
            "household_region_code": [digits(self.county_code[county], 6)],
            "address": self.home(county, s.town[sl], s.village[sl], s.group[sl], s.house[sl]),
            "employer": [gather(v["work"], c.work[sl])],
        }

    def contacts(self, lo: int, hi: int) -> dict:
        s, e, sl = self.students, self.kin, slice(lo, hi)
        county = s.county[sl]
        rows = np.arange(lo, hi)
        local = s.town[sl] - self.town_start[county]
        town = self.town_start[county] + (local + e.town_shift[sl]) % self.town_count[county]
        return {
            "id": [number(self.base["contact"] + rows)],
            "borrower_id": [number(self.base["borrower"] + rows)],
            "name": self.name(e.surname[sl], e.given1[sl], e.given2[sl]),
            "relation": [gather(self.v["contact_relation"], e.relation[sl])],
            "mobile": self.mobile(2 * s.n + rows),
            "address": self.home(county, town, e.village[sl], e.group[sl], e.house[sl]),
        }

    def contracts(self, lo: int, hi: int) -> dict:
        k, s, v, sl = self.plan, self.students, self.v, slice(lo, hi)
        b = k.borrower[sl]
        campus = k.product[sl] == 1
        ids = self.base["contract"] + np.arange(lo, hi)
        region = np.where(campus, self.university_code[s.university[b]], self.county_code[s.county[b]])
        fields = {
            "id": [number(ids)],
            "contract_no": [gather(v["no_prefix"], k.product[sl]), digits(k.year[sl], 4), digits(region, 6),
                            digits(ids, 8)],
            "borrower_id": [number(self.base["borrower"] + b)],
            # Campus loans have no co-borrower (the parents sign a commitment instead, [003]).
            "co_borrower_id": [nullable(number(self.base["co_borrower"] + b), campus)],
            "product": [gather(v["product"], k.product[sl])],
            "academic_year": [digits(k.year[sl], 4)],
            "policy_version_id": [number(self.version_id[k.version[sl]])],
            "county_id": [nullable(number(self.county_id[s.county[b]]), campus)],
            "university_id": [number(self.university_id[s.university[b]])],
            "department_id": [number(self.department_id[s.department[b]])],
            "amount": money(k.amount[sl]),
            "tuition": money(k.tuition[sl]),
            "accommodation": money(k.accommodation[sl]),
            "annual_rate": [gather(v["rate"], k.rate[sl])],
            "term_years": [number(k.term_years[sl], 2)],
            "state": [gather(v["state"], k.state[sl])],
            "applied_on": [dates(k.applied_on[sl])],
            "signed_on": [dates(k.signed_on[sl])],
            "disbursed_on": [dates(k.disbursed_on[sl])],
            "maturity_date": [dates(k.maturity[sl])],
            "self_pay_from": [dates(k.self_pay_from[sl])],
            "outstanding_principal": money(k.outstanding[sl]),
            "overdue_since": [dates(k.overdue_since[sl])],
            # Issue 4's origination fields (written when the model has them).
            "receipted_on": [dates(k.receipted_on[sl])],
            "is_renewal": [gather(self.v["bool"], k.is_renewal[sl].astype(np.int64))],
        }
        have = {f.attname for f in Contract._meta.concrete_fields}
        return {name: parts for name, parts in fields.items() if name in have or name not in OPTIONAL}


def blank(part: np.ndarray, empty: np.ndarray) -> np.ndarray:
    """The rows where `empty` is true become empty strings (all NUL, dropped when encoded)."""
    out = np.array(part)
    out[empty] = 0
    return out
