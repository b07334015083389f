"""`xuedai deduction-import --run ID --file PATH`: read a channel's result file and post it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xuedai.loans.deduction.services import ImportError_, deduction_import, deduction_post
from xuedai.loans.models import DeductionRun


class Command(BaseCommand):
    help = "导入扣款结果文件并入账 / import a channel's result file"

    def add_arguments(self, parser):
        parser.add_argument("--run", type=int, required=True)
        parser.add_argument("--file", required=True)

    def handle(self, *args, run, file, **options):
        try:
            deduction_run = DeductionRun.objects.get(pk=run)
        except DeductionRun.DoesNotExist:
            raise CommandError(f"没有批量扣款 {run}") from None
        try:
            deduction_import(actor=None, run=deduction_run, path=Path(file))
        except ImportError_ as error:
            raise CommandError("\n".join(error.errors)) from None
        deduction_post(actor=None, run=deduction_run)
        self.stdout.write(self.style.SUCCESS(
            f"已入账：实扣 {deduction_run.amount_paid} 元，失败 {deduction_run.failed_count} 笔"))
