"""The `xuedai` command: demo, migrate, serve, worker, batch-worker, demo-data, quote, bench, …

Every sub-command that is not built in here is handed to Django's management commands, so
`xuedai demo-data --students 1000` runs the `demo_data` command of the borrowers app.
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuedai.settings.base")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__.strip())
        print(
            "\n命令 / commands: demo, demo-data, migrate, serve, worker, batch-worker, quote, bench, "
            "createstaff, totp, …"
        )
        return 0
    command, rest = argv[0].replace("-", "_"), argv[1:]
    if command == "quote":
        # The calculator needs no database: it is the pure core reading JSON on stdin.
        from xuedai.core.quote_cli import main as quote_main

        return quote_main(sys.stdin, sys.stdout)
    if command == "batch_worker":
        # A Celery worker of the distributed batches (XUEDAI_BROKER_URL): Celery's own command line.
        from xuedai.batch.distributed import worker_main

        return worker_main(rest)
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    execute_from_command_line(["xuedai", command, *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main())
