"""`xuedai classify [--date DATE]`: quarter-end five-tier classification, stored per contract."""

from django.core.management.base import BaseCommand, CommandError

from xuedai.loans.batches import classification_batch, is_quarter_end

from ._common import parse_date, progress


class Command(BaseCommand):
    help = "季末五级分类 / quarter-end classification"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="季末日 (默认：当前业务日期)")

    def handle(self, *args, date=None, **options):
        day = parse_date(date)
        if not is_quarter_end(day):
            raise CommandError(f"{day} 不是季末（3月31日、6月30日、9月30日、12月31日）")
        run = classification_batch(on=day, out=progress(self.stdout))
        self.stdout.write(self.style.SUCCESS(f"五级分类完成：{run.progress_done} 户"))
