"""Running an app's migrations back and forth inside a test (a data migration's own test).

Such a test needs `@pytest.mark.django_db(transaction=True)`: schema changes on SQLite cannot run
inside the test's transaction. It ends with `migrate_to_latest` in a `finally`, so that every
other test finds the tables as the models say.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(target: tuple[str, str]) -> Any:
    """Migrate the app of `target` to it; the models (apps registry) of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor.loader.project_state(target).apps


def migrate_to_latest(app_label: str) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes(app_label))


def assert_files_go_with_the_table(
    *, before: tuple[str, str], after: tuple[str, str], model: str, rows: Callable[[Any], list[str]]
) -> None:
    """A migration that drops an old export model (`after`) deletes its rows' stored files
    first, and going back to `before` gives an empty table. `rows(Model)` makes rows in the
    state before (with a file and without) and returns the stored files' names."""
    app = before[0]
    try:
        names = rows(migrate_to(before).get_model(app, model))
        assert names and all(default_storage.exists(name) for name in names)
        new = migrate_to(after)
        assert not any(default_storage.exists(name) for name in names)
        with pytest.raises(LookupError):
            new.get_model(app, model)
        assert not migrate_to(before).get_model(app, model).objects.exists()
    finally:
        migrate_to_latest(app)
