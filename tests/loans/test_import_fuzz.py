"""Hypothesis fuzzing of the deduction result imports (both layouts), the generic .xlsx reader and
``xuedai quote`` (tests/harness/fuzz.py): 0 crashes, 0 partial saves, 0 inconsistent imports.

Small runs for CI; ``bench/fuzz_imports.py`` runs the same fuzzers with thousands of examples.
"""

import pytest

from tests.harness.deduction import DAY, settled_accounts
from tests.harness.fuzz import bad_count, fuzz_deduction_imports, fuzz_quote, fuzz_read_xlsx
from xuedai.loans.deduction.services import deduction_prepare


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_fuzzed_deduction_result_files(province, media, tmp_path):
    settled_accounts(province, 2)
    runs = deduction_prepare(on=DAY)
    counts = fuzz_deduction_imports(runs, tmp_path, examples=60)

    assert counts["examples"] == 60 and counts["refused"] > 0
    assert bad_count(counts) == 0, counts


def test_fuzzed_xlsx_reader():
    counts = fuzz_read_xlsx(examples=60)
    assert counts["examples"] == 60 and bad_count(counts) == 0, counts


def test_fuzzed_quote_requests():
    counts = fuzz_quote(examples=150)
    assert counts["examples"] == 150 and counts["refused"] > 0 and bad_count(counts) == 0, counts
