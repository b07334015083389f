"""The payments a contract has received, as quote requests want them ({on, amount})."""

from django.apps import apps

from xuedai.origination.models import Contract


def payments_for_contract(contract: Contract) -> list[dict]:
    # The ledger (loans app) holds repayments once it is installed; before disbursement there are none.
    if not apps.is_installed("xuedai.loans"):
        return []
    from xuedai.loans.selectors import repayments_for_quote

    return repayments_for_quote(contract)
