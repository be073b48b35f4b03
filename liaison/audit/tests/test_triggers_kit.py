"""The audit trail's triggers, now produced by the append-only kit, are the ones its migrations
installed (names and statements), so the verifier and the test database see the same."""

from __future__ import annotations

import importlib

from liaison.audit.triggers import AUDIT_TRIGGERS, FLUSH_BLOCKERS

migration = importlib.import_module("liaison.audit.migrations.0003_hash_chain")


def _squeeze(sql: str) -> str:
    return " ".join(sql.split())


def test_sqlite_statements_match_the_migration() -> None:
    assert sorted(AUDIT_TRIGGERS.sqlite().values()) == sorted(migration.SQLITE_NEW)


def test_postgresql_statements_match_the_migration() -> None:
    function, *triggers = migration.POSTGRES_NEW
    assert _squeeze(AUDIT_TRIGGERS.postgres_function) == _squeeze(function)
    assert sorted(AUDIT_TRIGGERS.postgres().values()) == sorted(triggers)


def test_flush_blockers_keep_their_names() -> None:
    assert FLUSH_BLOCKERS == {
        "sqlite": "audit_event_no_delete",
        "postgresql": "audit_event_no_truncate",
    }
