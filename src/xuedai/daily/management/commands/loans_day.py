"""`xuedai loans-day [--date DATE] [--simulate-channel SEED]`: every loans batch a day needs.

Settlement (20 Dec, maturities), the deduction run on the 20th (not 20 Nov), quarter-end penalty
accrual and classification. Without --simulate-channel the deduction files wait for the channel's
result (`xuedai deduction-import`). Each batch is idempotent: re-running a day posts nothing twice.
"""

from django.core.management.base import BaseCommand

from xuedai.daily.calendar import business_day_run
from xuedai.loans.management.commands._common import parse_date, progress


class Command(BaseCommand):
    help = "运行某业务日的全部贷款批处理 / run the loans batches of a business day"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="业务日期 (默认：当前业务日期)")
        parser.add_argument("--simulate-channel", type=int, default=None, metavar="SEED",
                            help="用渠道模拟器立即回盘（演示、测试）")

    def handle(self, *args, date=None, simulate_channel=None, **options):
        day = parse_date(date)
        summary = business_day_run(on=day, channel_seed=simulate_channel, out=progress(self.stdout))
        self.stdout.write(self.style.SUCCESS(f"{day} 完成：{summary}"))
