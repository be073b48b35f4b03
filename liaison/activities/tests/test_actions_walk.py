"""Every status × persona against the database: what the activity page offers succeeds when
posted through the page, and what it hides the service refuses and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import constants, get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.models import Role, User
from liaison.accounts.tests.factories import make_member
from liaison.activities import services
from liaison.activities.actions import RULES
from liaison.activities.models import Activity, Status
from liaison.activities.services import ActivityConflict
from liaison.activities.tests.factories import activity_in
from liaison.workflow.table import ActionRefused, TransitionNotAllowed

pytestmark = pytest.mark.django_db

REFUSALS = (PermissionDenied, TransitionNotAllowed, ActionRefused, ActivityConflict)
PERSONAS = [
    "station_officer",
    "station_head",
    "county_staff",
    "other_county_staff",
    "other_station_officer",
    "deputy_invited",
    "deputy_organiser",
    "system_admin",
    "auditor",
]
# What each persona may do, by status (the walk checks the page agrees with the services).
PLANNER = {
    Status.PLANNED: {"record", "cancel", "edit"},
    Status.DRAFT: {"record", "submit"},
    Status.RETURNED: {"record"},
}
EXPECTED: dict[str, dict[str, set[str]]] = {
    "station_officer": PLANNER,
    "station_head": PLANNER,
    "county_staff": {Status.SUBMITTED: {"verify", "return"}},
    "deputy_invited": {s: {"confirm"} for s in (Status.PLANNED, Status.DRAFT, Status.RETURNED)},
    "deputy_organiser": {s: actions | {"confirm"} for s, actions in PLANNER.items()},
}


def _user(persona: str, request: Any) -> User:
    if persona.startswith("deputy_"):
        user: User = request.getfixturevalue("deputy_user")
        return user
    if persona == "other_station_officer":
        return make_member(Role.LIAISON_OFFICER, station=request.getfixturevalue("other_station"))
    user = request.getfixturevalue(persona)
    return user


def _activity(status: str, persona: str, station: Any, deputy: Any, colleague: Any) -> Activity:
    organiser = deputy if persona == "deputy_organiser" else None
    # A colleague came (staff-confirmed); the deputy is invited but has not confirmed.
    attended = [colleague] if status != Status.PLANNED else []
    return activity_in(
        status,
        station=station,
        invited=[deputy, colleague],
        attended=attended,
        organiser_deputy=organiser,
    )


def _post(client: Any, activity: Activity, action: str, deputy: Any) -> Any:
    pk = activity.pk
    if action == "record":
        data = {"attended": [deputy.pk], "findings": "走访座谈", "version": activity.version}
        return client.post(reverse("activities:record", args=[pk]), data)
    if action == "edit":
        start = timezone.localtime(activity.starts_at)
        end = timezone.localtime(activity.ends_at)
        data = {
            "station": activity.station_id, "kind": activity.kind, "title": "改后主题",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": end.strftime("%Y-%m-%dT%H:%M"), "place": "新地点",
            "organiser": activity.organiser, "invited": [deputy.pk],
            "version": activity.version,
        }  # fmt: skip
        return client.post(reverse("activities:edit", args=[pk]), data)
    data = {"reason": "原因说明", "version": activity.version}
    return client.post(reverse("activities:act", args=[pk, action]), data)


def _call(action: str, activity: Activity, user: User, deputy: Any) -> None:
    v = activity.version
    if action == "record":
        services.activity_record(activity=activity, actor=user, attended=[deputy], findings="x")
    elif action == "submit":
        services.activity_submit(activity=activity, actor=user, expected_version=v)
    elif action == "verify":
        services.activity_verify(activity=activity, actor=user, expected_version=v)
    elif action == "return":
        services.activity_return(activity=activity, actor=user, reason="r", expected_version=v)
    elif action == "cancel":
        services.activity_cancel(activity=activity, actor=user, reason="r", expected_version=v)
    elif action == "confirm":
        services.attendance_confirm(activity=activity, actor=user)
    else:
        services.activity_edit(
            activity=activity, actor=user, expected_version=v, kind=activity.kind, title="t",
            starts_at=activity.starts_at, ends_at=activity.ends_at, place="p", organiser="o",
        )  # fmt: skip


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("persona", PERSONAS)
def test_offered_actions_succeed_and_hidden_ones_are_refused(
    status: str, persona: str, request: Any, station: Any, deputy: Any, colleague: Any,
    as_user: Any,
) -> None:  # fmt: skip
    user = _user(persona, request)
    client = as_user(user)
    expected = EXPECTED.get(persona, {}).get(status, set())
    probe = _activity(status, persona, station, deputy, colleague)
    response = client.get(reverse("activities:detail", args=[probe.pk]))
    offered = response.context["available"] if response.status_code == 200 else set()
    if persona in ("other_county_staff", "other_station_officer", "system_admin", "auditor"):
        assert response.status_code in (403, 404)
    assert offered == expected
    for action in sorted(RULES):
        activity = _activity(status, persona, station, deputy, colleague)
        if action in offered:
            response = _post(client, activity, action, deputy)
            assert response.status_code == 302, (action, response.content[:300])
            levels = [m.level for m in get_messages(response.wsgi_request)]
            assert constants.ERROR not in levels, (action, levels)
            activity.refresh_from_db()
            assert activity.version == 2, action
        else:
            with pytest.raises(REFUSALS):
                _call(action, activity, user, deputy)
            activity.refresh_from_db()
            assert activity.status == status and activity.version == 1, action
