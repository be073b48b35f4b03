"""Stations and handling units as accounts sees them: scope targets named by value.

Stations and units sit above accounts, so accounts neither imports them nor holds foreign keys
to them (decision 0024). A membership copies what a scope needs from its target (a station's
path, a unit's id, the region and the name), and the grant form reaches the stations and units
a granter may choose through the models those apps register in their `AppConfig.ready`.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.db.models import Model, QuerySet


class StationTarget(Protocol):
    """What accounts reads of a station."""

    name: str
    path: str
    region_id: str


class UnitTarget(Protocol):
    """What accounts reads of a handling unit."""

    name: str
    region_id: str

    @property
    def pk(self) -> Any: ...


_models: dict[str, type[Model]] = {}


def target_model_register(kind: str, model: type[Model]) -> None:
    """Called by the stations ("station") and units ("unit") apps when they are ready."""
    _models[kind] = model


def target_queryset(kind: str) -> QuerySet[Any]:
    """Every station or unit, for the grant form to look up and filter by the granter's scope."""
    model = _models.get(kind)
    if model is None:
        raise LookupError(f"no app has registered the scope target {kind!r}")
    return model._default_manager.all()
