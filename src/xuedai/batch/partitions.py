"""Partitions of a portfolio batch: by province, then by contract-id range within the province.

The distributed batches (:mod:`.distributed`) hand one partition to one Celery task. A partition is
``(province, lo, hi]``: the accounts whose contract's signing county lies in the province (the first
two digits of its GB/T 2260 region code; ``00`` for a county without one or a contract without a
county) and whose contract id is in ``(lo, hi]``. Within a province the ranges are cut every
``size`` accounts and follow each other without a gap from just below the province's first id to
its last, so the partitions of a province cover all of its accounts and the partitions of all
provinces cover every account exactly once — whichever way the provinces' ids interleave. (Tight
ranges, not 0 … ∞: a partition reads its accounts by primary-key range, not by a scan of every
account. Accounts opened after the plan are not in it — as the embedded path's grid, made from the
lowest and highest id when a run starts, does not cover them either.)

The plan is computed once per run and kept in the job's checkpoint (:func:`plan` → JSON), so a
resumed run walks the same partitions; a partition is named by its key ``"51:1200"`` (province and
``lo``) in the checkpoint section that records it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

UNKNOWN = "00"  # the province of a county without a region code, and of a contract without a county
PROVINCE_OF = f"COALESCE(NULLIF(LEFT(o.region_code, 2), ''), '{UNKNOWN}')"

# Appended to a chunk's selection (``c`` is origination_contract): the partition's province.
FILTER = " AND (c.county_id = ANY(%(counties)s) OR (%(no_county)s AND c.county_id IS NULL))"


@dataclass(frozen=True)
class Partition:
    province: str
    lo: int
    hi: int
    accounts: int = 0  # when the plan was made: the size of the partition, for reports

    @property
    def key(self) -> str:
        return f"{self.province}:{self.lo}"

    def as_json(self) -> list:
        return [self.province, self.lo, self.hi, self.accounts]

    @classmethod
    def from_json(cls, row: list) -> Partition:
        return cls(str(row[0]), int(row[1]), int(row[2]), int(row[3]))


def province_counties(conn) -> dict[str, list[int]]:
    """Organisation ids by province code (every organisation: a contract's county is one of them)."""
    with conn.cursor() as cur:
        cur.execute(f"SELECT {PROVINCE_OF}, array_agg(o.id ORDER BY o.id) FROM orgs_organisation o "
                    "GROUP BY 1")
        found = {province: list(ids) for province, ids in cur.fetchall()}
    found.setdefault(UNKNOWN, [])
    return found


def scope_params(province: str, counties: Mapping[str, list[int]]) -> dict:
    """The parameters of :data:`FILTER` for one province."""
    return {"counties": list(counties.get(province, [])), "no_county": province == UNKNOWN}


def plan(conn, size: int) -> list[Partition]:
    """Every province's accounts cut into ranges of ``size`` accounts (one window query)."""
    with conn.cursor() as cur:
        cur.execute(f"""
            WITH acc AS (
                SELECT a.contract_id AS id, {PROVINCE_OF} AS province
                  FROM loans_loanaccount a JOIN origination_contract c ON c.id = a.contract_id
                  LEFT JOIN orgs_organisation o ON o.id = c.county_id),
            numbered AS (
                SELECT province, id,
                       (row_number() OVER (PARTITION BY province ORDER BY id) - 1) / %s AS bucket
                  FROM acc)
            SELECT province, MIN(id), MAX(id), count(*) FROM numbered GROUP BY province, bucket
             ORDER BY province, bucket""", [size])
        rows = cur.fetchall()
    out: list[Partition] = []
    for index, (province, first, last, count) in enumerate(rows):
        first_of_province = index == 0 or rows[index - 1][0] != province
        lo = int(first) - 1 if first_of_province else int(rows[index - 1][2])
        out.append(Partition(province, lo, int(last), int(count)))
    return out
