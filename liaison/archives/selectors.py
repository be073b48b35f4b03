"""Whose file a user may open, and the stations whose registers they may ask for."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from liaison.accounts.capabilities import Capability, capability_scope, has_capability
from liaison.accounts.scoping import AnyUser
from liaison.deputies.models import Deputy
from liaison.deputies.selectors import deputies_in_scope, with_related
from liaison.stations.models import Station


def deputies_filed_for(user: AnyUser) -> QuerySet[Deputy]:
    """Deputies whose file the user may open as staff: those their VIEW_ARCHIVES scope reaches
    by the rule of the deputy pages (home region, a seat's congress, a current station)."""
    return deputies_in_scope(capability_scope(user, Capability.VIEW_ARCHIVES))


def deputy_file_get(user: AnyUser, pk: int) -> Deputy:
    """A deputy whose file the user may read (staff in scope, or the deputy themselves, decision
    0036), with seats and assignments prefetched; Http404 otherwise."""
    deputy = with_related(deputies_filed_for(user)).filter(pk=pk).first()
    if deputy is None and has_capability(user, Capability.SEE_OWN_ARCHIVE):
        deputy = with_related(Deputy.objects.filter(user_id=user.pk or 0)).filter(pk=pk).first()
    if deputy is None:
        raise Http404("no such file")
    return deputy


def own_deputy(user: AnyUser) -> Deputy | None:
    """The deputy record of a user holding the deputy role, if any."""
    if not has_capability(user, Capability.SEE_OWN_ARCHIVE):
        return None
    return Deputy.objects.filter(user_id=user.pk or 0).only("pk").first()


def stations_filed_for(user: AnyUser) -> QuerySet[Station]:
    """Stations whose registers of a year the user may ask for."""
    scope = capability_scope(user, Capability.VIEW_ARCHIVES)
    return Station.objects.filter(
        scope.q(region_field="region_id", station_path_field="path")
    ).order_by("name", "id")
