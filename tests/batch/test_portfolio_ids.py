"""The benchmark portfolio's identity numbers (``batch.portfolio.id_numbers``): valid GB 11643
numbers, one per borrower, on both sides of the 3.65-million boundary where the birth days move to
a second block (1985–1993) — a 2 × 10⁷-contract portfolio has 5 million borrowers."""

import numpy as np
import pytest
from stdnum.cn import ric

from xuedai.batch.portfolio import id_numbers

BOUNDARY = 3653 * 1000
LAST = (3653 + 3287) * 1000


def test_numbers_are_valid_and_unique_across_the_second_block():
    borrowers = np.concatenate([np.arange(0, 3000), np.arange(BOUNDARY - 3000, BOUNDARY + 3000),
                                np.arange(LAST - 3000, LAST)])
    numbers, _ = id_numbers(borrowers, np.full(len(borrowers), 510722))
    texts = [n.decode() for n in numbers]
    assert len(set(texts)) == len(borrowers)
    assert all(ric.is_valid(t) for t in texts)
    assert texts[0][6:10] == "1994" and texts[3000 + 3000][6:10] == "1985"  # the first of the second block


def test_beyond_the_scheme_is_refused():
    with pytest.raises(ValueError, match=r"6\.94 million"):
        id_numbers(np.array([LAST]), np.array([510722]))
