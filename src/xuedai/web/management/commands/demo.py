"""`xuedai demo` (what `make demo` runs): migrate, load demo data once, serve the site and worker."""

import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from xuedai.demo.marker import mark_demo_database
from xuedai.orgs.models import Organisation


class Command(BaseCommand):
    help = "演示：迁移数据库、生成演示数据并启动网站与后台任务 / run the demo"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--students", type=int, default=3000)

    def handle(self, *args, port, students, **options):
        call_command("migrate", verbosity=0)
        if not Organisation.objects.exists():
            call_command("demo_data", students=students)
        mark_demo_database()
        from xuedai.demo.logins import print_demo_logins

        worker = subprocess.Popen([sys.executable, "-m", "xuedai.cli", "worker"])
        server = subprocess.Popen([sys.executable, "-m", "xuedai.cli", "serve", "--port", str(port)])
        self.stdout.write(f"\n学贷演示站点已启动 / demo running: http://127.0.0.1:{port}/\n")
        print_demo_logins(self.stdout)
        self.stdout.write("按 Ctrl+C 停止 / Ctrl+C to stop.\n")

        def stop(*_):
            for proc in (server, worker):
                proc.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            worker.wait(timeout=10)
