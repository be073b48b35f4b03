"""The database triggers that make the audit table append-only, per database.

Migration 0003 installs them (it keeps its own copy of the statements, as migrations do); this
module is for the verifier (which reports a missing trigger) and for the test database.

SQLite: BEFORE UPDATE and BEFORE DELETE abort. PostgreSQL: a row trigger refuses UPDATE and DELETE
and a statement trigger refuses TRUNCATE. Someone who may drop a trigger can still change the
table; the hash chain is what finds that.
"""

from __future__ import annotations

from typing import Any

# name -> creating statement, per vendor.
SQLITE_TRIGGERS: dict[str, str] = {
    "audit_event_no_update": (
        "CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_auditevent "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"
    ),
    "audit_event_no_delete": (
        "CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_auditevent "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"
    ),
}
POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql
"""
POSTGRES_TRIGGERS: dict[str, str] = {
    "audit_event_no_update_delete": (
        "CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_auditevent "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
    ),
    "audit_event_no_truncate": (
        "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
    ),
}
# The triggers Django's test flush runs into (DELETE on SQLite, TRUNCATE on PostgreSQL).
FLUSH_BLOCKERS: dict[str, str] = {
    "sqlite": "audit_event_no_delete",
    "postgresql": "audit_event_no_truncate",
}


def expected_triggers(vendor: str) -> dict[str, str]:
    if vendor == "sqlite":
        return SQLITE_TRIGGERS
    if vendor == "postgresql":
        return POSTGRES_TRIGGERS
    return {}


def triggers_present(connection: Any) -> set[str]:
    """Names of the audit table's triggers that exist (and are enabled) in the database now."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'audit_auditevent'"
            )
        elif connection.vendor == "postgresql":
            # A disabled trigger (ALTER TABLE … DISABLE TRIGGER) protects nothing: not present.
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass "
                "AND NOT tgisinternal AND tgenabled <> 'D'"
            )
        else:
            return set()
        return {row[0] for row in cursor.fetchall()}


def triggers_missing(connection: Any) -> list[str]:
    """Expected triggers that are not there (dropped by hand, or lifted in a test database)."""
    present = triggers_present(connection)
    return sorted(set(expected_triggers(connection.vendor)) - present)


def triggers_install(connection: Any) -> None:
    """Create every missing append-only trigger."""
    missing = triggers_missing(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and missing:
            cursor.execute(POSTGRES_FUNCTION)
        for name in missing:
            cursor.execute(expected_triggers(connection.vendor)[name])


def flush_blocker_lift(connection: Any) -> None:
    """Drop the one trigger that stops Django's test flush. For test databases only: the
    conftest calls it after creating the test database; production keeps every trigger."""
    database = str(connection.settings_dict["NAME"])
    if not (database.startswith("test_") or "memory" in database):
        raise RuntimeError(
            f"refusing to lift an audit trigger in {database!r}: not a test database"
        )
    name = FLUSH_BLOCKERS.get(connection.vendor)
    if name is None:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON audit_auditevent")
        else:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
