"""For a suggestion in every status and every person concerned: each action the page offers
succeeds, each action it hides is refused by its service and changes nothing."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from liaison.accounts.models import User
from liaison.stations.models import Station
from liaison.suggestions.models import Status, Suggestion
from liaison.suggestions.tests.factories import (
    PDF,
    author_of,
    deputy_member,
    invite,
    suggestion_in,
)
from liaison.suggestions.views_detail import ACTIONS, offered

pytestmark = pytest.mark.django_db

STATUSES = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.RETURNED,
    Status.ACCEPTED,
    Status.ASSIGNED,
    Status.ANSWERED,
    Status.REHANDLING,
    Status.CLOSED,
]


@pytest.fixture
def people(
    deputy: User,
    station: Station,
    county_staff: User,
    lead_clerk: User,
    co_clerk: User,
    station_officer: User,
) -> dict[str, User]:
    return {
        "author": deputy,
        "cosigner": deputy_member(station=station, username="walk_cosigner"),
        "staff": county_staff,
        "lead": lead_clerk,
        "co": co_clerk,
        "helper": station_officer,
    }


def _data(name: str, s: Suggestion, ctx: dict[str, Any]) -> dict[str, Any]:
    today = timezone.localdate()
    letter = SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf")
    return {
        "edit": {"deputy": ctx["spare"]},
        "cosign": {"confirm": True},
        "return": {"reason": "请补充分析"},
        "merge": {"into": ctx["other"].pk},
        "assign": {"lead": ctx["lead_unit"], "co_units": []},
        "return_request": {"reason": "不属于本单位职责"},
        "return_refuse": {"note": "属于本单位职责"},
        "co_view": {"view": "建议住建局牵头"},
        "contact": {"method": "phone", "on": today},
        "answer": {
            "grade": "A",
            "answer": "已解决",
            "letter": letter,
            "promised_on": None,
            "reason": "",
        },
        "rate": {"rating": "satisfied", "comment": ""},
        "priority": {"leader": "李主任", "deputies": ""},
        "publish_deputy": {"allow": True},
        "publish_congress": {"allow": True},
    }.get(name, {})


def _make(status: str, ctx: dict[str, Any], people: dict[str, User]) -> Suggestion:
    s = suggestion_in(
        status,
        session=ctx["session"],
        author=author_of(people["author"]),
        station=ctx["station"],
        lead=ctx["lead_unit"],
        co=[ctx["co_unit"]],
    )
    invite(s, author_of(people["cosigner"]), confirmed=False)
    return s


@pytest.mark.parametrize("status", STATUSES)
def test_offered_actions_succeed_and_hidden_ones_change_nothing(
    status: str,
    people: dict[str, User],
    session: Any,
    station: Station,
    lead_unit: Any,
    co_unit: Any,
) -> None:
    from liaison.suggestions.tests.factories import seated_deputy

    ctx = {
        "session": session,
        "station": station,
        "lead_unit": lead_unit,
        "co_unit": co_unit,
        "spare": seated_deputy(name="备用代表"),
    }
    ctx["other"] = suggestion_in(Status.ACCEPTED, session=session)
    for role, user in people.items():
        s = _make(status, ctx, people)
        request: Any = SimpleNamespace(user=User.objects.get(pk=user.pk))
        shown = set(offered(request, s))
        for name in ACTIONS:
            if name in shown:
                continue
            before = Suggestion.objects.get(pk=s.pk)
            fresh: Any = SimpleNamespace(user=User.objects.get(pk=user.pk))
            with pytest.raises(Exception) as info:
                ACTIONS[name].run(fresh, before, _data(name, before, ctx))
            assert info.type.__name__ in {
                "PermissionDenied",
                "TransitionNotAllowed",
                "ActionRefused",
                "ValidationError",
                "SuggestionConflict",
                "Http404",
            }, (role, name, info.value)
            after = Suggestion.objects.get(pk=s.pk)
            assert (after.status, after.version) == (before.status, before.version), (role, name)
        for name in shown:
            target = _make(status, ctx, people)
            fresh = SimpleNamespace(user=User.objects.get(pk=user.pk))
            ACTIONS[name].run(fresh, target, _data(name, target, ctx))
            assert Suggestion.objects.get(pk=target.pk).version > target.version, (role, name)
