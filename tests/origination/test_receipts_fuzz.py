"""Hypothesis fuzzing of the receipts import (tests/harness/fuzz.py): whatever file a university
uploads — .xlsx or CSV in any encoding, bent cells, damaged bytes — the answer is a saved import or a
list of Chinese errors with nothing saved; never an exception."""

from tests.harness.fuzz import bad_count, fuzz_receipts
from xuedai.origination.models import ContractState


def test_fuzzed_receipt_files(people, walk, make_borrower):
    def make_signed():
        return walk(make_borrower(), ContractState.SIGNED)

    signed = [make_signed() for _ in range(3)]
    counts = fuzz_receipts(people["officer"], signed, examples=40, make_signed=make_signed)
    assert counts["examples"] == 40 and counts["refused"] > 0
    assert bad_count(counts) == 0, counts
