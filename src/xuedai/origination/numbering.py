"""Contract numbers: {product code}{year}{organisation id:05}{n:05}, continuing that organisation's year.

The issuing organisation's row is locked first, so two operators cannot take the same numbers.
Codes: SY 生源地 (the county), XY 校园地 (the university), SD 商业 (the bank branch).
"""

from xuedai.orgs.models import Organisation

from .models import Contract


def next_contract_numbers(issuer: Organisation, code: str, year: int, count: int = 1) -> list[str]:
    Organisation.objects.select_for_update(of=("self",)).filter(pk=issuer.pk).first()
    prefix = f"{code}{year}{issuer.pk:05d}"
    last = (Contract.objects.filter(contract_no__startswith=prefix).order_by("-contract_no")
            .values_list("contract_no", flat=True).first())
    start = int(last[len(prefix):]) + 1 if last else 1
    return [f"{prefix}{n:05d}" for n in range(start, start + count)]
