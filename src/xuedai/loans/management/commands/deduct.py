"""`xuedai deduct [--date DATE] [--simulate-channel SEED]`: the deduction run of the 20th.

Writes the 扣款明细表 (Alipay) and 批量扣款信息表(代理行版) files under MEDIA_ROOT; with
--simulate-channel the channel simulator answers at once and the result is imported and posted.
"""

from django.core.management.base import BaseCommand, CommandError

from xuedai.loans.channel_simulator import channel_answer
from xuedai.loans.deduction.services import (
    deduction_import,
    deduction_post,
    deduction_prepare,
    is_deduction_day,
)

from ._common import parse_date


class Command(BaseCommand):
    help = "批量扣款：生成扣款文件（支付宝、代理行） / write the deduction files of the 20th"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="扣款日 (默认：当前业务日期)")
        parser.add_argument("--simulate-channel", type=int, default=None, metavar="SEED")

    def handle(self, *args, date=None, simulate_channel=None, **options):
        day = parse_date(date)
        if not is_deduction_day(day):
            raise CommandError(f"{day} 不是扣款日（每月20日，11月20日除外）")
        for run in deduction_prepare(on=day):
            self.stdout.write(f"{run} {run.lines_count} 笔 应扣 {run.amount_requested} 元"
                              f" → {run.request_file}")
            if simulate_channel is not None and run.status == "sent":
                deduction_import(actor=None, run=run, path=channel_answer(run=run, seed=simulate_channel))
            if run.status == "imported":
                deduction_post(actor=None, run=run)
                self.stdout.write(f"  实扣 {run.amount_paid} 元，失败 {run.failed_count} 笔")
