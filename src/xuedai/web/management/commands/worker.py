"""`xuedai worker`: the background worker that runs queued tasks (django-tasks-db)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动后台任务进程 / run the background worker"

    def handle(self, *args, **options):
        call_command("db_worker")
