"""Running an app's migrations back and forth inside a test (a data migration's own test).

Such a test needs `@pytest.mark.django_db(transaction=True)`: schema changes on SQLite cannot run
inside the test's transaction. It ends with `migrate_to_latest` in a `finally`, so that every
other test finds the tables as the models say.
"""

from __future__ import annotations

from typing import Any

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
