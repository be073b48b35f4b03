"""Tables that only ever grow: the model guards and the database triggers, for any event log.

A model on `AppendOnlyModel` refuses, in Python, to update or delete a row (its queryset refuses
`update` and `delete`, `save` refuses an existing row, `delete` always refuses). The database
refuses the same through triggers described by `AppendOnlyTriggers`: on SQLite a BEFORE UPDATE
and a BEFORE DELETE trigger abort; on PostgreSQL a row trigger refuses UPDATE and DELETE and a
statement trigger refuses TRUNCATE. A migration installs them (`install`); someone who may drop
a trigger can still change the table.

Django's test flush empties every table between transactional tests (DELETE on SQLite, TRUNCATE
on PostgreSQL); `flush_blocker_lift` drops the one trigger in its way, in a test database only.
On SQLite, a migration that rebuilds the table (most AlterField) loses its triggers: it must call
`install` again (the tests compare what is present with what is expected).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from django.db import models

_M = TypeVar("_M", bound=models.Model)


class AppendOnlyError(Exception):
    """An update or delete of a row of an append-only table."""


class AppendOnlyQuerySet(models.QuerySet[_M]):
    """Reads and inserts (`create`, `bulk_create`) only."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(f"{self.model._meta.label} rows cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.model._meta.label} rows cannot be deleted")


class AppendOnlyModel(models.Model):
    """A row written once. Subclasses name their triggers (`append_only_name`, e.g. "case_event",
    which gives case_event_no_update …) so that tests and checks find them."""

    append_only_name: ClassVar[str] = ""
    # What the database says when it refuses (default: "<model> rows are append-only").
    append_only_message: ClassVar[str] = ""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} rows cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self._meta.label} rows cannot be deleted")


def is_test_database(connection: Any) -> bool:
    database = str(connection.settings_dict["NAME"])
    return database.startswith("test_") or "memory" in database


@dataclass(frozen=True)
class AppendOnlyTriggers:
    """The triggers of one table. `name` prefixes every trigger (and the PostgreSQL function);
    `message` is the error the database raises."""

    name: str
    table: str
    message: str

    def sqlite(self) -> dict[str, str]:
        """Trigger name → creating statement, SQLite."""
        body = f"BEGIN SELECT RAISE(ABORT, '{self.message}'); END"
        return {
            f"{self.name}_no_update": (
                f"CREATE TRIGGER IF NOT EXISTS {self.name}_no_update BEFORE UPDATE "
                f"ON {self.table} {body}"
            ),
            f"{self.name}_no_delete": (
                f"CREATE TRIGGER IF NOT EXISTS {self.name}_no_delete BEFORE DELETE "
                f"ON {self.table} {body}"
            ),
        }

    @property
    def postgres_function(self) -> str:
        return (
            f"CREATE OR REPLACE FUNCTION {self.name}_append_only() RETURNS trigger AS $$\n"
            f"BEGIN\n    RAISE EXCEPTION '{self.message}';\nEND;\n$$ LANGUAGE plpgsql"
        )

    def postgres(self) -> dict[str, str]:
        """Trigger name → creating statement, PostgreSQL (after `postgres_function`)."""
        return {
            f"{self.name}_no_update_delete": (
                f"CREATE TRIGGER {self.name}_no_update_delete BEFORE UPDATE OR DELETE "
                f"ON {self.table} FOR EACH ROW EXECUTE FUNCTION {self.name}_append_only()"
            ),
            f"{self.name}_no_truncate": (
                f"CREATE TRIGGER {self.name}_no_truncate BEFORE TRUNCATE ON {self.table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {self.name}_append_only()"
            ),
        }

    def expected(self, vendor: str) -> dict[str, str]:
        if vendor == "sqlite":
            return self.sqlite()
        if vendor == "postgresql":
            return self.postgres()
        return {}

    def flush_blocker(self, vendor: str) -> str | None:
        """The trigger Django's test flush runs into (DELETE on SQLite, TRUNCATE on PostgreSQL)."""
        return {"sqlite": f"{self.name}_no_delete", "postgresql": f"{self.name}_no_truncate"}.get(
            vendor
        )

    def present(self, connection: Any) -> set[str]:
        """Names of the table's triggers that exist (and are enabled) in the database now."""
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                    [self.table],
                )
            elif connection.vendor == "postgresql":
                # A disabled trigger (ALTER TABLE … DISABLE TRIGGER) protects nothing: not present.
                cursor.execute(
                    "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass "
                    "AND NOT tgisinternal AND tgenabled <> 'D'",
                    [self.table],
                )
            else:
                return set()
            return {row[0] for row in cursor.fetchall()}

    def missing(self, connection: Any) -> list[str]:
        """Expected triggers that are not there (dropped by hand, or lifted in a test database)."""
        return sorted(set(self.expected(connection.vendor)) - self.present(connection))

    def install(self, connection: Any) -> None:
        """Create every missing trigger."""
        missing = self.missing(connection)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and missing:
                cursor.execute(self.postgres_function)
            for name in missing:
                cursor.execute(self.expected(connection.vendor)[name])

    def drop(self, connection: Any) -> None:
        """Remove every trigger (a migration's reverse step)."""
        with connection.cursor() as cursor:
            for name in self.expected(connection.vendor):
                if connection.vendor == "postgresql":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {self.table}")
                else:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP FUNCTION IF EXISTS {self.name}_append_only()")

    def flush_blocker_lift(self, connection: Any) -> None:
        """Drop the one trigger that stops Django's test flush. Test databases only: production
        keeps every trigger."""
        if not is_test_database(connection):
            raise RuntimeError(
                f"refusing to lift an append-only trigger of {self.table!r} in "
                f"{connection.settings_dict['NAME']!r}: not a test database"
            )
        name = self.flush_blocker(connection.vendor)
        if name is None:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {self.table}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def triggers_of(model: type[AppendOnlyModel]) -> AppendOnlyTriggers:
    """The triggers that protect `model`'s table (the model names them)."""
    if not model.append_only_name:
        raise ValueError(f"{model._meta.label} does not name its append-only triggers")
    return AppendOnlyTriggers(
        name=model.append_only_name,
        table=model._meta.db_table,
        message=model.append_only_message or f"{model._meta.model_name} rows are append-only",
    )


def append_only_models() -> list[type[AppendOnlyModel]]:
    """Every installed model on the append-only base."""
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, AppendOnlyModel)]
