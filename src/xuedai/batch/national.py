"""The national benchmark portfolio: 31 provinces, each with a share of the borrowers in proportion
to its population (``xuedai bench --loans N --workers K``; :mod:`.portfolio` builds the contracts).

Each province is a provincial centre with a few county centres under it (real GB/T 2260 county
codes, so the borrowers' identity numbers pass ``stdnum.cn.ric``). Borrowers are numbered province by
province (a province's contracts are one block of ids, as contracts signed by one province's
system would be) and spread over the province's counties — so the distributed batches
(:mod:`.partitions`) find 31 provinces of very different sizes: Guangdong 35 times Tibet.
"""

from __future__ import annotations

import numpy as np

from xuedai.batch.portfolio import PER_BORROWER, spread

# Resident population by province, 2020 census (第七次全国人口普查), millions: the provinces' shares.
POPULATION = {
    "11": ("北京", 21.89), "12": ("天津", 13.87), "13": ("河北", 74.61), "14": ("山西", 34.92),
    "15": ("内蒙古", 24.05), "21": ("辽宁", 42.59), "22": ("吉林", 24.07), "23": ("黑龙江", 31.85),
    "31": ("上海", 24.87), "32": ("江苏", 84.75), "33": ("浙江", 64.57), "34": ("安徽", 61.03),
    "35": ("福建", 41.54), "36": ("江西", 45.19), "37": ("山东", 101.53), "41": ("河南", 99.37),
    "42": ("湖北", 57.75), "43": ("湖南", 66.44), "44": ("广东", 126.01), "45": ("广西", 50.13),
    "46": ("海南", 10.08), "50": ("重庆", 32.05), "51": ("四川", 83.67), "52": ("贵州", 38.56),
    "53": ("云南", 47.21), "54": ("西藏", 3.65), "61": ("陕西", 39.53), "62": ("甘肃", 25.02),
    "63": ("青海", 5.92), "64": ("宁夏", 7.20), "65": ("新疆", 25.85),
}
COUNTIES_PER_PROVINCE = 4


def county_codes(province: str, count: int, years: tuple[int, ...] = (1994, 2004)) -> list[str]:
    """The first ``count`` county codes of the province valid for 1994–2004 births (Chongqing's
    codes start in 1997: there, codes valid for 2004 births — an earlier birth's number then fails
    ``ric``'s birth-county check, which no batch reads)."""
    from stdnum.cn import ric

    from xuedai.batch.portfolio import _ID_CHECK, _ID_WEIGHTS, _valid

    found = []
    for code in map(str, range(int(province) * 10000 + 101, int(province) * 10000 + 9999)):
        body = [f"{code}{year}0101001" for year in years]
        numbers = [b + chr(_ID_CHECK[sum(int(c) * w for c, w in zip(b, _ID_WEIGHTS, strict=True)) % 11])
                   for b in body]
        if all(_valid(ric, n) for n in numbers):
            found.append(code)
            if len(found) == count:
                break
    if not found and len(years) > 1:
        return county_codes(province, count, years[-1:])
    if not found:
        raise ValueError(f"no county code for province {province}")
    return found


def borrower_bounds(borrowers: int) -> np.ndarray:
    """The first borrower index after each province's block (cumulative population shares)."""
    weights = np.array([pop for _, pop in POPULATION.values()])
    return np.round(np.cumsum(weights) / weights.sum() * borrowers).astype(np.int64)


def places(n: int):
    """``portfolio.build``'s ``places``: (county ids ascending, their region codes, the placement of
    a borrower index → an index into the county ids), organisations made through the orgs service."""
    from xuedai.orgs.models import Organisation, OrgKind
    from xuedai.orgs.services import organisation_create

    members: list[list[int]] = []
    for province, (name, _) in POPULATION.items():
        code = f"BENCH-P{province}"
        centre = Organisation.objects.filter(code=code).first() or organisation_create(
            actor=None, name=f"{name}学生资助管理中心(基准)", kind=OrgKind.PROVINCE_CENTRE, code=code,
            parent=None, region_code=f"{province}0000")
        ids = []
        for i, region in enumerate(county_codes(province, COUNTIES_PER_PROVINCE)):
            county_code = f"{code}-C{i}"
            county = Organisation.objects.filter(code=county_code).first() or organisation_create(
                actor=None, name=f"{name}基准{i}县资助中心", kind=OrgKind.COUNTY_CENTRE, code=county_code,
                parent=centre, region_code=region)
            ids.append((county.pk, int(region)))
        members.append(ids)
    flat = sorted(pair for ids in members for pair in ids)
    counties = np.array([pk for pk, _ in flat], dtype=np.int64)
    regions = np.array([region for _, region in flat], dtype=np.int64)
    index = {pk: i for i, pk in enumerate(counties.tolist())}
    province_counties = [np.array([index[pk] for pk, _ in ids], dtype=np.int64) for ids in members]
    bounds = borrower_bounds(-(-n // PER_BORROWER))

    def place(borrower: np.ndarray) -> np.ndarray:
        province = np.minimum(np.searchsorted(bounds, borrower, side="right"), len(bounds) - 1)
        out = np.empty(len(borrower), dtype=np.int64)
        for p in np.unique(province).tolist():
            mask = province == p
            out[mask] = province_counties[p][spread(borrower[mask], province_counties[p])]
        return out

    return counties, regions, place
