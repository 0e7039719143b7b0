"""Django with the test settings, on a database of the benchmark's own, removed at the end.

Without DATABASE_URL: a new SQLite file in a temporary folder (a file, not the test
runner's in-memory database, so that WAL and commits cost what they cost in service).
With DATABASE_URL (PostgreSQL): a new database named after this process on that server,
created and migrated like a test database, then dropped. The project's own database
(db.sqlite3, or the one DATABASE_URL names) is never touched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

SETTINGS = "config.settings.test"


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    import django

    django.setup()


@contextmanager
def temporary_database() -> Iterator[str]:
    """Create and migrate the benchmark's database; yield a French description of it."""
    from django.db import connection

    folder = None
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        folder = tempfile.mkdtemp(prefix="polesocial-bench-")
        test_settings["NAME"] = os.path.join(folder, "bench.sqlite3")
    else:
        test_settings["NAME"] = f"polesocial_bench_{os.getpid()}"
    original_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield _describe(connection, name)
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _describe(connection, name: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]} (fichier temporaire, WAL)"
        cursor.execute("show server_version")
        return f"PostgreSQL {cursor.fetchone()[0]} (base temporaire {name})"
