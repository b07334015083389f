"""`xuedai createstaff`: create a staff account and print its one-time set-up link (no default password).

    xuedai createstaff --username wangli --org-code 510722 --role operator --role supervisor --name 王丽
"""

import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from xuedai.orgs.forms import StaffUserForm
from xuedai.orgs.models import Organisation, Role, User
from xuedai.orgs.services import SETUP_LINK_HOURS, setup_link_create, user_create

STAFF_CHOICES = [r.value for r in Role if r != Role.STUDENT]


class Command(BaseCommand):
    help = "创建工作人员账号并输出一次性设置链接 / create a staff account and print its set-up link"

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True, help="用户名（以字母开头）")
        parser.add_argument("--org-code", required=True, help="所属机构的机构代码")
        parser.add_argument("--role", action="append", required=True, choices=STAFF_CHOICES,
                            help="角色，可重复：" + ", ".join(STAFF_CHOICES))
        parser.add_argument("--name", default="", help="姓名")
        parser.add_argument("--mobile", default="", help="手机号")
        parser.add_argument("--base-url", default=os.environ.get("XUEDAI_BASE_URL", "http://127.0.0.1:8000"),
                            help="站点地址，用于拼出完整链接（默认取 XUEDAI_BASE_URL）")

    def handle(self, *args, username, org_code, role, name, mobile, base_url, **options):
        # The same field rules as the administrators' page, so both paths make the same accounts.
        form = StaffUserForm({"username": username, "real_name": name or username, "mobile": mobile,
                              "roles": role})
        if not form.is_valid():
            problems = "; ".join(f"{form.fields[f].label}：{' '.join(e)}" for f, e in form.errors.items())
            raise CommandError(problems)
        organisation = Organisation.objects.filter(code=org_code).first()
        if organisation is None:
            raise CommandError(f"机构代码 {org_code} 不存在。")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"用户名 {username} 已存在。如需重新签发链接，请由管理员在机构页面操作。")
        try:
            with transaction.atomic():
                user = user_create(actor=None, username=username, organisation=organisation,
                                   roles=sorted(set(role)), real_name=name, mobile=mobile)
                link = setup_link_create(actor=None, user=user)
        except ValidationError as invalid:
            raise CommandError("; ".join(invalid.messages)) from None
        self.stdout.write(f"已创建 {username}（{organisation.name}，"
                          f"{'、'.join(Role(r).label for r in sorted(set(role)))}）。")
        self.stdout.write(f"一次性设置链接（{SETUP_LINK_HOURS} 小时内有效）：")
        self.stdout.write(base_url.rstrip("/") + link)
