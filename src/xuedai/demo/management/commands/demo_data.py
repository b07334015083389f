"""`xuedai demo-data --students N [--reset] [--seed S]`: a realistic Sichuan province (README: demo data).

PostgreSQL loads through COPY (a million students in about two minutes); SQLite, the demo default,
through executemany — the same generator, the same rows for the same seed.
"""

from django.core.management.base import BaseCommand, CommandError

from xuedai.demo.builder import DemoDataExists, build_demo
from xuedai.demo.logins import print_demo_logins


class Command(BaseCommand):
    help = "生成演示数据：一个省的机构、账号、N 名借款学生及其合同 / build the demo province"

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=3000, help="借款学生人数 (default 3000)")
        parser.add_argument("--reset", action="store_true",
                            help="先清空已有的演示数据(机构、用户、学生、合同及其下游数据)")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子：同一种子生成同样的数据")
        parser.add_argument("--chunk", type=int, default=50_000, help="每批写入的行数")
        parser.add_argument("--indexes", choices=["drop", "keep"], default="drop",
                            help="PostgreSQL：写入前删除二级索引与外键、写完重建(drop，默认，更快)，"
                                 "或全部保留(keep)")

    def handle(self, *args, students, reset, seed, chunk, indexes, **options):
        if students < 1 or chunk < 1:
            raise CommandError("--students 与 --chunk 至少为 1。")
        self.stdout.write(f"生成演示数据：{students:,} 名借款学生（种子 {seed}）…")
        try:
            progress = build_demo(students=students, seed=seed, reset=reset, out=self.stdout,
                                  chunk=chunk, indexes=indexes, verbose=options["verbosity"] > 1)
        except DemoDataExists as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"完成，共 {progress.total_seconds:.1f} 秒。")
        print_demo_logins(self.stdout)
