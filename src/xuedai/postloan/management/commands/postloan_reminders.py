"""Run the day's reminder campaigns: `xuedai postloan_reminders [--date 2026-11-27] [--kind …]`.

Safe to run again on the same date: each campaign is an idempotent batch (nothing is sent twice).
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from xuedai import businessdate
from xuedai.postloan.models import CampaignKind
from xuedai.postloan.reminders import campaign_run


class Command(BaseCommand):
    help = "发送当日的还款提醒（年度还款提醒、11月20日–12月20日集中提醒）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="业务日期 YYYY-MM-DD（默认：当前业务日期）")
        parser.add_argument("--kind", action="append",
                            choices=[CampaignKind.ANNUAL_DUE, CampaignKind.INTENSIFIED],
                            help="只运行这类提醒（可重复）；扣款失败提醒由扣款导入调用")

    def handle(self, *args, **options):
        try:
            day = dt.date.fromisoformat(options["date"]) if options["date"] else businessdate.today()
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{options['date']}") from exc
        for kind in options["kind"] or [CampaignKind.ANNUAL_DUE, CampaignKind.INTENSIFIED]:
            campaign = campaign_run(kind=kind, business_date=day)
            count = campaign.reminders.count()
            self.stdout.write(f"{campaign}: {count} 条提醒记录")
