"""A write that lost a race for row locks, told apart from every other database error.

Two services that lock the same cases in different orders (closing a primary case while one of
its duplicates is un-merged, decision 0056) can wait on each other: PostgreSQL then ends one of
the two transactions (a deadlock), and SQLite gives up after its busy timeout ("database is
locked"). The loser's transaction has been rolled back, so it changed nothing and the person may
simply try again; any other database error is a fault and stays one.
"""

from __future__ import annotations

from django.db import OperationalError

# deadlock_detected, serialization_failure, lock_not_available
_RACE_STATES = frozenset({"40P01", "40001", "55P03"})


def is_lock_race(error: BaseException) -> bool:
    if not isinstance(error, OperationalError):
        return False
    if getattr(error.__cause__, "sqlstate", None) in _RACE_STATES:
        return True
    return "database is locked" in str(error)
