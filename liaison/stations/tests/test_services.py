from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liaison.accounts.models import Role
from liaison.accounts.scoping import scope_for
from liaison.accounts.tests.factories import make_member
from liaison.audit.models import AuditAction, AuditEvent
from liaison.common.codes import is_well_formed
from liaison.regions.models import Region
from liaison.stations import services, standards
from liaison.stations.models import (
    AssessmentResult,
    ScanCount,
    Station,
    StationAppearance,
    StationAssessment,
    StationKind,
    StationStatus,
)
from liaison.stations.tests.conftest import (
    FULL_SCORES,
    fake_jpeg_upload,
    jpeg_upload,
    soon,
)
from liaison.stations.tests.factories import StationFactory

pytestmark = pytest.mark.django_db


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def create(actor: Any, **kw: Any) -> Station:
    fields: dict[str, Any] = {
        "name": "新建人大代表联络站",
        "kind": StationKind.FIXED,
        "region": region("430104002000"),
    }
    fields.update(kw)
    return services.station_create(actor=actor, **fields)


def audit_rows(obj: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)))


# --- create ---------------------------------------------------------------------------------


def test_county_staff_creates_root_station_with_code_path_and_audit(county_staff: Any) -> None:
    station = create(county_staff, latitude=Decimal("28.18"), longitude=Decimal("112.93"))
    assert is_well_formed(station.code, "S")
    assert station.path == f"/{station.code}/"
    assert station.status == StationStatus.ACTIVE
    [event] = audit_rows(station)
    assert event.action == AuditAction.CREATE
    assert event.after["name"] == "新建人大代表联络站"
    assert event.region_code == "430104002000"


def test_child_station_path_extends_parent_path(county_staff: Any, station: Any) -> None:
    child = create(county_staff, parent=station, name="社区联络点")
    assert child.path == f"{station.path}{child.code}/"


def test_staff_cannot_create_outside_their_region(county_staff: Any) -> None:
    with pytest.raises(PermissionDenied):
        create(county_staff, region=region("430121001000"))
    assert not Station.objects.filter(name="新建人大代表联络站").exists()


def test_station_head_cannot_create_root_station(station_head: Any) -> None:
    with pytest.raises(PermissionDenied):
        create(station_head)


def test_station_head_creates_child_of_own_station(station_head: Any, station: Any) -> None:
    child = create(station_head, parent=station, name="下级联络点")
    assert child.parent == station


def test_station_head_cannot_create_under_other_station(
    station_head: Any, sibling_station: Any
) -> None:
    with pytest.raises(PermissionDenied):
        create(station_head, parent=sibling_station, region=region("430104001000"))


def test_liaison_officer_cannot_create(station_officer: Any, station: Any) -> None:
    with pytest.raises(PermissionDenied):
        create(station_officer, parent=station)


@pytest.mark.parametrize(
    ("latitude", "longitude", "field", "message"),
    [
        (Decimal("200"), Decimal("112.9"), "latitude", "纬度应在 -90 到 90 之间"),
        (Decimal("28.1"), Decimal("-190"), "longitude", "经度应在 -180 到 180 之间"),
        (Decimal("112.9"), Decimal("28.1"), "latitude", "经纬度似乎填反了"),
        (Decimal("48.9"), Decimal("2.35"), "longitude", "经度不在中国境内"),
        (Decimal("28.1"), None, "latitude", "经度和纬度需同时填写"),
    ],
)
def test_invalid_coordinates_are_refused(
    county_staff: Any, latitude: Any, longitude: Any, field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        create(county_staff, latitude=latitude, longitude=longitude)
    assert message in " ".join(caught.value.message_dict[field])
    assert not Station.objects.filter(name="新建人大代表联络站").exists()
    assert not AuditEvent.objects.filter(object_type="stations.station").exists()


def test_child_region_must_lie_inside_parent_region(county_staff: Any, station: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        create(county_staff, parent=station, region=region("430104001000"))
    assert "区划范围内" in caught.value.message_dict["region"][0]


def test_thematic_station_needs_a_theme(county_staff: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        create(county_staff, kind=StationKind.THEMATIC)
    assert caught.value.message_dict["theme"] == ["专题站点须填写专题"]


def test_blank_name_and_bad_phone_are_refused(county_staff: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        create(county_staff, name="  ", contact_phone="call me maybe")
    assert caught.value.message_dict["name"] == ["请填写站点名称"]
    assert caught.value.message_dict["contact_phone"] == ["联系电话格式不正确"]


# --- update and status ----------------------------------------------------------------------


def update(station: Any, actor: Any, **kw: Any) -> Station:
    fields: dict[str, Any] = {
        "name": station.name,
        "kind": station.kind,
        "region": station.region,
        "address": station.address,
        "opening_hours": station.opening_hours,
        "contact_name": station.contact_name,
        "contact_phone": station.contact_phone,
    }
    fields.update(kw)
    return services.station_update(station=station, actor=actor, **fields)


def test_update_audits_only_changed_fields(county_staff: Any, station: Any) -> None:
    update(station, county_staff, address="岳麓区麓山南路1号")
    [event] = audit_rows(station)
    assert event.action == AuditAction.UPDATE
    assert event.before == {"address": "岳麓区测试路1号"}
    assert event.after == {"address": "岳麓区麓山南路1号"}


def test_update_without_changes_writes_no_audit(county_staff: Any, station: Any) -> None:
    update(station, county_staff)
    assert audit_rows(station) == []


def test_other_county_staff_cannot_update(other_county_staff: Any, station: Any) -> None:
    with pytest.raises(PermissionDenied):
        update(station, other_county_staff, name="改名")
    station.refresh_from_db()
    assert station.name == "岳麓街道人大代表联络站"


def test_station_head_cannot_move_own_root_station_to_another_region(
    station_head: Any, station: Any
) -> None:
    with pytest.raises(ValidationError):
        update(station, station_head, region=region("430104001000"))


def test_region_change_refused_when_children_would_fall_outside(
    county_staff: Any, station: Any, child_station: Any
) -> None:
    with pytest.raises(ValidationError) as caught:
        update(station, county_staff, region=region("430104001000"))
    assert "下级站点" in caught.value.message_dict["region"][0]


def test_status_change_needs_reason_and_is_audited(county_staff: Any, station: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.station_change_status(
            station=station, actor=county_staff, status=StationStatus.SUSPENDED, reason=" "
        )
    assert caught.value.message_dict["reason"] == ["请填写变更原因"]
    services.station_change_status(
        station=station, actor=county_staff, status=StationStatus.SUSPENDED, reason="场地装修"
    )
    station.refresh_from_db()
    assert station.status == StationStatus.SUSPENDED
    [event] = audit_rows(station)
    assert "场地装修" in event.note
    assert event.after == {"status": "suspended"}


def test_status_change_to_same_status_is_refused(county_staff: Any, station: Any) -> None:
    with pytest.raises(ValidationError, match="运行中"):
        services.station_change_status(
            station=station, actor=county_staff, status=StationStatus.ACTIVE, reason="x"
        )


def test_liaison_officer_cannot_change_status(station_officer: Any, station: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.station_change_status(
            station=station, actor=station_officer, status=StationStatus.CLOSED, reason="x"
        )


# --- move -----------------------------------------------------------------------------------


def test_move_rebuilds_paths_of_whole_subtree(
    county_staff: Any, station: Any, sibling_station: Any
) -> None:
    child = StationFactory(parent=station, region_id="430104002000")
    grandchild = StationFactory(parent=child, region_id="430104002000")
    town = StationFactory(name="岳麓区人大代表之家", region_id="430104000000")
    services.station_move(station=station, actor=county_staff, parent=town)
    for item in (station, child, grandchild, sibling_station):
        item.refresh_from_db()
    assert station.path == f"/{town.code}/{station.code}/"
    assert child.path == f"{station.path}{child.code}/"
    assert grandchild.path == f"{child.path}{grandchild.code}/"
    assert sibling_station.path == f"/{sibling_station.code}/"
    assert audit_rows(station)[0].after == {"parent": town.pk, "path": station.path}


def test_move_under_own_descendant_is_refused(county_staff: Any, station: Any) -> None:
    child = StationFactory(parent=station, region_id="430104002000")
    grandchild = StationFactory(parent=child, region_id="430104002000")
    for target in (station, grandchild):
        with pytest.raises(ValidationError) as caught:
            services.station_move(station=station, actor=county_staff, parent=target)
        assert caught.value.message_dict["parent"] == ["不能把站点移到它自己或它的下级站点之下"]
    station.refresh_from_db()
    grandchild.refresh_from_db()
    assert station.parent is None
    assert grandchild.path == f"/{station.code}/{child.code}/{grandchild.code}/"
    assert audit_rows(station) == []


def test_move_to_root(county_staff: Any, station: Any, child_station: Any) -> None:
    services.station_move(station=child_station, actor=county_staff, parent=None)
    child_station.refresh_from_db()
    assert child_station.parent is None
    assert child_station.path == f"/{child_station.code}/"


def test_station_head_cannot_make_child_a_root(station_head: Any, child_station: Any) -> None:
    with pytest.raises(ValidationError, match="无权"):
        services.station_move(station=child_station, actor=station_head, parent=None)


# --- appearances ----------------------------------------------------------------------------


def test_appearance_added_for_market_station(county_staff: Any, market_station: Any) -> None:
    appearance = services.station_appearance_add(
        station=market_station,
        actor=county_staff,
        starts_at=soon(24),
        ends_at=soon(27),
        place="岳麓区农贸市场门口",
    )
    assert appearance.station == market_station
    assert audit_rows(appearance)[0].action == AuditAction.CREATE


def test_appearance_refused_for_fixed_station(county_staff: Any, station: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.station_appearance_add(
            station=station, actor=county_staff, starts_at=soon(1), ends_at=soon(2), place="x"
        )
    assert "只有流动站点和集市站点可以安排出摊" in caught.value.messages
    assert not StationAppearance.objects.exists()


def test_appearance_must_end_after_start(county_staff: Any, market_station: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.station_appearance_add(
            station=market_station,
            actor=county_staff,
            starts_at=soon(5),
            ends_at=soon(3),
            place="市场",
        )
    assert caught.value.message_dict["ends_at"] == ["结束时间须晚于开始时间"]
    assert not StationAppearance.objects.exists()


def test_appearance_cancel_deletes_and_audits(county_staff: Any, market_station: Any) -> None:
    appearance = services.station_appearance_add(
        station=market_station, actor=county_staff, starts_at=soon(1), ends_at=soon(2), place="x"
    )
    pk = appearance.pk
    services.station_appearance_cancel(appearance=appearance, actor=county_staff, reason="下雨")
    assert not StationAppearance.objects.filter(pk=pk).exists()
    delete = AuditEvent.objects.get(object_type="stations.stationappearance", action="delete")
    assert delete.before["place"] == "x"
    assert "下雨" in delete.note


def test_ended_appearance_cannot_be_cancelled(county_staff: Any, market_station: Any) -> None:
    past = StationAppearance.objects.create(
        station=market_station,
        starts_at=timezone.now() - datetime.timedelta(days=2),
        ends_at=timezone.now() - datetime.timedelta(days=1),
        place="旧市场",
    )
    with pytest.raises(ValidationError, match="已结束的出摊安排不能取消"):
        services.station_appearance_cancel(appearance=past, actor=county_staff)
    assert StationAppearance.objects.filter(pk=past.pk).exists()


# --- assessments ----------------------------------------------------------------------------


def assess(station: Any, actor: Any, **kw: Any) -> StationAssessment:
    fields: dict[str, Any] = {
        "assessed_on": timezone.localdate(),
        "scores": FULL_SCORES,
        "note": "总体良好",
    }
    fields.update(kw)
    return services.station_assessment_create(station=station, actor=actor, **fields)


@pytest.mark.parametrize(
    ("drop", "result"),
    [
        (0, AssessmentResult.EXCELLENT),
        (15, AssessmentResult.PASSED),
        (25, AssessmentResult.BASIC),
        (45, AssessmentResult.FAILED),
    ],
)
def test_assessment_result_follows_thresholds(
    county_staff: Any, station: Any, drop: int, result: str
) -> None:
    scores = dict(FULL_SCORES)
    remaining = drop
    for key in scores:
        cut = min(remaining, scores[key])
        scores[key] -= cut
        remaining -= cut
    assessment = assess(station, county_staff, scores=scores)
    assert assessment.score == Decimal(100 - drop)
    assert assessment.result == result
    station.refresh_from_db()
    assert station.assessment_result == result
    assert station.assessment_score == Decimal(100 - drop)
    assert station.assessed_on == timezone.localdate()


def test_assessment_keeps_snapshot_of_items_and_photos(county_staff: Any, station: Any) -> None:
    assessment = assess(
        station, county_staff, item_notes={"place": "面积 80 平方米"}, photos=[jpeg_upload()]
    )
    assert [i["name"] for i in assessment.items] == [
        "场所",
        "牌子",
        "制度",
        "人员",
        "经费",
        "活动",
        "台账",
    ]
    assert assessment.items[0]["note"] == "面积 80 平方米"
    assert assessment.photos.count() == 1
    event = audit_rows(assessment)[0]
    assert event.after["result"] == AssessmentResult.EXCELLENT


def test_score_above_maximum_is_refused(county_staff: Any, station: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        assess(station, county_staff, scores={**FULL_SCORES, "sign": 11})
    assert caught.value.message_dict["score_sign"] == ["“牌子”的得分应在 0 到 10 之间"]
    assert not StationAssessment.objects.exists()


def test_missing_score_is_refused(county_staff: Any, station: Any) -> None:
    scores = {k: v for k, v in FULL_SCORES.items() if k != "ledger"}
    with pytest.raises(ValidationError, match="请填写“台账”的得分"):
        assess(station, county_staff, scores=scores)


def test_disguised_photo_is_refused_and_nothing_saved(county_staff: Any, station: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        assess(station, county_staff, photos=[jpeg_upload(), fake_jpeg_upload("fake.jpg")])
    assert "fake.jpg：文件不是有效的图片" in caught.value.message_dict["photos"]
    assert not StationAssessment.objects.exists()
    station.refresh_from_db()
    assert station.assessment_result == ""


def test_future_assessment_date_is_refused(county_staff: Any, station: Any) -> None:
    with pytest.raises(ValidationError, match="评估日期不能晚于今天"):
        assess(station, county_staff, assessed_on=timezone.localdate() + datetime.timedelta(1))


def test_older_assessment_does_not_replace_latest_on_row(county_staff: Any, station: Any) -> None:
    assess(station, county_staff)
    assess(
        station,
        county_staff,
        assessed_on=timezone.localdate() - datetime.timedelta(days=400),
        scores={k: 0 for k in FULL_SCORES},
    )
    station.refresh_from_db()
    assert station.assessment_result == AssessmentResult.EXCELLENT


def test_station_head_cannot_assess(station_head: Any, station: Any) -> None:
    with pytest.raises(PermissionDenied):
        assess(station, station_head)


def test_checklist_from_jurisdiction_setting(
    county_staff: Any, station: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = [
        {"key": "place", "name": "场所", "max_score": 50},
        {"key": "duty", "name": "值班", "max_score": 50},
    ]
    values = {
        standards.STANDARD_ITEMS_KEY: items,
        standards.THRESHOLDS_KEY: {"excellent": 95, "passed": 70, "basic": 50},
    }
    monkeypatch.setattr(standards, "_jurisdiction_value", lambda key, region: values.get(key))
    assessment = assess(station, county_staff, scores={"place": 50, "duty": 40})
    assert [i["key"] for i in assessment.items] == ["place", "duty"]
    assert assessment.result == AssessmentResult.PASSED


def test_malformed_jurisdiction_checklist_falls_back_to_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(standards, "_jurisdiction_value", lambda key, region: [{"key": 1}])
    assert len(standards.standard_items_for(None)) == 7


def test_default_checklist_has_seven_items_summing_to_100() -> None:
    assert [i["name"] for i in standards.DEFAULT_STANDARD_ITEMS] == [
        "场所",
        "牌子",
        "制度",
        "人员",
        "经费",
        "活动",
        "台账",
    ]
    assert sum(i["max_score"] for i in standards.DEFAULT_STANDARD_ITEMS) == 100


# --- scans ----------------------------------------------------------------------------------


def test_scan_count_increments_per_code_per_day() -> None:
    today = timezone.localdate()
    services.scan_count_increment(code="S2345678")
    services.scan_count_increment(code="S2345678")
    services.scan_count_increment(code="S2345678", day=today - datetime.timedelta(days=1))
    services.scan_count_increment(code="D2345678")
    assert ScanCount.objects.get(code="S2345678", day=today).count == 2
    assert ScanCount.objects.filter(code="S2345678").count() == 2
    assert ScanCount.objects.get(code="D2345678").count == 1


def test_checklist_follows_real_jurisdiction_setting(county_staff: Any, station: Any) -> None:
    jurisdiction = pytest.importorskip("liaison.jurisdiction.services")
    items = [
        {"key": "place", "name": "场所", "max_score": 60},
        {"key": "duty", "name": "值班", "max_score": 40},
    ]
    jurisdiction.setting_set(
        region=region("430104000000"),
        key=standards.STANDARD_ITEMS_KEY,
        value=items,
        actor=county_staff,
    )
    assert [i["key"] for i in standards.standard_items_for(station.region)] == ["place", "duty"]
    assert len(standards.standard_items_for(region("430121001000"))) == 7


# --- memberships follow their station (decision 0024) ------------------------------------------


def test_move_carries_station_memberships_of_the_subtree(
    county_staff: Any, station: Any, station_head: Any
) -> None:
    child = StationFactory(parent=station, region_id="430104002000")
    officer = make_member(Role.LIAISON_OFFICER, station=child)
    town = StationFactory(name="岳麓区人大代表之家", region_id="430104000000")
    services.station_move(station=station, actor=county_staff, parent=town)
    child.refresh_from_db()
    assert station_head.memberships.get().station_path == f"/{town.code}/{station.code}/"
    assert officer.memberships.get().station_path == child.path
    # The moved station head still sees the child station and its cases.
    officer_scope = scope_for(station_head, [Role.STATION_HEAD])
    assert officer_scope.covers_station(region_code=child.region_id, path=child.path)


def test_rename_and_new_region_are_copied_into_memberships(
    county_staff: Any, station: Any, station_head: Any
) -> None:
    services.station_update(
        station=station,
        actor=county_staff,
        name="岳麓街道新代表联络站",
        kind=station.kind,
        region=Region.objects.get(code="430104002000"),
    )
    membership = station_head.memberships.get()
    assert membership.target_name == "岳麓街道新代表联络站"
    assert membership.region_id == "430104002000"
