"""Which policy version and rate each demo contract is signed under — through the real selectors.

The answer of policies.selectors for a signing day can only change on a day a policy version or an
LPR publication takes effect. So the days are cut into intervals at those dates, the selectors are
asked once per interval (a few dozen calls for a million contracts), and the answer is spread back
over the contracts with NumPy: the demo cannot disagree with the rules the rest of the system
applies (DOMAIN.md §1, ARCHITECTURE principle 5).
"""

from dataclasses import dataclass, field

import numpy as np

from xuedai.policies.models import LprRate, PolicyVersion
from xuedai.policies.params import as_core_params, max_term_years
from xuedai.policies.selectors import ContractParams, PolicyNotFound, effective_terms, policy_for

# Every demo county and university is in Sichuan, and versions differ only by province, so one
# region code stands for all of them.
REGION_CODE = "510000"


@dataclass
class PolicyLookup:
    versions: list[PolicyVersion] = field(default_factory=list)
    rates: list[str] = field(default_factory=list)  # annual rates as COPY text ("0.03050")
    _version_index: dict[int, int] = field(default_factory=dict)
    _rate_index: dict[str, int] = field(default_factory=dict)
    _cache: dict[tuple[str, np.datetime64], tuple[int, int]] = field(default_factory=dict)

    def _version(self, version: PolicyVersion) -> int:
        if version.pk not in self._version_index:
            self._version_index[version.pk] = len(self.versions)
            self.versions.append(version)
        return self._version_index[version.pk]

    def _rate(self, text: str) -> int:
        if text not in self._rate_index:
            self._rate_index[text] = len(self.rates)
            self.rates.append(text)
        return self._rate_index[text]

    def _one(self, product: str, day: np.datetime64) -> tuple[int, int]:
        key = (product, day)  # the representative day of its interval
        if key not in self._cache:
            on = day.astype(object)
            try:
                version = policy_for(product, REGION_CODE, on)
            except PolicyNotFound:
                self._cache[key] = (-1, -1)
            else:
                # The rate at signing: effective_terms on the signing day itself (the repricing of
                # later years is the servicing engine's business, not the contract's).
                terms = effective_terms(ContractParams(product=product, region_code=REGION_CODE,
                                                       signed_on=on, version=version), on)
                self._cache[key] = (self._version(version), self._rate(f"{terms.annual_rate:.5f}"))
        return self._cache[key]

    def resolve(self, product: str, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(version index, rate index) per day; -1 where no version of the product is in force."""
        changes = sorted(set(PolicyVersion.objects.values_list("effective_from", flat=True))
                         | set(LprRate.objects.values_list("effective_from", flat=True)))
        edges = np.array(changes, dtype="datetime64[D]")
        interval = np.searchsorted(edges, days, side="right")
        # A few dozen intervals: one pass each finds its first day (np.unique would sort millions).
        answers = np.full((len(edges) + 1, 2), -1, dtype=np.int64)
        for i in np.flatnonzero(np.bincount(interval, minlength=len(edges) + 1)):
            answers[i] = self._one(product, days[np.argmax(interval == i)])
        return answers[interval, 0], answers[interval, 1]

    # ---- per-version parameters as arrays (indexed by version index) -----------------------------

    def column(self, name: str, convert=int) -> np.ndarray:
        return np.array([convert(getattr(v, name)) for v in self.versions])

    def ids(self) -> np.ndarray:
        return self.column("pk")

    def caps(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(min, undergraduate max, graduate max, multiple) in whole yuan; no cap → a large number."""
        def yuan(value):
            return 10**9 if value is None else int(value)
        return (self.column("amount_min", yuan), self.column("amount_max_undergraduate", yuan),
                self.column("amount_max_graduate", yuan), np.maximum(self.column("amount_multiple", yuan), 1))

    def term_table(self, max_remaining: int = 6, max_programme: int = 6) -> np.ndarray:
        """[version, remaining study years, programme years] → term in years (policies.params rule,
        at least the version's minimum term)."""
        table = np.zeros((len(self.versions), max_remaining + 1, max_programme + 1), dtype=np.int64)
        for i, version in enumerate(self.versions):
            params = as_core_params(version)
            for remaining in range(1, max_remaining + 1):
                for programme in range(1, max_programme + 1):
                    years = max_term_years(params, remaining_study_years=remaining,
                                           programme_years=programme)
                    table[i, remaining, programme] = max(params.term_min_years, years or remaining + 10)
        return table

    def month_day(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        pairs = [getattr(v, name).split("-") for v in self.versions]
        return (np.array([int(m) for m, _ in pairs], dtype=np.int64),
                np.array([int(d) for _, d in pairs], dtype=np.int64))
