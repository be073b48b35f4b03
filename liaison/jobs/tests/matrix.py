"""The export job's page and file, tried by every persona of a two-county matrix."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def assert_only_the_requester_opens(
    as_user: Callable[[Any], Any], location: str, owner: Any, users: Mapping[Any, Any]
) -> None:
    """The job page at `location` and its download answer the requester (200) and nobody else
    of `users` (404), each user keyed by what a failure should name (county, role)."""
    for label, user in users.items():
        client = as_user(user)
        expected = 200 if user == owner else 404
        assert client.get(location).status_code == expected, label
        assert client.get(f"{location}download/").status_code == expected, label
