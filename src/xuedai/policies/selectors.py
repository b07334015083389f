"""Reads of policy versions: which parameters govern a contract on a date (DOMAIN.md §1).

Two questions, two functions:

``policy_for(product, region_code, signed_on)`` — the version a contract is signed under.
    The versions that apply to a region are the national ones (region "") and those of its province
    (the first two digits of the county code). Among them the one with the latest effective_from on
    or before the date governs; on the same date the provincial one wins. So a provincial version is
    in force from its date until a later version for that province or a later national notice takes
    effect — provinces implement national notices, and a newer national notice supersedes the
    provincial detail written under an older one. Example: a Sichuan (51) home-county contract signed
    2015-10-10 gets the 2012 Sichuan version; one signed 2021-10-10 gets the 2021 national notice.

``effective_terms(contract_or_params, on_date)`` — the rate in force on a day, and the version.
    DOMAIN.md §1: "a contract keeps the policy version it was signed under, except where a later
    notice applies to existing contracts (rate cuts …)". The rate at signing comes from the signing
    version's rule on the signing day; after that it moves on the days ``policies.repricing`` gives
    (the one source, shared with the loans' rate schedule): each 1 January an LPR-linked rate resets
    to the last LPR published before it; a later notice whose rate applies to existing contracts
    reaches them on its own effective date (the 2023 LPR − 60 bp cut: 1 September 2023).

    Worked example: a 2021-10-15 national contract: 2021 → 4.65% − 0.30 = 4.35%;
    1 Jan 2023 (LPR of 2022-08-22, 4.30%) → 4.00%; 1 Sep 2023 (2023 cut, LPR of 2023-08-21,
    4.20%) → 3.60%.

    Everything else (amount range, term, penalty multiplier, co-borrower rules) stays the signing
    version's. The one exception is the five-tier classification rule, a banking rule applied to
    every loan at the report date (DOMAIN.md §6): it is taken from the version in force on on_date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from .models import LprRate, PolicyVersion, RateKind
from .params import PolicyParams, as_core_params
from .products import Product
from .regions import province_of, region_label
from .repricing import BASIS_POINT, RATE_PLACES, ResetOf, breakpoints, default_reset, lpr_history_load


class PolicyNotFound(LookupError):
    """No policy version (or LPR) covers the date asked about; the message is for the user."""


# ---- which version ----------------------------------------------------------------------------------

def versions_for_region(product: str, region_code: str) -> QuerySet[PolicyVersion]:
    """The versions that may govern `product` in a region: national and the province's own."""
    return PolicyVersion.objects.filter(product=product, region_code__in=["", province_of(region_code)])


def _newest_first(qs: QuerySet[PolicyVersion]) -> QuerySet[PolicyVersion]:
    # "51" sorts after "": descending puts the provincial version first on an equal date.
    return qs.order_by("-effective_from", "-region_code")


def policy_for(product: str, region_code: str, signed_on: dt.date) -> PolicyVersion:
    """The version a contract of `product` signed on `signed_on` in `region_code` is signed under.

    >>> policy_for("home_county", "510722", date(2015, 10, 10)).name   # doctest: +SKIP
    '四川省生源地信用助学贷款（2012年业务指南）'
    """
    version = _newest_first(versions_for_region(product, region_code)
                            .filter(effective_from__lte=signed_on)).first()
    if version is None:
        raise PolicyNotFound(
            f"{signed_on:%Y年%m月%d日}没有适用于{Product(product).label}（{region_label(region_code)}）的"
            "政策版本，请系统管理员先新增政策版本。")
    return version


def previous_version(version: PolicyVersion) -> PolicyVersion | None:
    """The version that governed the same product and region the day before this one started."""
    try:
        return policy_for(version.product, version.region_code,
                          version.effective_from - dt.timedelta(days=1))
    except PolicyNotFound:
        return None


def next_version(version: PolicyVersion) -> PolicyVersion | None:
    """The version that ends this one: a later version for its own region (or a national notice)."""
    later = versions_for_region(version.product, version.region_code).filter(
        Q(effective_from__gt=version.effective_from)
        | Q(effective_from=version.effective_from, region_code__gt=version.region_code))
    if not version.region_code:
        later = later.filter(region_code="")
    return later.order_by("effective_from", "region_code").first()


def version_status(version: PolicyVersion, today: dt.date) -> str:
    """未生效 / 现行 / 已被取代 on `today` (the business date) for the version's own region."""
    if version.effective_from > today:
        return "未生效"
    successor = next_version(version)
    if successor is not None and successor.effective_from <= today:
        return "已被取代"
    return "现行"


# ---- the LPR ---------------------------------------------------------------------------------------

def lpr_on(day: dt.date) -> LprRate:
    """The LPR publication in force on `day`: the last one published on or before it."""
    rate = LprRate.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    if rate is None:
        raise PolicyNotFound(
            f"{day:%Y年%m月%d日}之前没有公布的LPR（LPR自2019年8月20日起公布），无法计算利率。")
    return rate


# ---- which rate ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ContractParams:
    """What effective_terms needs when there is no Contract row yet (a quote, an import)."""

    product: str
    region_code: str
    signed_on: dt.date
    annual_rate: Decimal | None = None  # a commercial loan's contract rate
    version: PolicyVersion | None = None  # None: resolved with policy_for


@dataclass(frozen=True)
class EffectiveTerms:
    version: PolicyVersion  # signed under: amounts, term, penalty multiplier, co-borrower rules
    on_date: dt.date
    annual_rate: Decimal  # the contract rate in force on on_date (fraction, 5 places)
    rate_version: PolicyVersion  # whose rate rule gave annual_rate (version, or a later one)
    rate_reference_date: dt.date
    lpr_five_year_plus: Decimal | None
    lpr_published_on: dt.date | None
    classification_rule: str  # the rule in force on on_date (DOMAIN.md §6)

    @property
    def penalty_rate(self) -> Decimal:
        """Penalty interest rate: the signing version's multiplier × today's rate ([001 附件四])."""
        return (self.annual_rate * self.version.penalty_multiplier).quantize(RATE_PLACES)

    @property
    def repriced_by_later_notice(self) -> bool:
        return self.rate_version.pk != self.version.pk

    def explanation(self) -> str:
        """One Chinese sentence for a statement or a page: where today's rate comes from."""
        rule = self.rate_version
        if rule.rate_kind == RateKind.LPR_MINUS:
            how = (f"5年期以上LPR {self.lpr_five_year_plus:.2%}（{self.lpr_published_on:%Y-%m-%d}公布）"
                   f"减{rule.lpr_spread_bp}个基点")
        elif rule.rate_kind == RateKind.FIXED:
            how = "固定利率"
        else:
            how = "借款合同约定利率"
        later = f"，按后续政策「{rule.name}」适用于存量合同" if self.repriced_by_later_notice else ""
        on = f"{self.rate_reference_date:%Y-%m-%d}"
        return f"执行年利率{self.annual_rate:.2%}：{how}（定价日{on}{later}）。"

    def core_params(self) -> PolicyParams:
        return as_core_params(self.version, annual_rate=self.annual_rate,
                              classification_rule=self.classification_rule)


def contract_region_code(contract) -> str:
    """The region whose policy governs a contract: the signing county for home-county loans, the
    university for campus loans (DOMAIN.md §1 "where the student applies")."""
    orgs = ((contract.county, contract.university) if contract.product != Product.CAMPUS
            else (contract.university, contract.county))
    for org in orgs:
        if org is not None and org.region_code:
            return org.region_code
    return contract.borrower.household_region_code if contract.product == Product.HOME_COUNTY else ""


def _as_params(contract_or_params) -> ContractParams:
    """A ``ContractParams`` as it is, or the parameters of an ``origination.Contract`` row (duck-typed:
    policies sits below origination and does not import it)."""
    if isinstance(contract_or_params, ContractParams):
        return contract_or_params
    contract = contract_or_params
    return ContractParams(product=contract.product, region_code=contract_region_code(contract),
                          signed_on=contract.signed_on or contract.applied_on,
                          annual_rate=contract.annual_rate, version=contract.policy_version)


def rate_reference_date(signed_on: dt.date, on_date: dt.date) -> dt.date:
    """The signing date in the signing year; 1 January of on_date's year after that (the LPR reset
    day by default; the rate itself comes from ``policies.repricing``)."""
    return max(signed_on, dt.date(on_date.year, 1, 1))


def _rate_rule(version: PolicyVersion, region_code: str, reference: dt.date) -> PolicyVersion:
    later = _newest_first(versions_for_region(version.product, region_code).filter(
        rate_applies_to_existing=True, effective_from__gt=version.effective_from,
        effective_from__lte=reference)).first()
    return later or version


def _rate(rule: PolicyVersion, reference: dt.date,
          contract_rate: Decimal | None) -> tuple[Decimal, LprRate | None]:
    if rule.rate_kind == RateKind.FIXED:
        return Decimal(rule.fixed_rate), None
    if rule.rate_kind == RateKind.LPR_MINUS:
        lpr = lpr_on(reference)
        return (lpr.five_year_plus - rule.lpr_spread_bp * BASIS_POINT).quantize(RATE_PLACES), lpr
    if contract_rate is None:
        raise PolicyNotFound(f"「{rule.name}」的利率按借款合同约定，请提供合同利率。")
    return Decimal(contract_rate), None


def effective_terms(contract_or_params, on_date: dt.date, *,
                    reset_of: ResetOf = default_reset) -> EffectiveTerms:
    """The signing version and the annual rate in force on `on_date` (rules in the module docstring;
    ``reset_of``: each version's reset rule, the defaults unless loans passes its rows)."""
    params = _as_params(contract_or_params)
    version = params.version or policy_for(params.product, params.region_code, params.signed_on)
    rule = _rate_rule(version, params.region_code, params.signed_on)
    rate, lpr = _rate(rule, params.signed_on, params.annual_rate)
    reference = params.signed_on
    lpr_rate = lpr.five_year_plus if lpr else None
    lpr_published = lpr.effective_from if lpr else None
    history = lpr_history_load()
    for point in breakpoints(version, params.region_code, params.signed_on, on_date,
                             reset_of=reset_of, history=history):
        rule, rate, reference = point.rule, point.annual_rate, point.on
        lpr_published = point.lpr_published_on
        lpr_rate = dict(history).get(lpr_published) if lpr_published else None
    try:
        classification = policy_for(version.product, params.region_code, on_date).classification_rule
    except PolicyNotFound:  # on_date before any version: the signing version's own rule
        classification = version.classification_rule
    return EffectiveTerms(
        version=version, on_date=on_date, annual_rate=rate, rate_version=rule,
        rate_reference_date=reference,
        lpr_five_year_plus=lpr_rate,
        lpr_published_on=lpr_published,
        classification_rule=classification,
    )


# ---- pages ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class VersionGroup:
    product_label: str
    region_label: str
    region_code: str
    rows: list[tuple[PolicyVersion, str]]  # (version, status), newest first


def version_groups(today: dt.date, *, product: str | None = None) -> list[VersionGroup]:
    """Every version grouped by product, then national before provincial, newest first inside."""
    qs = PolicyVersion.objects.all()
    if product:
        qs = qs.filter(product=product)
    versions = sorted(qs, key=lambda v: (list(Product.values).index(v.product), v.region_code,
                                         -v.effective_from.toordinal()))
    groups: list[VersionGroup] = []
    for version in versions:
        if not groups or (groups[-1].product_label, groups[-1].region_code) != (
                version.get_product_display(), version.region_code):
            groups.append(VersionGroup(version.get_product_display(), region_label(version.region_code),
                                       version.region_code, []))
        groups[-1].rows.append((version, version_status(version, today)))
    return groups


def lpr_history() -> QuerySet[LprRate]:
    return LprRate.objects.order_by("-effective_from")
