"""`xuedai simulate --until DATE [--seed S]`: run the business calendar forward over the portfolio.

Starts from the stored business date, opens the ledger of live contracts that have none (take-on),
then jumps from event day to event day (each 20th, quarter ends, 20 Dec, maturities, the November
payout), storing each as the business date and running that day's batches with the channel
simulator answering the deduction files.
"""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from xuedai import businessdate
from xuedai.daily.calendar import business_day_run, event_days
from xuedai.loans.management.commands._common import parse_date
from xuedai.loans.models import LoanAccount
from xuedai.loans.services import account_take_on
from xuedai.origination.models import LIVE_STATES, Contract


class Command(BaseCommand):
    help = "按业务日历向前模拟：结息、批量扣款、罚息、五级分类 / run the business calendar forward"

    def add_arguments(self, parser):
        parser.add_argument("--until", required=True, help="模拟到该日 (YYYY-MM-DD)")
        parser.add_argument("--seed", type=int, default=2024, help="渠道模拟器的随机种子")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, until, seed, quiet=False, **options):
        start, end = businessdate.today(), parse_date(until)
        if end <= start:
            raise CommandError(f"--until 须晚于当前业务日期 {start}")
        started = time.monotonic()
        self.stdout.write(f"模拟 {start} → {end}")
        opened = 0
        for contract in (Contract.objects.filter(state__in=LIVE_STATES, account__isnull=True,
                                                 disbursed_on__lte=start)
                         .select_related("policy_version").order_by("pk")):
            account_take_on(actor=None, contract=contract, as_of=start)
            opened += 1
        if opened:
            self.stdout.write(f"  期初建账 {opened} 户")
        days = event_days(start, end)
        for index, day in enumerate(days, start=1):
            businessdate.set_stored_business_date(day)
            with businessdate.business_date(day):
                summary = business_day_run(on=day, channel_seed=seed, disburse=True)
            if not quiet:
                shown = "，".join(f"{k} {v}" for k, v in summary.items() if v)
                self.stdout.write(f"  [{index}/{len(days)}] {day} {shown}")
        businessdate.set_stored_business_date(end)
        live = LoanAccount.objects.filter(contract__state__in=LIVE_STATES).count()
        elapsed = dt.timedelta(seconds=round(time.monotonic() - started))
        self.stdout.write(self.style.SUCCESS(f"完成：业务日期 {end}，在贷 {live} 户，用时 {elapsed}。"))
