"""Rows [lo, hi) of each demo table as text parts per field (see columns.py), keyed by attname.

Ids are explicit (first id of the table + row number), so rows of different tables can refer to
each other without reading anything back: student i is borrower base+i, its co-borrower base'+i.
Fields left out here (is_active, created_by …) get their model default from the writer.
"""

from dataclasses import dataclass, field

import numpy as np

from xuedai.loans.models import Kind
from xuedai.origination.models import Contract

from . import names
from .columns import (
    const,
    dates,
    day_text,
    digits,
    gather,
    money,
    money_fen,
    nullable,
    number,
    timestamps,
    vocab,
)
from .contracts import PRODUCTS, Contracts, state_codes
from .households import CONTACT_RELATIONS, RELATIONS, CoBorrowers, Contacts
from .ledger import KINDS, NO_DATE, K, Ledger
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
    base: dict[str, int]  # first id of each table: borrower, co_borrower, contact, contract, posting …
    ledger: Ledger | None = None
    # Per contract row, from the season (render_work.WorkRows.contract_people, season.Batches):
    # batch (-1), archive_no (0), created_by / checked_by / receipted_by (-1), checked_at (NaT).
    workflow: dict = field(default_factory=dict)
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
            "kind": vocab([str(k) for k in KINDS]),
            "memo": vocab([*(f"学费住宿费支付至{u.name}" for u in UNIVERSITIES),
                           "生活费支付至借款学生支付宝账户", "结息", "提前还款",
                           "批量扣款信息表(代理行版)", "扣款明细表"]),
        }
        if self.ledger is not None:
            self.attach_ledger(self.ledger)
        self.county_code = np.array([int(c.code) for c in COUNTIES])
        self.university_code = np.array([int(u.region_code) for u in UNIVERSITIES])
        self.county_id = np.array(self.tree.county_ids)
        self.agent_county = np.array([bool(c.agent_bank) for c in COUNTIES])
        self.university_id = np.array(self.tree.university_ids)
        self.department_id = np.concatenate([np.array(d) for d in self.tree.department_ids])
        self.version_id = self.lookup.ids() if self.lookup.versions else np.zeros(1, dtype=np.int64)
        self.town_start = np.r_[0, np.cumsum([len(c.towns) for c in COUNTIES])[:-1]]
        self.town_count = np.array([len(c.towns) for c in COUNTIES])

    def attach_ledger(self, ledger: Ledger) -> None:
        """The ledger (ledger.py) of the paid-out contracts, and each contract row's account row."""
        self.ledger = ledger
        self.ledger_row = np.full(self.plan.n, -1, dtype=np.int64)  # -1: no account
        self.ledger_row[ledger.contract] = np.arange(ledger.n)

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
            # origination.rules.repayment_alipay_account: printed on a 生源地 contract, none where
            # the county's agent bank collects (or on a campus contract).
            "alipay_account": [blank(np.hstack([const("zxdk", hi - lo), digits(self.base["borrower"] + b, 8),
                                                const("@alipay.cdb", hi - lo)]),
                                     campus | self.agent_county[s.county[b]])],
        }
        w = self.workflow
        if w:
            for name in ("created_by", "checked_by", "receipted_by"):
                fields[f"{name}_id"] = [nullable(number(np.maximum(w[name][sl], 0)), w[name][sl] < 0)]
            batch = w["batch"][sl]
            fields["batch_id"] = [nullable(number(self.base["batch"] + np.maximum(batch, 0)), batch < 0)]
            fields["archive_no"] = [nullable(number(w["archive_no"][sl]), batch < 0)]
            fields["checked_at"] = timestamps(w["checked_at"][sl], 90, self.vendor)
        have = {f.attname for f in Contract._meta.concrete_fields}
        return {name: parts for name, parts in fields.items() if name in have or name not in OPTIONAL}


    # ---- the ledger (ledger.py) ------------------------------------------------------------------

    def account_values(self, lo: int, hi: int) -> dict:
        """Accounts [lo, hi) as typed columns (``batch.tablecopy.copy_columns``): fen, day numbers,
        UTF-8 ``S`` arrays; :meth:`accounts` renders the same as text."""
        g, sl = self.ledger, slice(lo, hi)
        contract = g.contract[sl]
        borrower = self.base["borrower"] + self.plan.borrower[contract]
        # loans.services.servicing.channel_account_for: named after the contract holder.
        n = len(borrower)
        name = np.hstack([const("zxdk", n), digits(borrower, 8), const("@alipay.cdb", n)])
        channel = np.ascontiguousarray(name).view(f"S{name.shape[1]}").ravel()
        overdue = g.oldest_unpaid[sl] < g.as_of
        return {"contract_id": self.base["contract"] + contract,
                "opened_on": self.plan.disbursed_on[contract].astype(np.int64),
                "channel_account": channel,
                "principal_outstanding": g.principal_outstanding[sl], "principal_due": g.principal_due[sl],
                "interest_due": g.interest_due[sl], "penalty_due": 0, "credit": 0,
                "subsidy_receivable": g.subsidy_receivable[sl], "penalty_accrued": g.penalty_accrued[sl],
                "penalty_accrued_on": np.where(overdue, g.as_of, NO_DATE),
                "last_settled_on": g.last_settled[sl], "oldest_unpaid_due": g.oldest_unpaid[sl]}

    def accounts(self, lo: int, hi: int) -> dict:
        v, n = self.account_values(lo, hi), hi - lo
        text = {"contract_id": [number(v["contract_id"])], "opened_on": [day_text(v["opened_on"], NO_DATE)],
                "channel_account": [text_part(v["channel_account"])]}
        for name in ("principal_outstanding", "principal_due", "interest_due", "subsidy_receivable",
                     "penalty_accrued"):
            text[name] = money_fen(v[name])
        for name in ("penalty_due", "credit"):
            text[name] = [const("0", n)]
        for name in ("penalty_accrued_on", "last_settled_on", "oldest_unpaid_due"):
            text[name] = [day_text(v[name], NO_DATE)]
        return text

    def posting_values(self, lo: int, hi: int) -> dict:
        """Postings [lo, hi) as typed columns (``batch.tablecopy.copy_columns`` takes them as they
        are: day numbers, fen, UTF-8 ``S`` arrays); :meth:`postings` renders the same as text."""
        p, sl = self.ledger.postings, slice(lo, hi)
        contract = self.ledger.contract[p["row"][sl]]
        kind = p["kind"][sl].astype(np.int64)
        return {
            "id": self.base["posting"] + np.arange(lo, hi, dtype=np.int64),
            "account_id": self.base["contract"] + contract,
            "business_date": p["day"][sl].astype(np.int64),
            "kind": self.v["kind"][kind],
            "amount": p["fen"][sl],
            "due_on": p["due"][sl].astype(np.int64),
            "memo": self.v["memo"][self.memo(kind, contract, p["day"][sl])],
        }

    def postings(self, lo: int, hi: int) -> dict:
        v = self.posting_values(lo, hi)
        return {"id": [number(v["id"])], "account_id": [number(v["account_id"])],
                "business_date": [day_text(v["business_date"], NO_DATE)], "kind": [text_part(v["kind"])],
                "amount": money_fen(v["amount"]), "due_on": [day_text(v["due_on"], NO_DATE)],
                "memo": [text_part(v["memo"])]}

    def memo(self, kind: np.ndarray, contract: np.ndarray, day: np.ndarray) -> np.ndarray:
        """What the services write (an index into the memo vocabulary): the payee of a disbursement
        (contract_disburse), 结息 on a settlement, the channel's file on a deduction
        (loans.deduction), 提前还款 on its day."""
        s, k = self.students, self.plan
        channel = np.array([1 if c.agent_bank else 0 for c in COUNTIES])[s.county[k.borrower[contract]]]
        channel = np.where(k.product[contract] == 1, 0, channel)
        early = day == self.ledger.early_on[self.ledger_row[contract]]
        settlement = np.isin(kind, (K[Kind.SUBSIDY_INTEREST], K[Kind.INTEREST], K[Kind.PRINCIPAL]))
        other = len(UNIVERSITIES) + np.select(
            [kind == K[Kind.DISBURSE_STUDENT], settlement & ~early, early, channel == 1], [0, 1, 2, 3], 4)
        return np.where(kind == K[Kind.DISBURSE_UNIVERSITY], s.university[k.borrower[contract]], other)

    def early_repayments(self, lo: int, hi: int) -> dict:
        g = self.ledger
        rows = np.flatnonzero(g.early_on != NO_DATE)[lo:hi]
        n = len(rows)
        return {
            "id": [number(self.base["early_repayment"] + np.arange(lo, hi))],
            "account_id": [number(self.base["contract"] + g.contract[rows])],
            "applied_on": [day_text(g.early_applied[rows], NO_DATE)],
            "deduct_on": [day_text(g.early_on[rows], NO_DATE)],
            "principal": [const("\\N", n)],  # None: repay everything
            "status": [const("done", n)],
        }


def text_part(values: np.ndarray) -> np.ndarray:
    """An ``S`` array (NUL-padded UTF-8) as a text part."""
    return np.ascontiguousarray(values).view(np.uint8).reshape(len(values), values.dtype.itemsize)


def blank(part: np.ndarray, empty: np.ndarray) -> np.ndarray:
    """The rows where `empty` is true become empty strings (all NUL, dropped when encoded)."""
    out = np.array(part)
    out[empty] = 0
    return out
