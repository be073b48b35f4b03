from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from PIL import Image

from liaison.audit.models import AuditAction, AuditEvent
from liaison.deputies import services
from liaison.deputies.models import Deputy, Seat, StationDeputy
from liaison.deputies.tests.factories import DeputyFactory, SeatFactory, StationDeputyFactory
from liaison.regions.tests.factories import CHANGSHA, HUNAN, YUELU, YUELU_STREET, region

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def create(actor: Any, **overrides: Any) -> Deputy:
    data: dict[str, Any] = {
        "actor": actor,
        "home_region": region(YUELU),
        "name": "刘代表",
        "gender": "male",
        "mobile": "13912345678",
        "id_number": "11010519491231002X",
        "home_address": "岳麓区麓山南路1号",
    }
    data.update(overrides)
    return services.deputy_create(**data)


def raw_column(deputy: Deputy, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM deputies_deputy WHERE id = %s", [deputy.pk])
        return str(cursor.fetchone()[0])


def test_create_assigns_code_and_audits_without_private_values(county_staff: Any) -> None:
    deputy = create(county_staff)
    assert deputy.code.startswith("D")
    assert len(deputy.code) == 8
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(deputy.pk))
    assert event.actor == county_staff
    assert event.region_code == YUELU
    assert event.after["name"] == "刘代表"
    assert event.after["mobile"] == "（已加密）"
    assert "13912345678" not in str(event.after)
    assert "11010519491231002X" not in str(event.after)


def test_private_fields_are_encrypted_at_rest(county_staff: Any) -> None:
    deputy = create(county_staff)
    for column, plain in [
        ("mobile", "13912345678"),
        ("id_number", "11010519491231002X"),
        ("home_address", "岳麓区麓山南路1号"),
    ]:
        stored = raw_column(deputy, column)
        assert stored
        assert plain not in stored
    assert Deputy.objects.get(pk=deputy.pk).mobile == "13912345678"


def test_update_records_private_change_without_values(county_staff: Any) -> None:
    deputy = create(county_staff)
    services.deputy_update(
        deputy=deputy, actor=county_staff, mobile="13700000000", occupation="医生"
    )
    deputy.refresh_from_db()
    assert deputy.mobile == "13700000000"
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).latest("id")
    assert event.before == {"occupation": "", "mobile": "（已加密）"}
    assert event.after == {"occupation": "医生", "mobile": "（已修改）"}
    assert "13700000000" not in str(event.after) + str(event.before)


def test_update_without_changes_writes_no_audit_row(county_staff: Any) -> None:
    deputy = create(county_staff)
    before = AuditEvent.objects.count()
    services.deputy_update(deputy=deputy, actor=county_staff, name="刘代表", mobile="13912345678")
    assert AuditEvent.objects.count() == before


def test_update_keeps_omitted_fields(county_staff: Any) -> None:
    deputy = create(county_staff)
    services.deputy_update(deputy=deputy, actor=county_staff, name="刘新")
    deputy.refresh_from_db()
    assert deputy.name == "刘新"
    assert deputy.id_number == "11010519491231002X"


def seat(deputy: Deputy, actor: Any, level: str, congress: str, **kw: Any) -> Seat:
    return services.seat_add(
        deputy=deputy,
        actor=actor,
        level=level,
        congress=region(congress),
        term=kw.pop("term", 18),
        starts_on=kw.pop("starts_on", datetime.date(2021, 12, 1)),
        **kw,
    )


def test_home_region_follows_lowest_current_seat(county_staff: Any) -> None:
    deputy = create(county_staff, home_region=region(CHANGSHA))
    seat(deputy, county_staff, "city", CHANGSHA, term=16)
    deputy.refresh_from_db()
    assert deputy.home_region_id == CHANGSHA
    township = seat(deputy, county_staff, "township", YUELU_STREET)
    seat(deputy, county_staff, "county", YUELU)
    deputy.refresh_from_db()
    assert deputy.home_region_id == YUELU_STREET
    services.seat_end(seat=township, actor=county_staff, ends_on=TODAY - datetime.timedelta(days=1))
    deputy.refresh_from_db()
    assert deputy.home_region_id == YUELU
    sync = AuditEvent.objects.filter(note__contains="同步所属区划").latest("id")
    assert sync.after == {"home_region": YUELU}


def test_home_region_kept_when_no_seat_is_current(county_staff: Any) -> None:
    deputy = create(county_staff)
    only = seat(deputy, county_staff, "county", YUELU)
    services.seat_end(seat=only, actor=county_staff, ends_on=datetime.date(2022, 1, 1))
    deputy.refresh_from_db()
    assert deputy.home_region_id == YUELU


def test_seat_end_on_future_date_keeps_seat_current(county_staff: Any) -> None:
    deputy = create(county_staff)
    township = seat(deputy, county_staff, "township", YUELU_STREET)
    seat(deputy, county_staff, "county", YUELU)
    services.seat_end(
        seat=township, actor=county_staff, ends_on=TODAY + datetime.timedelta(days=30)
    )
    deputy.refresh_from_db()
    assert deputy.home_region_id == YUELU_STREET


@pytest.mark.parametrize(
    ("level", "congress", "kw", "message"),
    [
        ("township", YUELU, {}, "所属人大应为"),
        ("national", CHANGSHA, {}, "所属人大应为"),
        ("county", YUELU, {"term": 0}, "届次"),
        ("county", YUELU, {"ends_on": datetime.date(2020, 1, 1)}, "结束日期不能早于开始日期"),
    ],
)
def test_seat_add_rejects_bad_input_without_saving(
    county_staff: Any, level: str, congress: str, kw: dict[str, Any], message: str
) -> None:
    deputy = create(county_staff)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match=message):
        seat(deputy, county_staff, level, congress, **kw)
    assert not Seat.objects.filter(deputy=deputy).exists()
    assert AuditEvent.objects.count() == events


def test_seat_add_rejects_duplicate(county_staff: Any) -> None:
    deputy = create(county_staff)
    seat(deputy, county_staff, "county", YUELU)
    with pytest.raises(ValidationError, match="相同级别"):
        seat(deputy, county_staff, "county", YUELU)
    assert Seat.objects.filter(deputy=deputy).count() == 1


def test_national_seat_is_recorded_against_province(county_staff: Any) -> None:
    deputy = create(county_staff)
    added = seat(deputy, county_staff, "national", HUNAN, term=14)
    assert added.congress_id == HUNAN


def test_seat_end_rejects_date_before_start(county_staff: Any) -> None:
    deputy = create(county_staff)
    added = seat(deputy, county_staff, "county", YUELU)
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        services.seat_end(seat=added, actor=county_staff, ends_on=datetime.date(2020, 1, 1))
    added.refresh_from_db()
    assert added.ends_on is None


def assign(deputy: Deputy, station: Any, actor: Any, **kw: Any) -> StationDeputy:
    return services.deputy_assign_station(
        deputy=deputy,
        station=station,
        kind=kw.pop("kind", "resident"),
        rota=kw.pop("rota", ""),
        starts_on=kw.pop("starts_on", datetime.date(2025, 1, 1)),
        actor=actor,
        **kw,
    )


def test_assign_and_end_write_audit_rows(county_staff: Any, station: Any) -> None:
    deputy = create(county_staff)
    assignment = assign(deputy, station, county_staff)
    created = AuditEvent.objects.get(object_type="deputies.stationdeputy", action="create")
    assert created.region_code == station.region_id
    services.assignment_end(assignment=assignment, actor=county_staff, ends_on=TODAY)
    assignment.refresh_from_db()
    assert assignment.ends_on == TODAY
    ended = AuditEvent.objects.get(object_type="deputies.stationdeputy", action="update")
    assert ended.after == {"ends_on": TODAY.isoformat()}


def test_assign_rejects_duplicate_open_assignment(county_staff: Any, station: Any) -> None:
    deputy = create(county_staff)
    assign(deputy, station, county_staff)
    with pytest.raises(ValidationError, match="请勿重复安排"):
        assign(deputy, station, county_staff, kind="rota", rota="每月一次")
    assert StationDeputy.objects.filter(deputy=deputy).count() == 1


def test_assign_again_after_previous_assignment_ended(county_staff: Any, station: Any) -> None:
    deputy = create(county_staff)
    first = assign(deputy, station, county_staff, starts_on=datetime.date(2024, 1, 1))
    services.assignment_end(
        assignment=first, actor=county_staff, ends_on=datetime.date(2024, 6, 30)
    )
    assign(deputy, station, county_staff, starts_on=datetime.date(2025, 1, 1))
    assert StationDeputy.objects.filter(deputy=deputy).count() == 2


def test_assign_rejects_end_before_start(county_staff: Any, station: Any) -> None:
    deputy = create(county_staff)
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        assign(deputy, station, county_staff, ends_on=datetime.date(2024, 1, 1))
    assert not StationDeputy.objects.exists()


def test_assign_rejects_closed_station(county_staff: Any, station: Any) -> None:
    station.status = "closed"
    station.save()
    with pytest.raises(ValidationError, match="已撤销"):
        assign(create(county_staff), station, county_staff)


def test_assignment_end_rejects_already_ended(county_staff: Any, station: Any) -> None:
    assignment = StationDeputyFactory(station=station, ends_on=datetime.date(2024, 6, 1))
    with pytest.raises(ValidationError, match="已结束"):
        services.assignment_end(assignment=assignment, actor=county_staff, ends_on=TODAY)


def test_set_photo_saves_file_and_audits(county_staff: Any) -> None:
    deputy = DeputyFactory()
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(buffer, format="PNG")
    upload = SimpleUploadedFile("face.html", buffer.getvalue(), content_type="text/html")
    services.deputy_set_photo(deputy=deputy, actor=county_staff, photo=upload)
    deputy.refresh_from_db()
    # A random name with the extension of the checked content, never the uploaded name.
    assert re.fullmatch(r"deputies/[0-9a-f]{32}\.png", deputy.photo.name)
    event = AuditEvent.objects.filter(object_id=str(deputy.pk)).latest("id")
    assert event.after == {"photo": deputy.photo.name}


def test_set_photo_refuses_non_image_and_keeps_the_old_photo(county_staff: Any) -> None:
    deputy = DeputyFactory()
    fake = SimpleUploadedFile("face.png", b"<script>alert(1)</script>", content_type="image/png")
    with pytest.raises(ValidationError):
        services.deputy_set_photo(deputy=deputy, actor=county_staff, photo=fake)
    deputy.refresh_from_db()
    assert not deputy.photo


def test_private_reveal_writes_view_private_row(county_staff: Any) -> None:
    deputy = create(county_staff)
    values = services.deputy_private_reveal(deputy=deputy, actor=county_staff)
    assert values["mobile"] == "13912345678"
    event = AuditEvent.objects.get(action=AuditAction.VIEW_PRIVATE)
    assert event.actor == county_staff
    assert event.object_id == str(deputy.pk)
    assert "手机号" in event.note


def test_seat_factory_is_usable(county_staff: Any) -> None:
    assert SeatFactory().congress_id == YUELU
