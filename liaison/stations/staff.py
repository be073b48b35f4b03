"""Who works for a station: the users to tell when something at a station needs them."""

from __future__ import annotations

from liaison.accounts.capabilities import Capability, capability_scope, roles_with
from liaison.accounts.models import Membership, User
from liaison.regions.models import ancestor_codes
from liaison.stations.models import Station

# Messages go to people; a region with more holders than this is misconfigured, not busy.
MAX_RECIPIENTS = 500


def station_staff_ids(station: Station, capability: Capability) -> list[int]:
    """Active users holding `capability` in a scope that covers the station (for messages).

    Candidates are the memberships in those roles on the station's region chain (every
    membership names its region, decision 0024); each candidate's scope then decides, so that a
    station membership of a sibling station in the same township is left out."""
    candidates = (
        Membership.objects.filter(role__in=sorted(roles_with(capability)), user__is_active=True)
        .filter(region_id__in=ancestor_codes(station.region_id))
        .values_list("user_id", flat=True)
        .distinct()[:MAX_RECIPIENTS]
    )
    users = User.objects.filter(pk__in=list(candidates))
    return sorted(
        u.pk
        for u in users
        if capability_scope(u, capability).covers_station(
            region_code=station.region_id, path=station.path
        )
    )
