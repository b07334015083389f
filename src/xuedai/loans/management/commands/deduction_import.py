"""`xuedai deduction-import --run ID [--file PATH]`: import a channel's result file and post it.

Without ``--file`` it only posts what earlier imports of the run left unposted (a killed process).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xuedai.loans.deduction.services import ImportError_, deduction_import, deduction_post
from xuedai.loans.models import DeductionRun


class Command(BaseCommand):
    help = "导入扣款结果文件并入账（不带 --file：只补完未入账的回盘） / import a channel's result file"

    def add_arguments(self, parser):
        parser.add_argument("--run", type=int, required=True)
        parser.add_argument("--file")

    def handle(self, *args, run, file=None, **options):
        try:
            deduction_run = DeductionRun.objects.get(pk=run)
        except DeductionRun.DoesNotExist:
            raise CommandError(f"没有批量扣款 {run}") from None
        if file:
            try:
                imported = deduction_import(actor=None, run=deduction_run, path=Path(file))
            except ImportError_ as error:
                raise CommandError("\n".join(error.errors)) from None
            self.stdout.write(f"已导入第{imported.number}份回盘：{imported.rows:,} 行，"
                              f"{imported.changed:,} 笔有变动，待入账 {imported.amount_to_post:,.2f} 元")
        deduction_post(actor=None, run=deduction_run)
        deduction_run.refresh_from_db()
        self.stdout.write(self.style.SUCCESS(
            f"已入账：实扣 {deduction_run.amount_paid:,.2f} 元，失败 {deduction_run.failed_count:,} 笔"))
