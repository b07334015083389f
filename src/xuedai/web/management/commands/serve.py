"""`xuedai serve [--port 8000]`: the web site under gunicorn on 127.0.0.1.

The access log goes to stdout through ``xuedai.web.gunicorn_logger.MaskedGunicornLogger``: no full or
partial ID number or mobile number in it, whatever a query string or a ``Referer`` carries. Behind
a TLS proxy on the same machine, gunicorn takes ``X-Forwarded-Proto`` from 127.0.0.1 only (its
``forwarded_allow_ips`` default), as Django's ``SECURE_PROXY_SSL_HEADER`` does from the proxy."""

import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动网站 (gunicorn) / serve the site"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        # One process per core; threads so that one request's database round trips overlap another
        # request's Python in the same process (bench/RESULTS.md, the web under load).
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args, port, host, workers, threads, **options):
        argv = [sys.executable, "-m", "gunicorn", "xuedai.wsgi:application", "--bind", f"{host}:{port}",
                "--workers", str(workers), "--threads", str(threads), "--access-logfile", "-",
                "--timeout", "120",
                "--logger-class", "xuedai.web.gunicorn_logger.MaskedGunicornLogger"]
        os.execv(sys.executable, argv)
