"""`xuedai serve [--port 8000]`: the web site under gunicorn on 127.0.0.1."""

import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动网站 (gunicorn) / serve the site"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, port, host, workers, **options):
        argv = [sys.executable, "-m", "gunicorn", "xuedai.wsgi:application", "--bind", f"{host}:{port}",
                "--workers", str(workers), "--threads", "4", "--access-logfile", "-", "--timeout", "120"]
        os.execv(sys.executable, argv)
