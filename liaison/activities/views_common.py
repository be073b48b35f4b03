"""What the activity pages share: error texts, the actions offered, the plannable choices."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.scoping import AnyUser
from liaison.activities import selectors
from liaison.activities.actions import TABLE, ActivityFacts
from liaison.activities.models import Activity, Participation, Status, WorkPlanItem
from liaison.activities.permissions import activity_actors, deputy_id_of, is_author
from liaison.activities.rules import kind_choices
from liaison.activities.services import ActivityConflict
from liaison.activities.services.flow import facts_for
from liaison.activities.workflow import INVITEE
from liaison.stations.models import Station
from liaison.workflow.table import TransitionNotAllowed

SERVICE_ERRORS = (ActivityConflict, TransitionNotAllowed, ValidationError, PermissionDenied)


def error_text(error: Exception) -> str:
    """A Chinese message for whatever an activity service refused."""
    if isinstance(error, ActivityConflict):
        return str(error)
    if isinstance(error, TransitionNotAllowed):
        label = dict(Status.choices).get(error.current, error.current)
        return _("该活动当前状态为“%(s)s”，不能进行此操作，请刷新页面后再试。") % {"s": label}
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return str(error) or _("您无权对该活动进行此操作。")


def own_participation(user: AnyUser, activity: Activity) -> Participation | None:
    deputy_id = deputy_id_of(user)
    if deputy_id is None:
        return None
    return Participation.objects.filter(activity=activity, deputy_id=deputy_id).first()


def available_actions(user: AnyUser, activity: Activity) -> set[str]:
    """Exactly what the services would allow `user` now (the same table)."""
    own = own_participation(user, activity)
    given = {
        "by_author": is_author(user, activity),
        "self_confirmed": bool(own and own.attended and own.confirmed_via == own.Via.SELF),
    }
    return TABLE.available(activity_actors(user, activity), facts_for(activity, given=given))


def can_confirm(activity: Activity, own: Participation | None) -> bool:
    """Whether the deputy of `own` may confirm now (the same table, no query: a list asks it
    for every row)."""
    if own is None or not own.invited:
        return False
    facts = ActivityFacts(
        status=activity.status,
        started=activity.starts_at <= timezone.now(),
        self_confirmed=own.attended and own.confirmed_via == Participation.Via.SELF,
    )
    return TABLE.may("confirm", [INVITEE], facts)


def first_region(stations: QuerySet[Station]) -> str | None:
    return stations.values_list("region_id", flat=True).first()


def form_choices(user: AnyUser, *, activity: Activity | None = None) -> dict[str, Any]:
    """Choices of the plan form: stations, kinds (of the first station's region), deputies and
    work plan items of those stations."""
    if activity is not None:
        stations = Station.objects.filter(pk=activity.station_id)
    else:
        stations = selectors.stations_plannable_by(user)
    items = WorkPlanItem.objects.filter(plan__station__in=stations.values("pk")).select_related(
        "plan", "plan__station"
    )
    return {
        "stations": stations,
        "kinds": kind_choices(first_region(stations)),
        "deputies": selectors.deputies_near(stations),
        "plan_items": items.order_by("-plan__year", "month", "id"),
        "posts": selectors.posts_near(stations),
    }
