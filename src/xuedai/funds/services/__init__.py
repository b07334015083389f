"""Writes of the funds app: each top-level service is durable-atomic and records its audit entry in
the same transaction.

- :mod:`.accruals`   风险补偿金 statistics and request (申请书), the bank's confirmation (确认书)
- :mod:`.settlement` the 20 Dec settlement waterfall of every fund in repayment
- :mod:`.subsidy`    the finance department's subsidy transfer, posted contract by contract
"""

from .accruals import accrual_confirm, accrual_request
from .errors import FundsError
from .settlement import settlement_run
from .subsidy import subsidy_payment_record

__all__ = ["FundsError", "accrual_confirm", "accrual_request", "settlement_run", "subsidy_payment_record"]
