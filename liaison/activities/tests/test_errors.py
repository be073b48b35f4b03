"""The refusals the pages turn into Chinese messages, the work plan's rules."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from liaison.activities import services
from liaison.activities.models import Status, WorkPlan
from liaison.activities.services import ActivityConflict
from liaison.activities.services.flow import status_label
from liaison.activities.tests.factories import activity_in, plan_with_items
from liaison.activities.views_common import error_text
from liaison.audit.models import AuditEvent
from liaison.workflow.table import TransitionNotAllowed

pytestmark = pytest.mark.django_db


def test_error_texts_are_chinese() -> None:
    assert "已核实" in error_text(TransitionNotAllowed("verified", "draft", "liaison_officer"))
    assert "请刷新" in error_text(ActivityConflict(current_status_label="待核实"))
    assert error_text(ValidationError("甲")) == "甲"
    assert "无权" in error_text(PermissionDenied())
    assert status_label("nonsense") == "nonsense" and status_label("draft") == "待提交"


def test_a_stale_page_is_told_the_activity_changed(
    station_officer: Any, station: Any, as_user: Any
) -> None:
    activity = activity_in(Status.DRAFT, station=station)
    response = as_user(station_officer).post(
        reverse("activities:act", args=[activity.pk, "submit"]), {"version": "7"}, follow=True
    )
    assert "已被他人处理" in response.content.decode()
    assert (
        as_user(station_officer)
        .post(reverse("activities:act", args=[activity.pk, "nonsense"]))
        .status_code
        == 404
    )


def test_record_page_of_a_future_activity_says_why(
    station_officer: Any, station: Any, deputy: Any, as_user: Any
) -> None:
    start = timezone.now() + timezone.timedelta(days=2)
    activity = activity_in(
        Status.PLANNED, station=station, invited=[deputy], starts_at=start,
        ends_at=start + timezone.timedelta(hours=1),
    )  # fmt: skip
    response = as_user(station_officer).get(
        reverse("activities:record", args=[activity.pk]), follow=True
    )
    assert "尚未开始" in response.content.decode()


def test_record_form_reports_unknown_case_codes(
    station_officer: Any, station: Any, deputy: Any, as_user: Any
) -> None:
    activity = activity_in(Status.PLANNED, station=station, invited=[deputy])
    response = as_user(station_officer).post(
        reverse("activities:record", args=[activity.pk]),
        {"attended": [deputy.pk], "findings": "座谈", "case_codes": "NOPE1234"},
    )
    assert "未找到或不在您辖区的民意" in response.content.decode()


def test_work_plan_rules(station_officer: Any, county_staff: Any, station: Any) -> None:
    year = timezone.localdate().year
    with pytest.raises(PermissionDenied):
        services.work_plan_item_add(
            actor=county_staff, station=station, year=year, month=1, kind="research", title="x"
        )
    with pytest.raises(ValidationError, match="年度"):
        services.work_plan_item_add(
            actor=station_officer, station=station, year=1900, month=1, kind="research", title="x"
        )
    with pytest.raises(ValidationError, match="月份"):
        services.work_plan_item_add(
            actor=station_officer, station=station, year=year, month=0, kind="research", title="x"
        )
    plan = WorkPlan.objects.create(station=station, year=year)
    with pytest.raises(ValidationError, match="不能公布"):
        services.work_plan_publish(actor=station_officer, plan=plan, publish=True)
    _plan, (item,) = plan_with_items(station, year + 1, (2, "research", "调研"))
    before = AuditEvent.objects.count()
    services.work_plan_item_remove(actor=station_officer, item=item)
    assert not _plan.items.exists() and AuditEvent.objects.count() == before + 1
    withdrawn = services.work_plan_publish(actor=station_officer, plan=_plan, publish=False)
    assert withdrawn.published_at is None


def test_plan_index_opens_a_station_plan(station_officer: Any, station: Any, as_user: Any) -> None:
    year = timezone.localdate().year
    plan_with_items(station, year, (2, "research", "调研"))
    client = as_user(station_officer)
    listing = client.get(reverse("activities:plans"), {"year": year})
    assert listing.context["page_obj"].paginator.count == 1
    opened = client.get(reverse("activities:plans"), {"year": year, "station": station.pk})
    assert opened.status_code == 302 and opened.url.endswith(f"/{station.pk}/{year}/")
