"""`xuedai relief-apply --programme ID [--graduation-year Y] [--county CODE] [--grade G …] [--defer]`.

Applies a relief programme (DOMAIN.md §1) to the chosen population of graduated borrowers in one
batch; a re-run skips accounts that already have it.
"""

from django.core.management.base import BaseCommand, CommandError

from xuedai.loans.batches import relief_batch
from xuedai.loans.models import ReliefProgramme
from xuedai.orgs.models import Organisation

from ._common import parse_date, progress


class Command(BaseCommand):
    help = "对选定人群适用免息延期政策 / apply a relief programme to a population"

    def add_arguments(self, parser):
        parser.add_argument("--programme", type=int, required=True)
        parser.add_argument("--date", help="适用日期 (默认：当前业务日期)")
        parser.add_argument("--graduation-year", type=int)
        parser.add_argument("--county", help="县资助中心机构代码")
        parser.add_argument("--grade", action="append", help="五级分类 (normal, special_mention, …)")
        parser.add_argument("--defer", action="store_true", help="当年本金延期一年")

    def handle(self, *args, programme, date=None, graduation_year=None, county=None, grade=None,
               defer=False, **options):
        try:
            chosen = ReliefProgramme.objects.get(pk=programme)
        except ReliefProgramme.DoesNotExist:
            raise CommandError(f"没有政策 {programme}") from None
        county_id = None
        if county:
            county_id = Organisation.objects.filter(code=county).values_list("pk", flat=True).first()
            if county_id is None:
                raise CommandError(f"没有机构代码 {county}")
        run = relief_batch(programme=chosen, on=parse_date(date), defer_principal=defer,
                           graduation_year=graduation_year, county_id=county_id, grades=grade,
                           out=progress(self.stdout))
        self.stdout.write(self.style.SUCCESS(f"{chosen}：已适用 {run.progress_done} 户"))
