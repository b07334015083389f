"""Contract numbers: {product code}{year}{issuer's region code:6}{n:08}, continuing that issuer's year
— the format the demo's contracts carry too, so a number says who issued it for which year
(SY2026510722 00000123: 三台县, 2026 学年). An issuer without a region code (a bank branch may have
none) is numbered by its id instead, still six digits.

The issuing organisation's row is locked first, so two operators cannot take the same numbers.
Codes: SY 生源地 (the county), XY 校园地 (the university), SD 商业 (the bank branch).
"""

from xuedai.orgs.models import Organisation

from .models import Contract


def contract_prefix(issuer: Organisation, code: str, year: int) -> str:
    region = issuer.region_code if len(issuer.region_code or "") == 6 else f"{issuer.pk:06d}"
    return f"{code}{year}{region}"


def next_contract_numbers(issuer: Organisation, code: str, year: int, count: int = 1) -> list[str]:
    Organisation.objects.select_for_update(of=("self",)).filter(pk=issuer.pk).first()
    prefix = contract_prefix(issuer, code, year)
    last = (Contract.objects.filter(contract_no__startswith=prefix).order_by("-contract_no")
            .values_list("contract_no", flat=True).first())
    start = int(last[len(prefix):]) + 1 if last else 1
    return [f"{prefix}{n:08d}" for n in range(start, start + count)]
