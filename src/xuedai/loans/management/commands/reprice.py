"""`xuedai reprice [--date DATE] [--province 51]`: register the rate changes due by a day.

The daily run's job on 1 January (LPR resets) and on a notice's own day (a cut for existing
contracts), before that day's postings (loans.services.rates; DOMAIN.md §1 interest rate)."""

from django.core.management.base import BaseCommand, CommandError

from xuedai.loans.services.rates import rate_changes_post

from ._common import parse_date


class Command(BaseCommand):
    help = "登记存量合同利率调整（政策调整、LPR重定价）/ register rate changes due by a day"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="截至日期 (默认：当前业务日期)")
        parser.add_argument("--province", help="省份代码两位，如 51 (默认：全部)")

    def handle(self, *args, date=None, province=None, **options):
        if province is not None and not (len(province) == 2 and province.isdigit()):
            raise CommandError(f"--province 应为两位省份代码（如 51）：{province!r}")
        result = rate_changes_post(actor=None, until=parse_date(date), province=province)
        self.stdout.write(self.style.SUCCESS(
            f"已登记利率调整：{len(result.contracts)} 份合同、{result.changes} 次"
            + (f"；{len(result.late)} 份合同的调整早于其已入账的分录，未登记" if result.late else "")))
