"""What the timelines say: staff notes shown to staff, who answered, who acted (once)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from liaison.accounts.models import Role
from liaison.cases import services
from liaison.cases.models import CaseEvent, EventKind, Status
from liaison.cases.tests.factories import DEFAULT_PIN, CaseFactory, HandlingUnitFactory, case_in
from liaison.deputies.models import Deputy

pytestmark = pytest.mark.django_db


def _public_page(case: Any) -> str:
    client = Client()
    client.post("/cases/track/", {"code": case.tracking_code, "pin": DEFAULT_PIN})
    return client.get(f"/cases/track/{case.tracking_code}/").content.decode()


def _rows(page: str) -> list[str]:
    """The timeline rows of the staff case page, tags stripped, spaces collapsed."""
    table = page.split("办理记录", 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]


def test_accept_note_and_assign_opinion_show_on_the_staff_timeline(
    as_user: Any, station: Any, station_officer: Any, county_staff: Any
) -> None:
    unit = HandlingUnitFactory(name="岳麓区住建局")
    case = CaseFactory(station=station)
    officer = as_user(station_officer)
    officer.post(
        reverse("cases:act", args=[case.pk, "accept"]),
        {"expected_version": case.version, "note": "已电话核实地址"},
    )
    case.refresh_from_db()
    officer.post(
        reverse("cases:act", args=[case.pk, "assign"]),
        {"expected_version": case.version, "unit": unit.pk, "note": "请先排查线路老化"},
    )
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    page = as_user(county_staff).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "已电话核实地址" in page
    assert "请先排查线路老化" in page
    # Internal remarks stay off the public tracking page.
    public = _public_page(case)
    assert "已电话核实地址" not in public
    assert "请先排查线路老化" not in public


def test_actor_column_names_the_constituent_once(
    as_user: Any, station: Any, station_officer: Any
) -> None:
    case = CaseFactory(station=station)
    CaseEvent.objects.create(
        case=case, kind=EventKind.SUBMITTED, actor_role="constituent", is_public=True
    )
    CaseEvent.objects.create(case=case, kind=EventKind.NOTE, actor_role="system", note="到期提醒")
    page = as_user(station_officer).get(reverse("cases:detail", args=[case.pk])).content.decode()
    rows = _rows(page)
    submitted = next(r for r in rows if "提交" in r)
    system = next(r for r in rows if "到期提醒" in r)
    assert "群众 群众" not in submitted
    assert submitted.count("群众") == 1
    assert "系统 系统" not in system
    assert system.count("系统") == 1


def test_actor_column_names_staff_with_their_role(
    as_user: Any, station: Any, station_officer: Any
) -> None:
    case = CaseFactory(station=station)
    services.case_accept(case=case, actor=station_officer)
    page = as_user(station_officer).get(reverse("cases:detail", args=[case.pk])).content.decode()
    accepted = next(r for r in _rows(page) if "已受理" in r)
    assert str(station_officer) in accepted
    assert str(Role.LIAISON_OFFICER.label) in accepted


def test_public_timeline_says_the_deputy_answered(
    station: Any, station_officer: Any, deputy_user: Any
) -> None:
    deputy = Deputy.objects.get(user=deputy_user)
    case = case_in(Status.ACCEPTED, station=station)
    services.case_assign(case=case, actor=station_officer, deputy=deputy)
    case.refresh_from_db()
    services.case_reply(case=case, actor=deputy_user, reply="已与社区协调解决。")
    page = _public_page(case)
    assert "代表已答复" in page
    assert "承办单位已答复" not in page


def test_public_timeline_relabels_an_old_deputy_answer(station: Any) -> None:
    case = case_in(Status.REPLIED, station=station)
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.REPLIED,
        actor_role=Role.DEPUTY,
        from_status=Status.ASSIGNED,
        to_status=Status.REPLIED,
        note="承办单位已答复，请查看答复内容并评价",
        is_public=True,
    )
    page = _public_page(case)
    assert "代表已答复" in page
    assert "承办单位已答复" not in page


def test_public_timeline_still_names_the_unit_when_a_unit_answered(
    station: Any, unit: Any, unit_clerk: Any
) -> None:
    case = case_in(Status.ASSIGNED, station=station, unit=unit)
    services.case_reply(case=case, actor=unit_clerk, reply="已修复。")
    assert "承办单位已答复" in _public_page(case)
