"""The append-only kit: every event table on it is protected in the database as migrated."""

from __future__ import annotations

import pytest
from django.db import connection

from liaison.common.append_only import (
    AppendOnlyTriggers,
    append_only_models,
    is_test_database,
    triggers_of,
)

pytestmark = pytest.mark.django_db


def test_every_append_only_model_has_its_triggers_but_the_flush_blocker() -> None:
    """Migrations installed them; the test database lacks only the one that stops the flush
    (a migration that rebuilds a table on SQLite and forgets them fails here)."""
    models = append_only_models()
    assert len(models) >= 2
    for model in models:
        triggers = triggers_of(model)
        assert triggers.missing(connection) == [triggers.flush_blocker(connection.vendor)], model


def test_install_restores_what_was_lifted() -> None:
    for model in append_only_models():
        triggers = triggers_of(model)
        triggers.install(connection)  # rolled back with the test's transaction
        assert triggers.missing(connection) == []


def test_flush_blocker_is_lifted_only_in_a_test_database() -> None:
    class Fake:
        vendor = "sqlite"
        settings_dict = {"NAME": "/srv/liaison/db.sqlite3"}

    assert is_test_database(connection)
    assert not is_test_database(Fake())
    with pytest.raises(RuntimeError, match="not a test database"):
        AppendOnlyTriggers(name="x", table="x", message="x").flush_blocker_lift(Fake())
