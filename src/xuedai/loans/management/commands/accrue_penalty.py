"""`xuedai accrue-penalty [--date DATE]`: penalty and compound interest accrued to a day."""

from django.core.management.base import BaseCommand

from xuedai.loans.batches import penalty_batch

from ._common import parse_date, progress


class Command(BaseCommand):
    help = "计提罚息、复利 / accrue penalty interest"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="计至 (默认：当前业务日期)")

    def handle(self, *args, date=None, **options):
        run = penalty_batch(on=parse_date(date), out=progress(self.stdout))
        self.stdout.write(self.style.SUCCESS(f"罚息计提完成：{run.progress_done} 户"))
