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


def test_drop_removes_every_trigger_and_install_puts_them_back() -> None:
    """A migration's reverse step and forward step (rolled back with the test's transaction)."""
    triggers = triggers_of(append_only_models()[0])
    triggers.drop(connection)
    assert triggers.missing(connection) == sorted(triggers.expected(connection.vendor))
    triggers.install(connection)
    assert triggers.missing(connection) == []


def test_other_databases_get_no_triggers() -> None:
    class Other:
        vendor = "mysql"
        settings_dict = {"NAME": "test_x"}

    triggers = AppendOnlyTriggers(name="x", table="x", message="x")
    assert triggers.expected("mysql") == {}
    assert triggers.flush_blocker("mysql") is None
    assert triggers.present(_NoCursor(Other())) == set()
    triggers.flush_blocker_lift(_NoCursor(Other()))  # nothing to lift


class _NoCursor:
    """A connection of another vendor whose cursor must not be asked for SQL."""

    def __init__(self, inner: object) -> None:
        self.vendor = inner.vendor  # type: ignore[attr-defined]
        self.settings_dict = inner.settings_dict  # type: ignore[attr-defined]

    def cursor(self) -> object:
        from contextlib import nullcontext

        return nullcontext(None)


def test_a_model_must_name_its_triggers() -> None:
    from liaison.common.append_only import AppendOnlyModel

    with pytest.raises(ValueError, match="does not name"):
        triggers_of(AppendOnlyModel)  # type: ignore[type-abstract]
