"""The database triggers that make the audit table append-only, per database.

Migrations 0002 and 0003 install them (they keep their own copy of the statements, as migrations
do); this module is for the verifier (which reports a missing trigger) and for the test database.
The statements come from the generic append-only kit (liaison/common/append_only.py), which
produces exactly the names and SQL those migrations wrote.

SQLite: BEFORE UPDATE and BEFORE DELETE abort. PostgreSQL: a row trigger refuses UPDATE and DELETE
and a statement trigger refuses TRUNCATE. Someone who may drop a trigger can still change the
table; the hash chain is what finds that.
"""

from __future__ import annotations

from typing import Any

from liaison.common.append_only import AppendOnlyTriggers

AUDIT_TRIGGERS = AppendOnlyTriggers(
    name="audit_event", table="audit_auditevent", message="audit events are append-only"
)

# name -> creating statement, per vendor.
SQLITE_TRIGGERS: dict[str, str] = AUDIT_TRIGGERS.sqlite()
POSTGRES_FUNCTION = AUDIT_TRIGGERS.postgres_function
POSTGRES_TRIGGERS: dict[str, str] = AUDIT_TRIGGERS.postgres()
# The triggers Django's test flush runs into (DELETE on SQLite, TRUNCATE on PostgreSQL).
FLUSH_BLOCKERS: dict[str, str] = {
    vendor: name
    for vendor in ("sqlite", "postgresql")
    if (name := AUDIT_TRIGGERS.flush_blocker(vendor)) is not None
}


def expected_triggers(vendor: str) -> dict[str, str]:
    return AUDIT_TRIGGERS.expected(vendor)


def triggers_present(connection: Any) -> set[str]:
    """Names of the audit table's triggers that exist (and are enabled) in the database now."""
    return AUDIT_TRIGGERS.present(connection)


def triggers_missing(connection: Any) -> list[str]:
    """Expected triggers that are not there (dropped by hand, or lifted in a test database)."""
    return AUDIT_TRIGGERS.missing(connection)


def triggers_install(connection: Any) -> None:
    """Create every missing append-only trigger."""
    AUDIT_TRIGGERS.install(connection)


def flush_blocker_lift(connection: Any) -> None:
    """Drop the one trigger that stops Django's test flush. For test databases only: the
    conftest calls it after creating the test database; production keeps every trigger."""
    AUDIT_TRIGGERS.flush_blocker_lift(connection)
