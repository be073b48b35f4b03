"""Searching a long station list: a province's staff see 4,400 stations, so a filter offers a
search box instead of a select of them all (`forms.StationSearchField`, the lookup view
`views_staff.station_lookup`, static/js/station_search.js; issue 16)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.db.models.functions import Length

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.scoping import AnyUser
from liaison.common.codes import is_well_formed
from liaison.regions.models import Level
from liaison.stations.models import Station

SEARCH_LIMIT = 20


def station_select_is_long(user: AnyUser) -> bool:
    """Whether the user's stations are too many for a select: a city's scope or wider."""
    scope = capability_scope(user, Capability.VIEW_STATIONS)
    return any(region.level in (Level.PROVINCE, Level.CITY) for region in scope.regions)


def stations_matching(
    stations: QuerySet[Station], text: str, *, limit: int = SEARCH_LIMIT
) -> list[Station]:
    """Stations of `stations` (already scoped) for what was typed: a station code or id found in
    the text picks that station; otherwise every word must be in the name, shortest names first
    (the exact name first of all)."""
    text = " ".join(text.split())[:100]
    if not text:
        return []
    code = next((w for w in text.upper().split() if is_well_formed(w, "S")), "")
    if code:
        return list(stations.filter(code=code)[:1])
    if text.isdigit():
        return list(stations.filter(pk=int(text))[:1])
    named = stations
    for word in text.split():
        named = named.filter(name__contains=word)
    exact = Case(When(name=text, then=Value(0)), default=Value(1), output_field=IntegerField())
    return list(named.order_by(exact, Length("name"), "name", "id")[:limit])
