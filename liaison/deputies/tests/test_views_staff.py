from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from liaison.audit.models import AuditAction, AuditEvent
from liaison.common.fonts import CJKFontMissing
from liaison.deputies.models import Deputy, Seat, StationDeputy
from liaison.deputies.tests.factories import DeputyFactory, SeatFactory, StationDeputyFactory
from liaison.regions.tests.factories import CHANGSHA_COUNTY, YUELU, YUELU_STREET

pytestmark = pytest.mark.django_db

MOBILE = "13812345678"
ID_NUMBER = "11010519491231002X"
ADDRESS = "岳麓区麓山南路88号"


@pytest.fixture
def deputy(station: Any) -> Deputy:
    deputy = DeputyFactory(
        name="钱代表",
        mobile=MOBILE,
        id_number=ID_NUMBER,
        home_address=ADDRESS,
        home_region_id=YUELU,
    )
    SeatFactory(deputy=deputy)
    StationDeputyFactory(deputy=deputy, station=station)
    return deputy


def object_urls(d: Deputy) -> list[tuple[str, str]]:
    seat = d.seats.first()
    assignment = d.assignments.first()
    assert seat is not None
    assert assignment is not None
    base = f"/staff/deputies/{d.pk}"
    return [
        ("get", f"{base}/"),
        ("get", f"{base}/edit/"),
        ("post", f"{base}/private/"),
        ("get", f"{base}/photo/"),
        ("get", f"{base}/seats/new/"),
        ("post", f"{base}/seats/{seat.pk}/end/"),
        ("get", f"{base}/assignments/new/"),
        ("post", f"{base}/assignments/{assignment.pk}/end/"),
        ("get", f"{base}/qr.svg"),
        ("get", f"{base}/poster.pdf"),
        ("get", f"{base}/poster.png"),
    ]


# --- access matrix -------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(deputy: Deputy) -> None:
    for method, url in [("get", "/staff/deputies/"), *object_urls(deputy)]:
        response = getattr(Client(), method)(url)
        assert response.status_code == 302, url
        assert "/staff/login/" in response["Location"]


def test_password_only_session_must_pass_second_factor(county_staff: Any, deputy: Deputy) -> None:
    client = Client()
    client.force_login(county_staff)
    response = client.get("/staff/deputies/")
    assert response.status_code == 302
    assert "otp" in response["Location"]


@pytest.mark.parametrize("persona", ["auditor", "security_admin"])
def test_admin_powers_without_deputy_role_get_403(
    persona: str, request: Any, as_user: Any, deputy: Deputy
) -> None:
    client = as_user(request.getfixturevalue(persona))
    urls = [("get", "/staff/deputies/"), ("get", "/staff/deputies/new/"), *object_urls(deputy)]
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 403, url


def test_other_county_gets_404_on_every_object_page(
    other_county_staff: Any, as_user: Any, deputy: Deputy
) -> None:
    client = as_user(other_county_staff)
    for method, url in object_urls(deputy):
        assert getattr(client, method)(url).status_code == 404, url
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_PRIVATE).exists()


def test_other_county_does_not_see_deputy_in_list(
    other_county_staff: Any, as_user: Any, deputy: Deputy
) -> None:
    theirs = DeputyFactory(name="孙代表", home_region_id=CHANGSHA_COUNTY)
    html = as_user(other_county_staff).get("/staff/deputies/").content.decode()
    assert "孙代表" in html
    assert theirs.code in html
    assert "钱代表" not in html
    assert deputy.code not in html


@pytest.mark.parametrize("persona", ["station_officer", "station_head"])
def test_station_staff_may_view_but_not_manage(
    persona: str, request: Any, as_user: Any, deputy: Deputy
) -> None:
    client = as_user(request.getfixturevalue(persona))
    assert client.get("/staff/deputies/").status_code == 200
    assert client.get(f"/staff/deputies/{deputy.pk}/").status_code == 200
    base = f"/staff/deputies/{deputy.pk}"
    for url in [f"{base}/edit/", f"{base}/photo/", f"{base}/seats/new/", "/staff/deputies/new/"]:
        assert client.get(url).status_code == 403, url
    assert client.post(f"{base}/private/").status_code == 403


def test_station_officer_cannot_assign(station_officer: Any, as_user: Any, deputy: Deputy) -> None:
    response = as_user(station_officer).get(f"/staff/deputies/{deputy.pk}/assignments/new/")
    assert response.status_code == 403


def test_station_head_assigns_and_ends_at_own_station(
    station_head: Any, as_user: Any, station: Any
) -> None:
    deputy = StationDeputyFactory(
        station=station, kind="rota", rota="周三", ends_on=timezone.localdate()
    ).deputy
    client = as_user(station_head)
    response = client.post(
        f"/staff/deputies/{deputy.pk}/assignments/new/",
        {
            "station": station.pk,
            "kind": "resident",
            "starts_on": timezone.localdate() + datetime.timedelta(days=1),
        },
    )
    assert response.status_code == 302, response.content.decode()
    assignment = StationDeputy.objects.get(deputy=deputy, ends_on__isnull=True)
    response = client.post(
        f"/staff/deputies/{deputy.pk}/assignments/{assignment.pk}/end/",
        {"ends_on": (timezone.localdate() + datetime.timedelta(days=5)).isoformat()},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ends_on is not None


def test_station_head_cannot_end_assignment_elsewhere(
    station_head: Any, as_user: Any, station: Any, other_station: Any
) -> None:
    deputy = StationDeputyFactory(station=station).deputy
    elsewhere = StationDeputyFactory(station=other_station, deputy=deputy)
    response = as_user(station_head).post(
        f"/staff/deputies/{deputy.pk}/assignments/{elsewhere.pk}/end/", {"ends_on": "2030-01-01"}
    )
    assert response.status_code == 403
    elsewhere.refresh_from_db()
    assert elsewhere.ends_on is None


# --- list ------------------------------------------------------------------------------------


def test_list_masks_mobile(county_staff: Any, as_user: Any, deputy: Deputy) -> None:
    html = as_user(county_staff).get("/staff/deputies/").content.decode()
    assert "钱代表" in html
    assert "138****5678" in html
    assert MOBILE not in html
    # The row's labels (made once per page in the view).
    assert "<td>女</td>" in html and '<span class="tag">驻站</span>' in html


def test_list_filters_by_name_and_level(county_staff: Any, as_user: Any, deputy: Deputy) -> None:
    SeatFactory(deputy__name="李代表", level="township", congress_id=YUELU_STREET)
    client = as_user(county_staff)
    html = client.get("/staff/deputies/", {"q": "李"}).content.decode()
    assert "李代表" in html
    assert "钱代表" not in html
    html = client.get("/staff/deputies/", {"level": "county"}).content.decode()
    assert "钱代表" in html
    assert "李代表" not in html


def test_list_ignores_invalid_filter_values(
    county_staff: Any, as_user: Any, deputy: Deputy
) -> None:
    response = as_user(county_staff).get("/staff/deputies/", {"region": "nope", "station": "x"})
    assert response.status_code == 200
    assert "钱代表" in response.content.decode()


def test_list_is_paginated(county_staff: Any, as_user: Any) -> None:
    DeputyFactory.create_batch(30, home_region_id=YUELU)
    client = as_user(county_staff)
    first = client.get("/staff/deputies/")
    assert len(first.context["page_obj"].object_list) == 25
    assert "第 1 / 2 页" in first.content.decode()
    assert len(client.get("/staff/deputies/", {"page": 2}).context["page_obj"].object_list) == 5


def make_full_deputies(count: int, station: Any) -> None:
    for _ in range(count):
        deputy = DeputyFactory(home_region_id=YUELU)
        SeatFactory(deputy=deputy)
        SeatFactory(deputy=deputy, level="township", congress_id=YUELU_STREET)
        StationDeputyFactory(deputy=deputy, station=station)


def test_list_query_count_does_not_grow_with_rows(
    county_staff: Any, as_user: Any, station: Any, django_assert_max_num_queries: Any
) -> None:
    client = as_user(county_staff)
    make_full_deputies(2, station)
    with django_assert_max_num_queries(15) as few:
        client.get("/staff/deputies/")
    make_full_deputies(23, station)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/staff/deputies/")
    assert len(response.context["page_obj"].object_list) == 25


# --- detail and private data -----------------------------------------------------------------


def test_detail_masks_private_fields(county_staff: Any, as_user: Any, deputy: Deputy) -> None:
    html = as_user(county_staff).get(f"/staff/deputies/{deputy.pk}/").content.decode()
    assert "138****5678" in html
    assert "1101**********002X" in html
    assert MOBILE not in html
    assert ID_NUMBER not in html
    assert ADDRESS not in html
    assert "显示" in html
    assert f"/staff/deputies/{deputy.pk}/private/" in html
    assert f"/staff/deputies/{deputy.pk}/poster.pdf" in html
    assert f"/staff/deputies/{deputy.pk}/qr.svg" in html
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_PRIVATE).exists()


def test_reveal_shows_private_fields_and_audits(
    county_staff: Any, as_user: Any, deputy: Deputy
) -> None:
    client = as_user(county_staff)
    assert client.get(f"/staff/deputies/{deputy.pk}/private/").status_code == 405
    response = client.post(f"/staff/deputies/{deputy.pk}/private/")
    assert response.status_code == 200
    html = response.content.decode()
    assert MOBILE in html
    assert ID_NUMBER in html
    assert ADDRESS in html
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action=AuditAction.VIEW_PRIVATE)
    assert event.actor == county_staff
    assert event.object_id == str(deputy.pk)
    # The next plain view is masked again.
    assert MOBILE not in client.get(f"/staff/deputies/{deputy.pk}/").content.decode()


def test_station_staff_see_no_reveal_button(
    station_officer: Any, as_user: Any, deputy: Deputy
) -> None:
    html = as_user(station_officer).get(f"/staff/deputies/{deputy.pk}/").content.decode()
    assert "138****5678" in html
    assert f"/staff/deputies/{deputy.pk}/private/" not in html


# --- create and edit -------------------------------------------------------------------------


def create_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "home_region": YUELU,
        "name": "周代表",
        "gender": "male",
        "occupation": "工程师",
        "mobile": "13900001111",
        "id_number": ID_NUMBER,
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_create_deputy(county_staff: Any, as_user: Any) -> None:
    response = as_user(county_staff).post("/staff/deputies/new/", create_data())
    deputy = Deputy.objects.get(name="周代表")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/deputies/{deputy.pk}/"
    assert deputy.mobile == "13900001111"
    assert deputy.home_region_id == YUELU
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(deputy.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"mobile": "12345"}, "请输入有效的11位中国大陆手机号码"),
        ({"id_number": "110105194912310021"}, "身份证号校验位不正确"),
        ({"id_number": "12345"}, "身份证号应为18位"),
        ({"name": ""}, "该字段是必填项"),
        ({"home_region": CHANGSHA_COUNTY}, "选择一个有效的选项"),
    ],
)
def test_create_rejects_bad_input(
    county_staff: Any, as_user: Any, overrides: dict[str, Any], message: str
) -> None:
    response = as_user(county_staff).post("/staff/deputies/new/", create_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Deputy.objects.exists()
    assert not AuditEvent.objects.exists()


def test_edit_keeps_private_fields_left_blank(
    county_staff: Any, as_user: Any, deputy: Deputy
) -> None:
    client = as_user(county_staff)
    form_html = client.get(f"/staff/deputies/{deputy.pk}/edit/").content.decode()
    assert MOBILE not in form_html
    assert ID_NUMBER not in form_html
    response = client.post(
        f"/staff/deputies/{deputy.pk}/edit/",
        {"name": "钱新", "gender": "male", "mobile": "", "id_number": "", "is_active": "on"},
    )
    assert response.status_code == 302
    deputy.refresh_from_db()
    assert deputy.name == "钱新"
    assert deputy.mobile == MOBILE
    assert deputy.id_number == ID_NUMBER


def test_edit_rejects_bad_mobile_without_change(
    county_staff: Any, as_user: Any, deputy: Deputy
) -> None:
    response = as_user(county_staff).post(
        f"/staff/deputies/{deputy.pk}/edit/", {"name": "钱新", "gender": "male", "mobile": "999"}
    )
    assert "请输入有效的11位中国大陆手机号码" in response.content.decode()
    deputy.refresh_from_db()
    assert deputy.name == "钱代表"
    assert deputy.mobile == MOBILE


# --- seats -----------------------------------------------------------------------------------


def test_seat_add_syncs_home_region(county_staff: Any, as_user: Any, deputy: Deputy) -> None:
    response = as_user(county_staff).post(
        f"/staff/deputies/{deputy.pk}/seats/new/",
        {"level": "township", "congress": YUELU_STREET, "term": "5", "starts_on": "2022-01-01"},
    )
    assert response.status_code == 302
    deputy.refresh_from_db()
    assert deputy.home_region_id == YUELU_STREET


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"level": "township", "congress": YUELU}, "所属人大应选择"),
        ({"term": "0"}, "届次应在 1 到 99 之间"),
        ({"ends_on": "2000-01-01"}, "结束日期不能早于开始日期"),
        ({"term": "18"}, "相同级别"),
    ],
)
def test_seat_add_rejects_bad_input(
    county_staff: Any, as_user: Any, deputy: Deputy, data: dict[str, str], message: str
) -> None:
    post = {"level": "county", "congress": YUELU, "term": "19", "starts_on": "2022-01-01", **data}
    response = as_user(county_staff).post(f"/staff/deputies/{deputy.pk}/seats/new/", post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Seat.objects.filter(deputy=deputy).count() == 1


def test_seat_end(county_staff: Any, as_user: Any, deputy: Deputy) -> None:
    seat = deputy.seats.get()
    client = as_user(county_staff)
    response = client.post(
        f"/staff/deputies/{deputy.pk}/seats/{seat.pk}/end/", {"ends_on": "2000-01-01"}
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.ends_on is None
    page = client.get(f"/staff/deputies/{deputy.pk}/").content.decode()
    assert "结束日期不能早于开始日期" in page
    client.post(f"/staff/deputies/{deputy.pk}/seats/{seat.pk}/end/", {"ends_on": "2026-12-01"})
    seat.refresh_from_db()
    assert seat.ends_on == datetime.date(2026, 12, 1)


# --- assignments -----------------------------------------------------------------------------


def test_assignment_duplicate_is_rejected(
    county_staff: Any, as_user: Any, deputy: Deputy, station: Any
) -> None:
    response = as_user(county_staff).post(
        f"/staff/deputies/{deputy.pk}/assignments/new/",
        {"station": station.pk, "kind": "resident", "starts_on": "2025-03-01"},
    )
    assert response.status_code == 200
    assert "请勿重复安排" in response.content.decode()
    assert StationDeputy.objects.filter(deputy=deputy).count() == 1


def test_assignment_to_station_outside_scope_is_rejected(
    county_staff: Any, as_user: Any, deputy: Deputy, other_station: Any
) -> None:
    response = as_user(county_staff).post(
        f"/staff/deputies/{deputy.pk}/assignments/new/",
        {"station": other_station.pk, "kind": "resident", "starts_on": "2025-03-01"},
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not StationDeputy.objects.filter(station=other_station).exists()


# --- photo -----------------------------------------------------------------------------------


def png_upload(name: str = "face.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 30), "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_photo_upload(county_staff: Any, as_user: Any, deputy: Deputy) -> None:
    response = as_user(county_staff).post(
        f"/staff/deputies/{deputy.pk}/photo/", {"photo": png_upload()}
    )
    assert response.status_code == 302
    deputy.refresh_from_db()
    assert deputy.photo.name.startswith("deputies/")
    html = Client().get(f"/d/{deputy.code}/").content.decode()
    # Served by the deputy's public portrait view, never from /media/.
    assert f'src="/d/{deputy.code}/photo/?v=' in html
    assert "/media/" not in html
    staff_html = as_user(county_staff).get(f"/staff/deputies/{deputy.pk}/").content.decode()
    assert f'src="/staff/deputies/{deputy.pk}/portrait/?v=' in staff_html


def test_portrait_views_serve_the_photo_with_sandbox_headers(
    county_staff: Any, other_county_staff: Any, as_user: Any, deputy: Deputy
) -> None:
    as_user(county_staff).post(f"/staff/deputies/{deputy.pk}/photo/", {"photo": png_upload()})
    public = Client().get(f"/d/{deputy.code}/photo/")
    assert public.status_code == 200
    assert public["Content-Type"] == "image/png"
    assert public["X-Content-Type-Options"] == "nosniff"
    assert public["Content-Security-Policy"].startswith("sandbox")
    assert public["Content-Disposition"].startswith("inline")
    assert as_user(county_staff).get(f"/staff/deputies/{deputy.pk}/portrait/").status_code == 200
    other = as_user(other_county_staff).get(f"/staff/deputies/{deputy.pk}/portrait/")
    assert other.status_code == 404


def test_public_portrait_of_deputy_out_of_office_is_404(
    county_staff: Any, as_user: Any, deputy: Deputy
) -> None:
    as_user(county_staff).post(f"/staff/deputies/{deputy.pk}/photo/", {"photo": png_upload()})
    Deputy.objects.filter(pk=deputy.pk).update(is_active=False)
    assert Client().get(f"/d/{deputy.code}/photo/").status_code == 404
    assert as_user(county_staff).get(f"/staff/deputies/{deputy.pk}/portrait/").status_code == 200


def test_photo_upload_rejects_fake_image(county_staff: Any, as_user: Any, deputy: Deputy) -> None:
    fake = SimpleUploadedFile("face.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    response = as_user(county_staff).post(f"/staff/deputies/{deputy.pk}/photo/", {"photo": fake})
    assert response.status_code == 200
    assert "文件不是有效的图片" in response.content.decode()
    deputy.refresh_from_db()
    assert not deputy.photo


def test_photo_upload_rejects_oversized(
    county_staff: Any, as_user: Any, deputy: Deputy, settings: Any
) -> None:
    settings.MAX_PHOTO_BYTES = 20
    response = as_user(county_staff).post(
        f"/staff/deputies/{deputy.pk}/photo/", {"photo": png_upload()}
    )
    assert response.status_code == 200
    assert "图片超过" in response.content.decode()
    deputy.refresh_from_db()
    assert not deputy.photo


# --- QR and posters --------------------------------------------------------------------------


def test_qr_svg(county_staff: Any, as_user: Any, deputy: Deputy) -> None:
    response = as_user(county_staff).get(f"/staff/deputies/{deputy.pk}/qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content
    # A standalone document: browsers only draw an <img> SVG that declares its namespace.
    assert b'xmlns="http://www.w3.org/2000/svg"' in response.content


def test_detail_shows_scan_url(county_staff: Any, as_user: Any, deputy: Deputy) -> None:
    html = as_user(county_staff).get(f"/staff/deputies/{deputy.pk}/").content.decode()
    assert f"http://testserver/q/{deputy.code}" in html


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF"), ("png", b"\x89PNG")])
def test_poster_download(
    county_staff: Any, as_user: Any, deputy: Deputy, fmt: str, magic: bytes
) -> None:
    response = as_user(county_staff).get(f"/staff/deputies/{deputy.pk}/poster.{fmt}")
    if response.status_code == 503:
        pytest.skip("no CJK font installed")
    assert response.status_code == 200
    assert response.content.startswith(magic)
    assert f"deputy-{deputy.code}.{fmt}" in response["Content-Disposition"]


def test_poster_without_cjk_font_explains_with_503(
    county_staff: Any, as_user: Any, deputy: Deputy, monkeypatch: Any
) -> None:
    def missing(**kwargs: Any) -> bytes:
        raise CJKFontMissing("未找到中文字体，无法生成含中文的文档。")

    monkeypatch.setattr("liaison.deputies.posters.poster_pdf", missing)
    response = as_user(county_staff).get(f"/staff/deputies/{deputy.pk}/poster.pdf")
    assert response.status_code == 503
    assert "未找到中文字体" in response.content.decode()


def test_detail_query_count_does_not_grow_with_assignments(
    county_staff: Any,
    as_user: Any,
    deputy: Deputy,
    django_assert_max_num_queries: Any,
) -> None:
    from liaison.stations.tests.factories import StationFactory

    client = as_user(county_staff)
    with django_assert_max_num_queries(20) as few:
        client.get(f"/staff/deputies/{deputy.pk}/")
    for _ in range(5):
        StationDeputyFactory(deputy=deputy, station=StationFactory())
    SeatFactory(deputy=deputy, level="township", congress_id=YUELU_STREET)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/staff/deputies/{deputy.pk}/")
