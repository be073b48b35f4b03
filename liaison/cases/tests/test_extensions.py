"""Extension requests: asked by the handler, decided by congress staff."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liaison.cases import services
from liaison.cases.deadlines import extend_due
from liaison.cases.models import DueState, EventKind, ExtensionRequest, Status, Supervision
from liaison.cases.services import CaseConflict
from liaison.cases.tests.factories import case_in
from liaison.cases.workflow import TransitionNotAllowed
from liaison.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(station: Any, unit: Any) -> Any:
    return case_in(Status.ASSIGNED, station=station, unit=unit)


def test_unit_asks_and_congress_staff_approve(
    assigned: Any, unit_clerk: Any, county_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assigned.due_state = DueState.RED
    assigned.save()
    Supervision.objects.create(case=assigned, level=Supervision.Level.RED)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.extension_request(
            case=assigned, actor=unit_clerk, days=5, reason="需要协调多部门"
        )
    assert Notification.objects.filter(user=county_staff).about(assigned).exists()
    old_due = assigned.reply_due
    with django_capture_on_commit_callbacks(execute=True):
        request = services.extension_decide(request=request, actor=county_staff, approve=True)
    assigned.refresh_from_db()
    assert request.decision == ExtensionRequest.Decision.APPROVED
    assert request.decided_at
    assert assigned.reply_due == extend_due(due=old_due, region=assigned.region_id, days=5)
    assert assigned.due_state == DueState.NONE
    assert not Supervision.objects.filter(case=assigned, resolved_at__isnull=True).exists()
    assert list(assigned.events.values_list("kind", flat=True)) == [
        EventKind.EXTENSION_REQUESTED,
        EventKind.EXTENSION_DECIDED,
    ]
    assert not assigned.events.filter(is_public=True).exists()
    assert Notification.objects.filter(user=unit_clerk).about(assigned).exists()
    # 15 working days at most in one round: 10 are left.
    with pytest.raises(ValidationError):
        services.extension_request(case=assigned, actor=unit_clerk, days=11, reason="再延")
    services.extension_request(case=assigned, actor=unit_clerk, days=10, reason="再延")


def test_refusal_keeps_the_due_date(assigned: Any, unit_clerk: Any, county_staff: Any) -> None:
    due = assigned.reply_due
    request = services.extension_request(case=assigned, actor=unit_clerk, days=3, reason="理由")
    services.extension_decide(request=request, actor=county_staff, approve=False, note="无必要")
    assigned.refresh_from_db()
    request.refresh_from_db()
    assert request.decision == ExtensionRequest.Decision.REFUSED
    assert assigned.reply_due == due
    with pytest.raises(CaseConflict):  # decided already
        services.extension_decide(request=request, actor=county_staff, approve=True)


@pytest.mark.parametrize("days", [0, 16, -1])
def test_days_out_of_range(assigned: Any, unit_clerk: Any, days: int) -> None:
    with pytest.raises(ValidationError):
        services.extension_request(case=assigned, actor=unit_clerk, days=days, reason="理由")
    assert not ExtensionRequest.objects.exists()


def test_reason_required_and_one_pending(assigned: Any, unit_clerk: Any) -> None:
    with pytest.raises(ValidationError):
        services.extension_request(case=assigned, actor=unit_clerk, days=2, reason=" ")
    services.extension_request(case=assigned, actor=unit_clerk, days=2, reason="理由")
    with pytest.raises(ValidationError):
        services.extension_request(case=assigned, actor=unit_clerk, days=2, reason="理由")


def test_wrong_people_and_states(
    assigned: Any,
    unit_clerk: Any,
    other_clerk: Any,
    station_officer: Any,
    other_county_staff: Any,
    station: Any,
    unit: Any,
) -> None:
    with pytest.raises(PermissionDenied):
        services.extension_request(case=assigned, actor=other_clerk, days=2, reason="理由")
    with pytest.raises(PermissionDenied):
        services.extension_request(case=assigned, actor=station_officer, days=2, reason="理由")
    replied = case_in(Status.REPLIED, station=station, unit=unit)
    with pytest.raises(TransitionNotAllowed):
        services.extension_request(case=replied, actor=unit_clerk, days=2, reason="理由")
    request = services.extension_request(case=assigned, actor=unit_clerk, days=2, reason="理由")
    for actor in (station_officer, other_county_staff, unit_clerk):
        with pytest.raises(PermissionDenied):
            services.extension_decide(request=request, actor=actor, approve=True)
    request.refresh_from_db()
    assert request.decision == ExtensionRequest.Decision.PENDING


def test_used_up_days_are_neither_offered_nor_accepted(
    assigned: Any, unit_clerk: Any, county_staff: Any, as_user: Any
) -> None:
    from django.urls import reverse

    from liaison.cases.views_staff.detail import available_actions

    page = reverse("cases:detail", args=[assigned.pk])
    form = reverse("cases:act", args=[assigned.pk, "extension_request"])
    assert f'action="{form}"' in as_user(unit_clerk).get(page).content.decode()
    request = services.extension_request(case=assigned, actor=unit_clerk, days=15, reason="全部")
    services.extension_decide(request=request, actor=county_staff, approve=True)
    assigned.refresh_from_db()
    html = as_user(unit_clerk).get(page).content.decode()
    assert f'action="{form}"' not in html
    loaded = type(assigned).objects.get(pk=assigned.pk)
    loaded.extension_list = list(loaded.extension_requests.all())
    assert "extension_request" not in available_actions(unit_clerk, loaded)
    with pytest.raises(ValidationError) as refused:
        services.extension_request(case=assigned, actor=unit_clerk, days=1, reason="再延")
    assert refused.value.messages == ["本次办理已无可延长的期限"]
    assert ExtensionRequest.objects.filter(case=assigned).count() == 1
