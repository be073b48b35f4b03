"""Swap requests: asked by the deputy, decided by station staff, on the workflow kernel."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liaison.audit.models import AuditEvent
from liaison.notifications.models import Notification
from liaison.receptions import workflow
from liaison.receptions.models import (
    DutyStatus,
    ReceptionDuty,
    SwapEvent,
    SwapKind,
    SwapRequest,
    SwapStatus,
)
from liaison.receptions.services import swaps
from liaison.receptions.tests.factories import ReceptionDutyFactory
from liaison.receptions.tests.fixtures import day_at
from liaison.workflow.table import TransitionNotAllowed

pytestmark = pytest.mark.django_db


def ask(day: Any, user: Any, **changes: Any) -> SwapRequest:
    values: dict[str, Any] = {"kind": SwapKind.GIVE_UP, "reason": "出差"}
    values.update(changes)
    return swaps.swap_request(duty=day.duties.get(), actor=user, **values)


def test_the_table() -> None:
    table = workflow.TABLE
    facts = workflow.SwapFacts(status=SwapStatus.PENDING, day_ahead=True)
    assert table.available([workflow.STAFF], facts) == {"approve", "reject"}
    assert table.available([workflow.REQUESTER], facts) == {"withdraw"}
    late = workflow.SwapFacts(status=SwapStatus.PENDING, day_ahead=False)
    assert table.available([workflow.STAFF], late) == {"reject"}
    for status in (SwapStatus.APPROVED, SwapStatus.REJECTED, SwapStatus.WITHDRAWN):
        done = workflow.SwapFacts(status=status, day_ahead=True)
        assert table.available([workflow.STAFF, workflow.REQUESTER], done) == set()


def test_give_up_approved_releases_the_duty(
    future_day: Any,
    deputy_user: Any,
    station_officer: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        swap = ask(future_day, deputy_user)
    assert Notification.objects.filter(user=station_officer, title__contains="申请调班").exists()
    with django_capture_on_commit_callbacks(execute=True):
        swaps.swap_decide(swap=swap, actor=station_officer, approve=True, expected_version=1)
    swap.refresh_from_db()
    assert swap.status == SwapStatus.APPROVED and swap.decided_by == station_officer
    assert future_day.duties.get().status == DutyStatus.RELEASED
    assert list(swap.events.values_list("kind", flat=True)) == ["requested", "approved"]
    assert Notification.objects.filter(user=deputy_user, title__contains="已同意").exists()
    assert AuditEvent.objects.filter(object_type="receptions.swaprequest").count() == 2


def test_swap_approved_puts_the_colleague_on_duty(
    future_day: Any, deputy_user: Any, colleague: Any, station_head: Any
) -> None:
    swap = ask(future_day, deputy_user, kind=SwapKind.SWAP, replacement=colleague)
    swaps.swap_decide(swap=swap, actor=station_head, approve=True)
    on_duty = ReceptionDuty.objects.filter(day=future_day, status=DutyStatus.ON_DUTY)
    assert [d.deputy for d in on_duty] == [colleague]


def test_rejected_keeps_the_rota(future_day: Any, deputy_user: Any, county_staff: Any) -> None:
    swap = ask(future_day, deputy_user)
    swaps.swap_decide(swap=swap, actor=county_staff, approve=False, note="人手不足")
    assert future_day.duties.get().status == DutyStatus.ON_DUTY
    with pytest.raises(swaps.SwapConflict):  # the copy on the page was still pending
        swaps.swap_decide(swap=swap, actor=county_staff, approve=True)
    swap.refresh_from_db()
    with pytest.raises(TransitionNotAllowed):
        swaps.swap_decide(swap=swap, actor=county_staff, approve=True)


def test_withdraw_and_who_may(
    future_day: Any, deputy_user: Any, station_officer: Any, other_county_staff: Any
) -> None:
    swap = ask(future_day, deputy_user)
    with pytest.raises(PermissionDenied):
        swaps.swap_decide(swap=swap, actor=other_county_staff, approve=True)
    with pytest.raises(PermissionDenied):
        swaps.swap_decide(swap=swap, actor=deputy_user, approve=True)
    with pytest.raises(PermissionDenied):
        swaps.swap_withdraw(swap=swap, actor=station_officer)
    swaps.swap_withdraw(swap=swap, actor=deputy_user)
    swap.refresh_from_db()
    assert swap.status == SwapStatus.WITHDRAWN
    assert SwapEvent.objects.filter(swap=swap).count() == 2


def test_stale_version_is_a_conflict(
    future_day: Any, deputy_user: Any, station_officer: Any
) -> None:
    swap = ask(future_day, deputy_user)
    with pytest.raises(swaps.SwapConflict):
        swaps.swap_decide(swap=swap, actor=station_officer, approve=True, expected_version=7)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": " "}, "reason"),
        ({"reason": "长" * 301}, "reason"),
        ({"kind": "vanish"}, "kind"),
        ({"kind": SwapKind.SWAP}, "replacement"),
    ],
)
def test_bad_requests_change_nothing(
    future_day: Any, deputy_user: Any, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        ask(future_day, deputy_user, **changes)
    assert field in caught.value.message_dict
    assert not SwapRequest.objects.exists()


def test_replacement_busy_elsewhere_is_refused(
    future_day: Any, deputy_user: Any, colleague: Any, station: Any
) -> None:
    busy = day_at(station, future_day.date, hour=10, place="另一处")
    ReceptionDutyFactory(day=busy, deputy=colleague)
    with pytest.raises(ValidationError) as caught:
        ask(future_day, deputy_user, kind=SwapKind.SWAP, replacement=colleague)
    assert future_day.date.isoformat() in str(caught.value)


def test_one_pending_request_and_only_the_deputy_on_duty(
    future_day: Any, deputy_user: Any, station_officer: Any
) -> None:
    ask(future_day, deputy_user)
    with pytest.raises(ValidationError, match="待审批"):
        ask(future_day, deputy_user)
    with pytest.raises(PermissionDenied):
        ask(future_day, station_officer)


def test_no_swap_once_the_day_began(held_day: Any, deputy_user: Any, deputy: Any) -> None:
    with pytest.raises(ValidationError, match="已开始"):
        swaps.swap_request(
            duty=held_day.duties.get(deputy=deputy), actor=deputy_user, kind="give_up", reason="x"
        )


def test_approval_refused_once_the_day_began(
    future_day: Any, deputy_user: Any, station_officer: Any
) -> None:
    swap = ask(future_day, deputy_user)
    type(future_day).objects.filter(pk=future_day.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    with pytest.raises(ValidationError, match="已开始"):
        swaps.swap_decide(swap=swap, actor=station_officer, approve=True)
    swaps.swap_decide(swap=swap, actor=station_officer, approve=False)
