"""Un-merging a duplicate (撤销合并), and the primary's page listing what was merged into it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from liaison.audit.models import AuditEvent
from liaison.cases import services
from liaison.cases.models import CaseEvent, EventKind, Status
from liaison.cases.services.merging import case_unmerge
from liaison.cases.tests.factories import CaseFactory, case_in
from liaison.cases.workflow import TransitionNotAllowed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("before", [Status.SUBMITTED, Status.ACCEPTED])
def test_unmerge_returns_the_case_to_its_status_before_the_merge(
    before: str, station: Any, station_officer: Any
) -> None:
    primary = case_in(Status.ACCEPTED, station=station)
    duplicate = case_in(before, station=station)
    services.case_merge(case=duplicate, primary=primary, actor=station_officer)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.MERGED
    version = duplicate.version

    case_unmerge(case=duplicate, actor=station_officer, expected_version=version)

    duplicate.refresh_from_db()
    assert duplicate.status == before
    assert duplicate.merged_into_id is None
    assert duplicate.version == version + 1
    event = CaseEvent.objects.filter(case=duplicate).order_by("-id").first()
    assert event is not None
    assert event.kind == EventKind.UNMERGED
    assert event.is_public
    assert (event.from_status, event.to_status) == (Status.MERGED, before)
    assert event.data["primary"] == primary.pk
    assert CaseEvent.objects.filter(
        case=primary, kind=EventKind.NOTE, data__unmerged=duplicate.pk
    ).exists()
    assert AuditEvent.objects.filter(object_id=str(duplicate.pk), note="撤销合并").exists()


def test_unmerge_drops_the_outcome_copied_from_the_primary(
    station: Any, station_officer: Any, unit: Any, unit_clerk: Any
) -> None:
    primary = case_in(Status.ACCEPTED, station=station)
    duplicate = case_in(Status.SUBMITTED, station=station)
    services.case_merge(case=duplicate, primary=primary, actor=station_officer)
    services.case_assign(case=primary, actor=station_officer, unit=unit)
    primary.refresh_from_db()
    services.case_reply(case=primary, actor=unit_clerk, reply="已统一修复。")
    duplicate.refresh_from_db()
    assert duplicate.reply == "已统一修复。"
    case_unmerge(case=duplicate, actor=station_officer)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.SUBMITTED
    assert duplicate.reply == ""
    assert duplicate.replied_at is None
    assert duplicate.closed_at is None


def test_unmerge_refuses_a_case_that_is_not_merged(station: Any, station_officer: Any) -> None:
    case = case_in(Status.ACCEPTED, station=station)
    with pytest.raises(TransitionNotAllowed):
        case_unmerge(case=case, actor=station_officer)


def test_unit_staff_cannot_unmerge(station: Any, station_officer: Any, unit: Any) -> None:
    from liaison.cases.tests.factories import make_unit_staff

    primary = case_in(Status.ASSIGNED, station=station, unit=unit)
    duplicate = case_in(Status.SUBMITTED, station=station)
    services.case_merge(case=duplicate, primary=primary, actor=station_officer)
    duplicate.refresh_from_db()
    # Give the clerk sight of the duplicate, then check the table still refuses them.
    duplicate.unit = unit
    duplicate.save(update_fields=["unit"])
    clerk = make_unit_staff(unit)
    with pytest.raises(PermissionDenied):
        case_unmerge(case=duplicate, actor=clerk)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.MERGED


def test_unmerge_checks_the_version(station: Any, station_officer: Any) -> None:
    primary = case_in(Status.ACCEPTED, station=station)
    duplicate = case_in(Status.SUBMITTED, station=station)
    services.case_merge(case=duplicate, primary=primary, actor=station_officer)
    duplicate.refresh_from_db()
    with pytest.raises(services.CaseConflict):
        case_unmerge(case=duplicate, actor=station_officer, expected_version=duplicate.version - 1)


def test_unmerge_without_a_merge_event_is_refused(station: Any, station_officer: Any) -> None:
    primary = case_in(Status.ACCEPTED, station=station)
    duplicate = case_in(Status.MERGED, station=station, merged_into=primary)
    with pytest.raises(ValidationError):
        case_unmerge(case=duplicate, actor=station_officer)


def test_case_page_offers_unmerge_and_the_primary_lists_its_merged_cases(
    as_user: Any, station: Any, station_officer: Any, other_county_staff: Any
) -> None:
    primary = case_in(Status.ACCEPTED, station=station)
    duplicate = CaseFactory(station=station, title="同一路灯又坏了")
    services.case_merge(case=duplicate, primary=primary, actor=station_officer)
    client = as_user(station_officer)
    page = client.get(reverse("cases:detail", args=[primary.pk])).content.decode()
    assert "已合并到本件的意见" in page
    assert reverse("cases:detail", args=[duplicate.pk]) in page
    assert duplicate.tracking_code in page
    page = client.get(reverse("cases:detail", args=[duplicate.pk])).content.decode()
    assert reverse("cases:act", args=[duplicate.pk, "unmerge"]) in page
    # A merged case offers no other move (the table's way back to 已受理 is not "受理").
    assert reverse("cases:act", args=[duplicate.pk, "accept"]) not in page
    duplicate.refresh_from_db()
    other = as_user(other_county_staff).post(
        reverse("cases:act", args=[duplicate.pk, "unmerge"]),
        {"expected_version": duplicate.version},
    )
    assert other.status_code == 404
    response = client.post(
        reverse("cases:act", args=[duplicate.pk, "unmerge"]),
        {"expected_version": duplicate.version},
        follow=True,
    )
    assert "已撤销合并" in response.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.status == Status.SUBMITTED
    assert duplicate.merged_into_id is None
    page = client.get(reverse("cases:detail", args=[primary.pk])).content.decode()
    assert "已合并到本件的意见" not in page
