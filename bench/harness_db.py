"""Django and a fresh database for the bench harnesses (bench_import_races, fuzz_imports, export_formulas).

Each round gets a database of its own, created and migrated the way the test runner does it
(``test_<name>`` next to the configured one: PostgreSQL from ``scripts/with-postgres.sh``, or an
in-memory SQLite when no ``XUEDAI_DATABASE_URL`` is set), and dropped afterwards; files the
services write go to a temporary MEDIA_ROOT.
"""

import contextlib
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuedai.settings.test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

setup_test_environment()


@contextlib.contextmanager
def fresh_database():
    """A migrated database and a MEDIA_ROOT of its own for the block; both gone afterwards."""
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    media = settings.MEDIA_ROOT
    with tempfile.TemporaryDirectory() as folder:
        settings.MEDIA_ROOT = Path(folder) / "media"
        try:
            yield Path(folder)
        finally:
            settings.MEDIA_ROOT = media
            connection.creation.destroy_test_db(old_name, verbosity=0)


def vendor() -> str:
    return connection.vendor
