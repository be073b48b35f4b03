"""One-row INSERT with a statement compiled once per model and database.

`Model.save()` rebuilds its INSERT through the SQL compiler on every call; for the public intake,
the platform's hottest write, that compilation costs more than the database does. `insert_one`
produces the same row (every concrete field's `pre_save` and `get_db_prep_save`, so defaults,
`auto_now_add` and encrypted fields behave as with `save()`) from a cached statement, and sets the
primary key on the object. It sends no `pre_save`/`post_save` signals — the project keeps
business logic out of signals, so none are connected to the models it is used for.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import Field, Model

_statements: dict[tuple[type[Model], str], tuple[str, list[Field[Any, Any]]]] = {}


def _statement(model: type[Model], alias: str) -> tuple[str, list[Field[Any, Any]]]:
    key = (model, alias)
    found = _statements.get(key)
    if found is None:
        connection = connections[alias]
        quote = connection.ops.quote_name
        meta = model._meta
        pk = meta.pk
        assert pk is not None
        fields = [f for f in meta.concrete_fields if f is not pk]
        columns = ", ".join(quote(str(f.column)) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        sql = (
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks}) "
            f"RETURNING {quote(str(pk.column))}"
        )
        found = _statements[key] = (sql, fields)
    return found


def insert_one(obj: Model, *, using: str = "default") -> Model:
    """INSERT `obj` (its primary key unset) and set its primary key; IntegrityError as save()."""
    sql, fields = _statement(type(obj), using)
    connection = connections[using]
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = using
    return obj
