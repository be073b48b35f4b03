"""Who is who on an activity: predicates over (user, activity); no list queries.

- liaison officers and station heads: activities of their station (and its sub-stations), or of
  their region when their membership is region-scoped (PLAN_ACTIVITIES);
- congress staff: activities whose region lies in their subtree (VERIFY_ACTIVITIES);
- the deputy who organised it (ORGANISER) and the deputies invited (INVITEE);
- the three administrators neither see nor touch activities.
"""

from __future__ import annotations

from typing import Final

from liaison.accounts.capabilities import ROLE_PRECEDENCE, Capability, roles_with
from liaison.accounts.scoping import AnyUser, scope_for
from liaison.activities.models import Activity, Participation
from liaison.activities.workflow import INVITEE, ORGANISER
from liaison.cases.permissions import deputy_id_of
from liaison.stations.models import Station

__all__ = ["ACTOR_ORDER", "activity_actors", "covers_station", "deputy_id_of"]

# When a user is several actors on one activity, the event records the first allowed one.
ACTOR_ORDER: Final = (*ROLE_PRECEDENCE, ORGANISER, INVITEE)


def covers_station(user: AnyUser, role: str, station: Station) -> bool:
    return scope_for(user, {role}).covers_station(region_code=station.region_id, path=station.path)


def staff_roles_on(user: AnyUser, station: Station) -> set[str]:
    """The staff roles with which `user` acts on activities of `station`."""
    roles = roles_with(Capability.PLAN_ACTIVITIES, Capability.VERIFY_ACTIVITIES)
    return {role for role in roles if covers_station(user, role, station)}


def activity_actors(user: AnyUser, activity: Activity) -> list[str]:
    """The actors `user` is on `activity`, in ACTOR_ORDER (empty: none of their business)."""
    if not user.is_authenticated:
        return []
    actors = staff_roles_on(user, activity.station)
    deputy_id = deputy_id_of(user)
    if deputy_id is not None:
        if deputy_id == activity.organiser_deputy_id:
            actors.add(ORGANISER)
        invited = Participation.objects.filter(
            activity_id=activity.pk, deputy_id=deputy_id, invited=True
        )
        if invited.exists():
            actors.add(INVITEE)
    return [a for a in ACTOR_ORDER if a in actors]


def is_author(user: AnyUser, activity: Activity) -> bool:
    """Whether `user` planned or recorded the activity (and so may not verify it)."""
    return getattr(user, "pk", None) in {activity.created_by_id, activity.recorded_by_id}
