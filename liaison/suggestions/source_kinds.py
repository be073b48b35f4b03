"""Sources that live in the sibling apps (reception records, verified activities): what a person
may link is asked of those apps through a provider the workbench hands in at start-up.

Suggestions, receptions and activities sit on one layer and may not import each other
(decision 0039): `SuggestionSource` holds string-referenced foreign keys, and this registry
holds, per kind, the function that answers "which of these rows may this user link". A kind
with no provider (the app is not installed) offers nothing and refuses every link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet

from liaison.accounts.scoping import AnyUser


@dataclass(frozen=True)
class LinkedKind:
    """`linkable(user)`: the rows the user may link, newest first; `label(row)`: how it reads."""

    linkable: Callable[[AnyUser], QuerySet[Any]]
    label: Callable[[Any], str]


_KINDS: dict[str, LinkedKind] = {}


def source_kind_provide(kind: str, provider: LinkedKind) -> None:
    """Called once per kind by the app that assembles the others (workbench)."""
    _KINDS[kind] = provider


def linked_kind(kind: str) -> LinkedKind | None:
    return _KINDS.get(kind)


def linkable_rows(kind: str, user: AnyUser, *, limit: int) -> list[tuple[int, str]]:
    """(pk, label) of the rows the user may link, for the draft page's picker (one query)."""
    provider = _KINDS.get(kind)
    if provider is None:
        return []
    return [(row.pk, provider.label(row)) for row in provider.linkable(user)[:limit]]


def may_link(kind: str, user: AnyUser, row: Model) -> bool:
    provider = _KINDS.get(kind)
    return provider is not None and provider.linkable(user).filter(pk=row.pk).exists()


def label_of(kind: str, row: Model) -> str:
    provider = _KINDS.get(kind)
    return provider.label(row) if provider is not None else str(row)
