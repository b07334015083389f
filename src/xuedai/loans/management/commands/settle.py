"""`xuedai settle [--date DATE]`: annual settlement (20 Dec) and settlement at maturity."""

from django.core.management.base import BaseCommand

from xuedai.loans.batches import settlement_batch

from ._common import parse_date, progress


class Command(BaseCommand):
    help = "结息：每年12月20日及到期日 / settle interest on a settlement day"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="结息日 (默认：当前业务日期)")

    def handle(self, *args, date=None, **options):
        run = settlement_batch(on=parse_date(date), out=progress(self.stdout))
        self.stdout.write(self.style.SUCCESS(f"结息完成：{run.progress_done} 户（任务 {run.pk}）"))
