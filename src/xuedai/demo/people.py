"""The students: who they are, where they live and study, as NumPy columns (one entry per student).

Everything is drawn from one seeded generator, so the same --seed and --students give the same
province. Columns stay numeric (indexes into the lists of names.py and places.py) until a chunk
is rendered as text (columns.py), which keeps a million students to a few hundred MB.
"""

import datetime as dt
from dataclasses import dataclass, fields

import numpy as np

from . import names
from .columns import civil, dates, digits
from .logins import DEMO_STUDENT_BIRTH_DATE, DEMO_STUDENT_NAME
from .places import COUNTIES, UNIVERSITIES

VOCATIONAL, UNDERGRADUATE, MASTER = 0, 1, 2
LEVEL_CODES = ["vocational", "undergraduate", "master"]
# The demo portfolio is drawn as of this business date (the command pins it, see builder.py).
BUSINESS_DATE = dt.date(2026, 11, 20)
CURRENT_YEAR = 2026          # the academic year (2026–2027) of the business date
FIRST_YEAR = 2016            # contracts span academic years 2016–2026
CHECK_CHARS = np.frombuffer(b"10X98765432", dtype=np.uint8)
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
# GB 11643 sequence numbers (3 digits, odd = male): students take 2–499, parents 500–999, so a
# student and a parent born on the same day in the same county never share a number.
STUDENT_SEQ_BASE, PARENT_SEQ_BASE, SEQ_SLOTS = 0, 500, 249


# Day number of the 1st of every month 1900–2199: NumPy's month → day conversion is slow on
# millions of values, a table lookup is not.
_MONTH_START = np.arange(-70 * 12, 230 * 12).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def day(year, month=1, dom=1) -> np.ndarray:
    """datetime64[D] for (year, month, day); each may be a scalar or an array."""
    months = (np.asarray(year, dtype=np.int64) - 1900) * 12 + (np.asarray(month, dtype=np.int64) - 1)
    return (_MONTH_START[months] + (np.asarray(dom, dtype=np.int64) - 1)).astype("datetime64[D]")


def rank_within(keys: np.ndarray) -> np.ndarray:
    """0, 1, 2 … for the members of each group of equal keys, in row order."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
    first = np.maximum.accumulate(np.where(starts, np.arange(len(keys)), 0))
    ranks = np.empty(len(keys), dtype=np.int64)
    ranks[order] = np.arange(len(keys)) - first
    return ranks


def id_sequences(region: np.ndarray, birth: np.ndarray, male: np.ndarray, base: int) -> np.ndarray:
    """Unique 3-digit sequence numbers per (county, birth date, sex), spread over the slots."""
    key = (region.astype(np.int64) * 200_000 + birth.astype(np.int64) + 100_000) * 2 + male
    ranks = rank_within(key)
    spare = SEQ_SLOTS - 1 - int(ranks.max(initial=0))
    if spare < 0:
        raise ValueError("too many people share a county and birth date for GB 11643 sequence numbers")
    offset = (key % 1_000_003) % (spare + 1)  # a stable scatter, so numbers do not all start at 1
    return base + 2 * (1 + ranks + offset) + male


def id_regions(county: np.ndarray, birth: np.ndarray) -> np.ndarray:
    """The division code an ID number carries: the county's code in the birth year (places.County)."""
    year = civil(birth)[0]
    region = np.zeros(len(county), dtype=np.int64)
    for i, c in enumerate(COUNTIES):
        mine = county == i
        for since, code in c.id_codes():
            region[mine & (year >= since)] = int(code)
    return region


def id_number_bytes(region: np.ndarray, birth: np.ndarray, seq: np.ndarray) -> np.ndarray:
    """18-character 身份证号 as an (n, 18) byte matrix, check digit per GB 11643 (idnumbers.check_digit)."""
    ymd = dates(birth)[:, [0, 1, 2, 3, 5, 6, 8, 9]]
    first17 = np.hstack([digits(region, 6), ymd, digits(seq, 3)])
    total = ((first17 - 48).astype(np.int64) * ID_WEIGHTS).sum(axis=1)
    return np.hstack([first17, CHECK_CHARS[total % 11][:, None]])


def mobiles(k: np.ndarray, salt: int) -> tuple[np.ndarray, np.ndarray]:
    """(prefix index, 8-digit body) for unique person numbers k (< P·10^8): j = (k·A + salt) mod P·10^8
    is a bijection because A is a prime not dividing P·10^8, so different k never share a number,
    and neighbouring k land far apart (no runs of consecutive numbers)."""
    space = len(names.MOBILE_PREFIXES) * 100_000_000
    j = (np.asarray(k, dtype=np.int64) * 2_654_435_761 + salt) % space
    return j // 100_000_000, j % 100_000_000


def weighted(rng: np.random.Generator, weights, n: int) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    return rng.choice(len(w), size=n, p=w / w.sum())


@dataclass
class Students:
    n: int
    county: np.ndarray       # index into places.COUNTIES
    university: np.ndarray   # index into places.UNIVERSITIES
    department: np.ndarray   # index into Students.dept_* tables (all departments, university order)
    major: np.ndarray        # index into Students.majors
    level: np.ndarray
    study_years: np.ndarray
    enrolled: np.ndarray
    grad_year: np.ndarray
    birth: np.ndarray        # datetime64[D]
    male: np.ndarray
    yi: np.ndarray           # 彝族 (names and ethnicity)
    surname: np.ndarray      # index into Students.surnames
    given1: np.ndarray       # index into Students.given
    given2: np.ndarray       # index into Students.given ("" at 0 for one-character names)
    seq: np.ndarray
    town: np.ndarray         # index into Students.towns
    village: np.ndarray
    group: np.ndarray
    house: np.ndarray
    qq: np.ndarray           # 0 = none
    employer: np.ndarray     # -1 = none
    student_serial: np.ndarray
    campus: np.ndarray       # prefers the campus loan where a policy version offers one
    mobile_salt: int

    # vocabularies (lists of str) the index columns point into
    surnames: list
    given: list
    towns: list
    majors: list
    dept_university: np.ndarray  # department index → university index
    dept_local: np.ndarray       # department index → its position within the university


def _vocabularies():
    han = [s for s, _ in names.SURNAMES]
    surnames = han + names.YI_SURNAMES
    pools = {
        "ym1": names.YOUNG_MALE_1, "ym2": names.YOUNG_MALE_2,
        "yf1": names.YOUNG_FEMALE_1, "yf2": names.YOUNG_FEMALE_2,
        "om1": names.OLD_MALE_1, "om2": names.OLD_MALE_2,
        "of1": names.OLD_FEMALE_1, "of2": names.OLD_FEMALE_2,
        "yim": names.YI_MALE, "yif": names.YI_FEMALE,
    }
    given, offsets = [""], {}
    for key, pool in pools.items():
        offsets[key] = (len(given), len(pool))
        given.extend(pool)
    return surnames, len(han), given, offsets


SURNAME_VOCAB, HAN_SURNAMES, GIVEN_VOCAB, GIVEN_POOLS = _vocabularies()


def pick_given(rng, male: np.ndarray, yi: np.ndarray, old: bool) -> tuple[np.ndarray, np.ndarray]:
    """Given names: Han one or two characters from the generation's pools; Yi one two-character name."""
    n = len(male)
    prefix = "o" if old else "y"

    def draw(pool_key):
        start, size = GIVEN_POOLS[pool_key]
        return start + rng.integers(0, size, n)

    g1 = np.where(male, draw(f"{prefix}m1"), draw(f"{prefix}f1"))
    g2 = np.where(male, draw(f"{prefix}m2"), draw(f"{prefix}f2"))
    # One-character given names (张伟, 李娜) use the second-position characters.
    single = rng.random(n) < (0.25 if old else 0.3)
    g1, g2 = np.where(single, g2, g1), np.where(single, 0, g2)
    yi_name = np.where(male, draw("yim"), draw("yif"))
    return np.where(yi, yi_name, g1), np.where(yi, 0, g2)


def pick_surname(rng, yi: np.ndarray) -> np.ndarray:
    han = weighted(rng, [w for _, w in names.SURNAMES], len(yi))
    yi_s = HAN_SURNAMES + rng.integers(0, len(names.YI_SURNAMES), len(yi))
    return np.where(yi, yi_s, han)


def make_students(n: int, rng: np.random.Generator) -> Students:
    county = weighted(rng, [c.weight for c in COUNTIES], n)
    yi = rng.random(n) < np.array([c.yi_share for c in COUNTIES])[county]
    male = rng.random(n) < 0.51
    level = weighted(rng, [18, 74, 8], n)
    voc_unis = [i for i, u in enumerate(UNIVERSITIES) if u.vocational]
    ug_unis = [i for i, u in enumerate(UNIVERSITIES) if not u.vocational]
    uni_weights = np.array([u.weight for u in UNIVERSITIES], dtype=np.float64)
    university = np.where(
        level == VOCATIONAL,
        np.array(voc_unis)[weighted(rng, uni_weights[voc_unis], n)],
        np.array(ug_unis)[weighted(rng, uni_weights[ug_unis], n)],
    )
    study_years = np.select([level == VOCATIONAL, level == MASTER], [3, 3], 4)
    # Enrolments grow a little each year, as the number of borrowers has.
    years = np.arange(FIRST_YEAR, CURRENT_YEAR + 1)
    enrolled = years[weighted(rng, 1.05 ** (years - FIRST_YEAR), n)]
    grad_year = enrolled + study_years
    age = np.where(level == MASTER, 22 + weighted(rng, [50, 30, 12, 8], n),
                   17 + weighted(rng, [15, 62, 18, 5], n))
    birth_year = enrolled - age
    year_len = (day(birth_year + 1) - day(birth_year)).astype(np.int64)
    birth = day(birth_year) + (rng.random(n) * year_len).astype(np.int64)

    dept_university = np.concatenate([[i] * len(u.departments) for i, u in enumerate(UNIVERSITIES)])
    dept_local = np.concatenate([np.arange(len(u.departments)) for u in UNIVERSITIES])
    dept_start = np.r_[0, np.cumsum([len(u.departments) for u in UNIVERSITIES])[:-1]]
    dept_count = np.array([len(u.departments) for u in UNIVERSITIES])
    department = dept_start[university] + (rng.random(n) * dept_count[university]).astype(np.int64)
    majors, dept_major_start, dept_major_count = [], [], []
    for u in UNIVERSITIES:
        for _, dept_majors in u.departments:
            dept_major_start.append(len(majors))
            dept_major_count.append(len(dept_majors))
            majors.extend(dept_majors)
    major = (np.array(dept_major_start)[department]
             + (rng.random(n) * np.array(dept_major_count)[department]).astype(np.int64))

    towns, town_start, town_count = [], [], []
    for c in COUNTIES:
        town_start.append(len(towns))
        town_count.append(len(c.towns))
        towns.extend(c.towns)
    town = np.array(town_start)[county] + (rng.random(n) * np.array(town_count)[county]).astype(np.int64)

    surname = pick_surname(rng, yi)
    given1, given2 = pick_given(rng, male, yi, old=False)
    graduated = grad_year <= CURRENT_YEAR
    employer = np.where(graduated & (rng.random(n) < 0.7), rng.integers(0, len(names.EMPLOYERS), n), -1)
    qq = np.where(rng.random(n) < 0.5, rng.integers(100_000_000, 3_999_999_999, n), 0)
    students = Students(
        n=n, county=county, university=university, department=department, major=major, level=level,
        study_years=study_years, enrolled=enrolled, grad_year=grad_year, birth=birth, male=male, yi=yi,
        surname=surname, given1=given1, given2=given2, seq=np.zeros(n, dtype=np.int64), town=town,
        village=rng.integers(0, len(names.VILLAGES), n), group=rng.integers(1, 13, n),
        house=rng.integers(1, 200, n), qq=qq, employer=employer,
        student_serial=np.zeros(n, dtype=np.int64), campus=rng.random(n) < 0.12,
        mobile_salt=int(rng.integers(0, 100_000_000)),
        surnames=SURNAME_VOCAB, given=GIVEN_VOCAB, towns=towns, majors=majors,
        dept_university=dept_university, dept_local=dept_local,
    )
    if n:
        _make_demo_student(students)
    region = id_regions(students.county, students.birth)
    students.seq = id_sequences(region, students.birth.astype(np.int64), students.male.astype(np.int64),
                                STUDENT_SEQ_BASE)
    if n:
        students.seq[0] = 517  # see logins.DEMO_STUDENT_ID_NUMBER
    students.student_serial = 1 + rank_within(students.department * 10_000 + students.enrolled)
    # Rows in 身份证号 order (the demo student stays first): PostgreSQL then finds the unique index's
    # input already sorted when it rebuilds it, which saves most of the text comparisons.
    key = (region * 100_000_000 + _yyyymmdd(students.birth)) * 1_000 + students.seq
    order = np.r_[0, 1 + np.argsort(key[1:], kind="stable")] if n else np.arange(0)
    for f in fields(students):
        value = getattr(students, f.name)
        if isinstance(value, np.ndarray) and f.name not in VOCABULARY_FIELDS:
            setattr(students, f.name, value[order])
    return students


VOCABULARY_FIELDS = {"dept_university", "dept_local"}


def _yyyymmdd(days: np.ndarray) -> np.ndarray:
    year, month, dom = civil(days)
    return year * 10_000 + month * 100 + dom


def _make_demo_student(s: Students) -> None:
    """Row 0 is the demo student of logins.py: 李明轩, 三台县, 四川大学经济学院, 2024 entrant."""
    s.county[0], s.university[0], s.department[0], s.level[0] = 0, 0, 0, UNDERGRADUATE
    s.major[0], s.study_years[0], s.enrolled[0], s.grad_year[0] = 0, 4, 2024, 2028
    s.birth[0] = np.datetime64(DEMO_STUDENT_BIRTH_DATE)
    s.male[0], s.yi[0], s.campus[0], s.employer[0] = True, False, False, -1
    s.town[0] = 0  # the first town of 三台县 (towns are listed county by county)
    surname, given = DEMO_STUDENT_NAME[0], DEMO_STUDENT_NAME[1:]
    s.surname[0] = SURNAME_VOCAB.index(surname)
    ym1, ym2 = GIVEN_POOLS["ym1"], GIVEN_POOLS["ym2"]
    s.given1[0] = GIVEN_VOCAB.index(given[0], ym1[0], ym1[0] + ym1[1])
    s.given2[0] = GIVEN_VOCAB.index(given[1], ym2[0], ym2[0] + ym2[1])


def graduation_dates(grad_year: np.ndarray) -> np.ndarray:
    return day(grad_year, 6, 30)

