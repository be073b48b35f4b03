"""Who a user is to one suggestion: the actors of the action table, in `ACTOR_ORDER`."""

from __future__ import annotations

from django.db.models import Q

from liaison.accounts.capabilities import Capability, capability_scope, has_capability
from liaison.accounts.models import User
from liaison.accounts.scoping import AnyUser
from liaison.deputies.models import Deputy
from liaison.suggestions.models import Cosigner, Suggestion, SuggestionUnit
from liaison.suggestions.workflow import (
    ACTOR_ORDER,
    AUTHOR,
    CO_UNIT,
    COSIGNER,
    HELPER,
    LEAD,
    STAFF,
)


def deputy_of(user: AnyUser) -> Deputy | None:
    """The deputy row of a user who files suggestions (cached on the user for the request)."""
    if not user.is_authenticated or not has_capability(user, Capability.FILE_SUGGESTIONS):
        return None
    key = "_liaison_deputy"
    if key not in vars(user):
        vars(user)[key] = Deputy.objects.filter(user_id=user.pk, is_active=True).first()
    cached: Deputy | None = vars(user)[key]
    return cached


def unit_ids_of(user: AnyUser) -> tuple[int, ...]:
    return capability_scope(user, Capability.HANDLE_SUGGESTIONS).unit_ids


def suggestion_actors(user: User, suggestion: Suggestion) -> list[str]:
    """The actors `user` is on `suggestion`, in the order an event records the first."""
    found: set[str] = set()
    deputy = deputy_of(user)
    if deputy is not None:
        if suggestion.author_id == deputy.pk:
            found.add(AUTHOR)
        elif Cosigner.objects.filter(
            suggestion_id=suggestion.pk, deputy=deputy, state=Cosigner.State.INVITED
        ).exists():
            found.add(COSIGNER)
    if capability_scope(user, Capability.REVIEW_SUGGESTIONS).covers_region(suggestion.congress_id):
        found.add(STAFF)
    if suggestion.station_id is not None:
        helper = capability_scope(user, Capability.HELP_SUGGESTIONS)
        station = suggestion.station
        if station is not None and helper.covers_station(
            region_code=station.region_id, path=station.path
        ):
            found.add(HELPER)
    units = unit_ids_of(user)
    if units:
        if suggestion.lead_unit_id in units:
            found.add(LEAD)
        if SuggestionUnit.objects.filter(
            Q(suggestion_id=suggestion.pk, is_current=True, is_lead=False, unit_id__in=units)
        ).exists():
            found.add(CO_UNIT)
    return [a for a in ACTOR_ORDER if a in found]
