"""`xuedai totp USERNAME`: print the current TOTP code — for demo logins only.

Anyone who can run this reads every second factor, so it refuses unless settings.DEBUG is on,
XUEDAI_DEMO=1 is set in the environment, or the database is the one `xuedai demo` serves.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xuedai.demo.marker import is_demo_database
from xuedai.orgs import totp
from xuedai.orgs.models import User


class Command(BaseCommand):
    help = "输出用户当前的动态口令（仅限演示环境）/ print a user's current TOTP code (demo only)"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not (settings.DEBUG or os.environ.get("XUEDAI_DEMO") == "1" or is_demo_database()):
            raise CommandError("仅限演示环境：请设置 XUEDAI_DEMO=1 或开启 DEBUG 后再使用。")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户 {username} 不存在。")
        if not user.totp_secret:
            raise CommandError(f"用户 {username} 尚未绑定动态口令。")
        self.stdout.write(totp.current_code(user))
