"""Several counts in one round trip to the database.

A work list shows a count on each of its tabs. Asked one by one, that is one query per tab on every
page view; here the counts are one statement, a UNION ALL of `SELECT COUNT(*) FROM (…)`, each part
the compiled SQL of its queryset, optionally stopped at `cap` rows so that a long tab costs no more
than `cap` index entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


def counts_at_once(querysets: Sequence[QuerySet[Any]], *, cap: int | None = None) -> list[int]:
    """The number of rows of each queryset (at most `cap` each), in one query.

    All querysets must use the same database. An empty list costs nothing.
    """
    if not querysets:
        return []
    alias = querysets[0].db
    parts: list[str] = []
    params: list[Any] = []
    for index, queryset in enumerate(querysets):
        if queryset.db != alias:
            raise ValueError("counts_at_once needs querysets of one database")
        limited = queryset.order_by().values("pk")
        if cap is not None:
            limited = limited[:cap]
        try:
            sql, part_params = limited.query.get_compiler(using=alias).as_sql()
        except EmptyResultSet:
            continue  # a condition that matches nothing (e.g. `pk__in=[]`): its count stays 0
        parts.append(f"SELECT {index} AS part, COUNT(*) AS n FROM ({sql}) part_{index}")
        params.extend(part_params)
    counts = [0] * len(querysets)
    if not parts:
        return counts
    with connections[alias].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for index, count in cursor.fetchall():
            counts[index] = count
    return counts
