"""Each student's co-borrower (共同借款人) and emergency contact.

The co-borrower is a parent or guardian with the same county household (DOMAIN.md §1: [001 附件二]),
aged 25–60 on every signing day of the student's contracts: born 20–38 years before the student,
but never more than 60 years before the last signing year. A father shares the student's surname.
"""

from dataclasses import dataclass

import numpy as np

from . import names
from .people import (
    PARENT_SEQ_BASE,
    Students,
    day,
    id_regions,
    id_sequences,
    pick_given,
    pick_surname,
    weighted,
)

FATHER, MOTHER, GUARDIAN = 0, 1, 2
RELATIONS = ["father", "mother", "guardian"]
# Emergency contact relation labels: the other parent, older relatives, then siblings.
CONTACT_RELATIONS = ["父亲", "母亲", *(r for r, _, _ in names.EMERGENCY_RELATIONS_OLDER),
                     *names.EMERGENCY_RELATIONS_SIBLING]
_MALE = np.array([True, False, *(m for _, m, _ in names.EMERGENCY_RELATIONS_OLDER), True, False])
_FAMILY_NAME = np.array([True, False, *(p for _, _, p in names.EMERGENCY_RELATIONS_OLDER), True, True])
_OLDER = range(2, 2 + len(names.EMERGENCY_RELATIONS_OLDER))
_BROTHER = CONTACT_RELATIONS.index("哥哥")
_SISTER = CONTACT_RELATIONS.index("姐姐")


@dataclass
class CoBorrowers:
    relation: np.ndarray
    male: np.ndarray
    surname: np.ndarray
    given1: np.ndarray
    given2: np.ndarray
    birth: np.ndarray
    seq: np.ndarray
    work: np.ndarray  # index into names.PARENT_WORK


@dataclass
class Contacts:
    relation: np.ndarray  # index into CONTACT_RELATIONS
    surname: np.ndarray
    given1: np.ndarray
    given2: np.ndarray
    town_shift: np.ndarray  # the contact lives in the same county, elsewhere
    village: np.ndarray
    group: np.ndarray
    house: np.ndarray


def make_co_borrowers(s: Students, first_year: np.ndarray, last_year: np.ndarray,
                      rng: np.random.Generator) -> CoBorrowers:
    n = s.n
    relation = weighted(rng, [55, 40, 5], n)
    male = np.where(relation == FATHER, True, np.where(relation == MOTHER, False, rng.random(n) < 0.5))
    surname = np.where(relation == FATHER, s.surname, pick_surname(rng, s.yi))
    given1, given2 = pick_given(rng, male, s.yi, old=True)
    gap_days = (rng.integers(20, 39, n) * 365.25 + rng.integers(0, 365, n)).astype(np.int64)
    birth = s.birth - gap_days
    # Age ≤ 60 through the last signing year: born no earlier than 1 January (last year − 60).
    earliest = day(last_year - 60)
    birth = np.where(birth < earliest, earliest + rng.integers(0, 3 * 365, n), birth)
    # Age ≥ 25 on the first signing day (1 July at the earliest) holds by construction; assert it.
    assert n == 0 or (birth <= day(first_year - 25, 7, 1)).all()
    region = id_regions(s.county, birth)
    seq = id_sequences(region, birth.astype(np.int64), male.astype(np.int64), PARENT_SEQ_BASE)
    work = weighted(rng, [w for _, w in names.PARENT_WORK], n)
    return CoBorrowers(relation=relation, male=male, surname=surname, given1=given1, given2=given2,
                       birth=birth, seq=seq, work=work)


def make_contacts(s: Students, co: CoBorrowers, rng: np.random.Generator) -> Contacts:
    n = s.n
    kind = weighted(rng, [45, 35, 20], n)  # other parent, older relative, sibling
    other_parent = np.where(co.relation == MOTHER, 0, 1)  # 父亲 if the co-borrower is the mother
    older = rng.integers(_OLDER.start, _OLDER.stop, n)
    brother = rng.random(n) < 0.5
    relation = np.select([kind == 0, kind == 1], [other_parent, older],
                         np.where(brother, _BROTHER, _SISTER))
    contact_male = _MALE[relation]
    surname = np.where(_FAMILY_NAME[relation], s.surname, pick_surname(rng, s.yi))
    g1_old, g2_old = pick_given(rng, contact_male, s.yi, old=True)
    g1_young, g2_young = pick_given(rng, contact_male, s.yi, old=False)
    sibling = kind == 2
    return Contacts(relation=relation, surname=surname,
                    given1=np.where(sibling, g1_young, g1_old), given2=np.where(sibling, g2_young, g2_old),
                    town_shift=rng.integers(0, 3, n), village=rng.integers(0, len(names.VILLAGES), n),
                    group=rng.integers(1, 13, n), house=rng.integers(1, 200, n))
