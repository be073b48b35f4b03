"""督办总览: open supervisions in scope, units with low reply quality, roles, empty state."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liaison.cases.models import Status, Supervision
from liaison.cases.tests.factories import HandlingUnitFactory, case_in, make_unit_staff
from liaison.insights.reply_scores import clear_references

pytestmark = pytest.mark.django_db

URL = reverse("workbench:supervision")
CHANGSHA_COUNTY_STREET = "430121001000"


@pytest.fixture(autouse=True)
def _fresh_reference() -> None:
    clear_references()


def _supervised(note: str = "请三日内答复", **kw: Any) -> Supervision:
    case = case_in(Status.ASSIGNED, **kw)
    return Supervision.objects.create(case=case, level=Supervision.Level.MANUAL, note=note)


def _stock_replies(unit: Any, n: int = 3, **kw: Any) -> None:
    kw.setdefault("replied_at", timezone.now())
    for _ in range(n):
        case_in(Status.REPLIED, unit=unit, reply="已收悉", **kw)


def test_county_staff_see_open_supervisions_of_their_county(
    county_staff: Any, other_county_staff: Any, as_user: Any
) -> None:
    ours = _supervised(note="红牌：尽快处理", title="枫林小区噪音")
    theirs = _supervised(note="外县督办", title="星沙路灯", region_id=CHANGSHA_COUNTY_STREET)
    resolved = _supervised(note="已解除的督办")
    resolved.resolved_at = timezone.now()
    resolved.save(update_fields=["resolved_at"])
    body = as_user(county_staff).get(URL).content.decode()
    assert ours.case.tracking_code in body
    assert "红牌：尽快处理" in body
    assert reverse("cases:detail", args=[ours.case_id]) in body
    assert ours.case.reply_due.isoformat() in body
    assert theirs.case.tracking_code not in body
    assert "已解除的督办" not in body
    other = as_user(other_county_staff).get(URL).content.decode()
    assert theirs.case.tracking_code in other
    assert ours.case.tracking_code not in other


def test_station_officer_sees_only_own_station(
    station: Any, station_officer: Any, as_user: Any
) -> None:
    mine = _supervised(station=station)
    elsewhere = _supervised(station=None)
    body = as_user(station_officer).get(URL).content.decode()
    assert mine.case.tracking_code in body
    assert elsewhere.case.tracking_code not in body


def test_handling_units_and_auditors_are_refused(auditor: Any, as_user: Any) -> None:
    clerk = make_unit_staff(HandlingUnitFactory(), username="clerk")
    assert as_user(clerk).get(URL).status_code == 403
    assert as_user(auditor).get(URL).status_code == 403


def test_empty_state(county_staff: Any, as_user: Any) -> None:
    body = as_user(county_staff).get(URL).content.decode()
    assert "辖区内暂无督办中的意见" in body
    assert "近期没有答复质量低于分数线的承办单位" in body


def test_units_with_low_reply_quality_are_listed_with_their_flags(
    county_staff: Any, other_county_staff: Any, as_user: Any
) -> None:
    weak = HandlingUnitFactory(name="岳麓区某局")
    _stock_replies(weak)
    old = HandlingUnitFactory(name="岳麓区旧账局")
    _stock_replies(old, replied_at=timezone.now() - datetime.timedelta(days=40))
    body = as_user(county_staff).get(URL).content.decode()
    panel = body[body.index('id="low-reply-quality"') :]
    assert "岳麓区某局" in panel
    assert "套话答复 3" in panel
    assert "答复过短 3" in panel
    assert "岳麓区旧账局" not in panel  # outside the last 30 days
    assert "低于 60 分" in panel
    assert "不作为督办依据" in panel
    assert "建议督办" not in panel
    assert "岳麓区某局" not in as_user(other_county_staff).get(URL).content.decode()


def test_query_count_does_not_grow_with_the_page(county_staff: Any, as_user: Any) -> None:
    client = as_user(county_staff)
    unit = HandlingUnitFactory()
    for _ in range(2):
        _supervised(unit=unit)
    _stock_replies(unit)
    client.get(URL)  # stores the reply scores
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for _ in range(6):
        _supervised(unit=HandlingUnitFactory())
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)
