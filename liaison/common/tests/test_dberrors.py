"""A lost race for row locks is told apart from every other database error, with a real
PostgreSQL deadlock."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import DatabaseError, OperationalError, connection, connections, transaction

from liaison.common.dberrors import is_lock_race
from liaison.regions.models import Level, Region


class _DriverError(Exception):
    """What Django wraps: the driver's error, with the SQLSTATE PostgreSQL sent."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _caused_by(sqlstate: str) -> OperationalError:
    error = OperationalError("wrapped")
    error.__cause__ = _DriverError(sqlstate)
    return error


def test_lock_races_are_known_by_their_state_or_sqlites_message() -> None:
    assert is_lock_race(_caused_by("40P01"))  # deadlock_detected
    assert is_lock_race(_caused_by("40001"))  # serialization_failure
    assert is_lock_race(_caused_by("55P03"))  # lock_not_available
    assert is_lock_race(OperationalError("database is locked"))
    assert not is_lock_race(_caused_by("53300"))  # too_many_connections: a fault
    assert not is_lock_race(OperationalError("no such table: cases_case"))
    assert not is_lock_race(DatabaseError("database is locked"))  # not an OperationalError
    assert not is_lock_race(ValueError("40P01"))


@pytest.mark.django_db(transaction=True)
def test_a_real_postgresql_deadlock_is_a_lock_race() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one lock for the whole database: no deadlock to make")
    first = Region.objects.create(code="990000000000", name="甲", level=Level.PROVINCE)
    second = Region.objects.create(code="980000000000", name="乙", level=Level.PROVINCE)
    both_hold_one = threading.Barrier(2, timeout=10)
    errors: list[BaseException] = []

    def lock(a: Region, b: Region) -> None:
        try:
            with transaction.atomic():
                Region.objects.select_for_update().get(pk=a.pk)
                both_hold_one.wait()
                Region.objects.select_for_update().get(pk=b.pk)
        except Exception as error:  # the deadlock is what is looked for
            errors.append(error)
        finally:
            connections.close_all()

    threads: list[Any] = [
        threading.Thread(target=lock, args=(first, second)),
        threading.Thread(target=lock, args=(second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(errors) == 1, errors  # PostgreSQL ends one of the two, the other goes on
    assert is_lock_race(errors[0])
