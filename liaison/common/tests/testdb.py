"""The test database, built once per run and copied into every pytest-xdist worker.

Without this each worker migrates its own database and loads the regions. Now the first worker
that needs a database builds it (migrations, regions, the audit flush blocker lifted) under a
file lock and leaves it behind; every worker then starts from a copy: SQLite's backup API into its
in-memory database, PostgreSQL's `CREATE DATABASE … TEMPLATE`. The migrations still run once per
run, so a broken migration still fails the suite.

The controller (or the only process, without xdist) makes the run directory that holds the lock
and the SQLite file, hands it to the workers through the environment, and removes it (and the
PostgreSQL template) when the run ends.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

RUN_DIR_ENV = "LIAISON_TEST_RUN_DIR"
ALIAS = "default"


def run_dir_create() -> None:
    """Make this run's directory unless an outer process (xdist's controller) already did."""
    if not os.environ.get(RUN_DIR_ENV):
        os.environ[RUN_DIR_ENV] = tempfile.mkdtemp(prefix="liaison-testdb-")


def run_dir_remove() -> None:
    """Drop the PostgreSQL template and delete the run directory (the process that made it)."""
    path = os.environ.pop(RUN_DIR_ENV, "")
    if not path:
        return
    template_marker = Path(path) / "template"
    if template_marker.is_file():
        _postgres_drop(template_marker.read_text())
    shutil.rmtree(path, ignore_errors=True)


@contextmanager
def _locked(run_dir: Path) -> Iterator[None]:
    with open(run_dir / "build.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def databases_setup(*, prepare: Callable[[], None], verbosity: int) -> list[Any]:
    """Give this process its test database, built once per run; returns what
    `django.test.utils.teardown_databases` needs to remove it again.

    `prepare` runs once, on the database being built (everything it writes is in every copy).
    """
    from django.db import connections
    from django.test.utils import setup_databases

    connection = connections[ALIAS]
    run_dir = os.environ.get(RUN_DIR_ENV)
    if run_dir is None or connection.vendor not in ("sqlite", "postgresql"):
        # Nobody made a run directory (pytest_configure did not run): build here as before.
        config = setup_databases(verbosity=verbosity, interactive=False, aliases={ALIAS})
        prepare()
        return list(config)
    if connection.vendor == "sqlite":
        return _sqlite_setup(Path(run_dir), prepare=prepare, verbosity=verbosity)
    return _postgres_setup(Path(run_dir), prepare=prepare, verbosity=verbosity)


def _use_test_name(connection: Any, name: str) -> list[Any]:
    """Point the connection at `name` as Django's create_test_db does, without migrating."""
    from django.conf import settings

    old_name = connection.settings_dict["NAME"]
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
    return [(connection, old_name, True)]


def _sqlite_setup(run_dir: Path, *, prepare: Callable[[], None], verbosity: int) -> list[Any]:
    from django.db import connections
    from django.test.utils import setup_databases

    connection = connections[ALIAS]
    built = run_dir / "built.sqlite3"
    with _locked(run_dir):
        if not built.exists():
            config = setup_databases(verbosity=verbosity, interactive=False, aliases={ALIAS})
            prepare()
            partial = run_dir / "built.partial"
            target = sqlite3.connect(partial)
            connection.ensure_connection()
            connection.connection.backup(target)
            target.close()
            # Renamed only when complete: a worker never reads half a database.
            partial.rename(built)
            return list(config)
    name = connection.creation._get_test_db_name()
    if not connection.creation.is_in_memory_db(name):
        raise RuntimeError("the test settings keep SQLite test databases in memory")
    # The shared-cache in-memory database lives while one connection to it is open: this one
    # holds it until Django's own connection (which live-server threads share) has opened.
    keeper = sqlite3.connect(name, uri=True)
    source = sqlite3.connect(f"file:{built}?mode=ro", uri=True)
    source.backup(keeper)
    source.close()
    config = _use_test_name(connection, name)
    connection.ensure_connection()
    keeper.close()
    return config


def _template_name(connection: Any) -> str:
    return f"test_{connection.settings_dict['NAME']}_template"


def _postgres_setup(run_dir: Path, *, prepare: Callable[[], None], verbosity: int) -> list[Any]:
    from django.conf import settings
    from django.db import connections

    connection = connections[ALIAS]
    marker = run_dir / "template"
    name = connection.creation._get_test_db_name()
    with _locked(run_dir):
        template = _template_name(connection)
        if not marker.exists():
            test_settings = connection.settings_dict["TEST"]
            old_name = connection.settings_dict["NAME"]
            test_settings["NAME"] = template
            try:
                connection.creation.create_test_db(verbosity=verbosity, autoclobber=True)
                prepare()
            finally:
                # CREATE DATABASE … TEMPLATE refuses a template anyone is connected to.
                connection.close()
                test_settings["NAME"] = name
                settings.DATABASES[ALIAS]["NAME"] = old_name
                connection.settings_dict["NAME"] = old_name
            marker.write_text(template)
        quote = connection.ops.quote_name
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
            cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")
    return _use_test_name(connection, name)


def _postgres_drop(name: str) -> None:
    from django.db import connections

    connection = connections[ALIAS]
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
