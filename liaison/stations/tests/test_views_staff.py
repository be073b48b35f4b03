from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from liaison.audit.models import AuditEvent
from liaison.stations.models import (
    Station,
    StationAppearance,
    StationAssessment,
    StationKind,
    StationStatus,
)
from liaison.stations.tests.conftest import FULL_SCORES, fake_jpeg_upload, jpeg_upload, soon
from liaison.stations.tests.factories import StationFactory

pytestmark = pytest.mark.django_db

# Pages about one station, and the lowest role that may open each.
VIEW_PAGES = ["detail", "poster_pdf", "poster_png", "qr_png"]
EDIT_PAGES = ["edit", "status", "move", "appearance_add"]
ASSESS_PAGES = ["assess"]
OBJECT_PAGES = VIEW_PAGES + EDIT_PAGES + ASSESS_PAGES


def url(name: str, station: Any = None) -> str:
    if station is None:
        return reverse(f"stations:{name}")
    return reverse(f"stations:{name}", kwargs={"pk": station.pk})


def get(client: Client, target: str) -> Any:
    return client.get(target)


@pytest.mark.parametrize("page", OBJECT_PAGES)
def test_county_staff_open_every_page(
    as_user: Any, county_staff: Any, market_station: Any, page: str
) -> None:
    assert get(as_user(county_staff), url(page, market_station)).status_code == 200


@pytest.mark.parametrize("page", OBJECT_PAGES)
def test_system_admin_opens_every_page(
    as_user: Any, system_admin: Any, market_station: Any, page: str
) -> None:
    assert get(as_user(system_admin), url(page, market_station)).status_code == 200


@pytest.mark.parametrize("page", OBJECT_PAGES)
def test_other_county_staff_get_404(
    as_user: Any, other_county_staff: Any, station: Any, page: str
) -> None:
    assert get(as_user(other_county_staff), url(page, station)).status_code == 404


@pytest.mark.parametrize("page", [*OBJECT_PAGES, "list", "create"])
@pytest.mark.parametrize("persona", ["auditor", "security_admin"])
def test_auditor_and_security_admin_get_403(
    request: Any, as_user: Any, station: Any, page: str, persona: str
) -> None:
    user = request.getfixturevalue(persona)
    target = url(page) if page in {"list", "create"} else url(page, station)
    assert get(as_user(user), target).status_code == 403


@pytest.mark.parametrize("page", OBJECT_PAGES)
def test_station_officer_views_but_cannot_edit(
    as_user: Any, station_officer: Any, market_station: Any, page: str
) -> None:
    expected = 200 if page in VIEW_PAGES else 403
    assert get(as_user(station_officer), url(page, market_station)).status_code == expected


@pytest.mark.parametrize("page", OBJECT_PAGES)
def test_station_head_edits_but_cannot_assess(
    as_user: Any, station_head: Any, market_station: Any, page: str
) -> None:
    expected = 403 if page in ASSESS_PAGES else 200
    assert get(as_user(station_head), url(page, market_station)).status_code == expected


@pytest.mark.parametrize("page", OBJECT_PAGES)
def test_station_staff_get_404_for_sibling_station(
    as_user: Any, station_head: Any, sibling_station: Any, page: str
) -> None:
    assert get(as_user(station_head), url(page, sibling_station)).status_code == 404


def test_liaison_officer_cannot_create(as_user: Any, station_officer: Any) -> None:
    assert get(as_user(station_officer), url("create")).status_code == 403


def test_anonymous_is_sent_to_login(station: Any) -> None:
    response = Client().get(url("detail", station))
    assert response.status_code == 302


def test_password_only_session_must_pass_second_factor(county_staff: Any, station: Any) -> None:
    client = Client()
    client.force_login(county_staff)
    response = client.get(url("detail", station))
    assert response.status_code == 302
    assert "otp" in response["Location"]


# --- list -----------------------------------------------------------------------------------


def test_list_shows_scope_only(
    as_user: Any, county_staff: Any, station: Any, other_station: Any
) -> None:
    content = as_user(county_staff).get(url("list")).content.decode()
    assert station.name in content
    assert other_station.name not in content


def test_list_filters(as_user: Any, county_staff: Any, station: Any, sibling_station: Any) -> None:
    sibling_station.status = StationStatus.SUSPENDED
    sibling_station.save()
    client = as_user(county_staff)
    content = client.get(url("list"), {"status": "suspended"}).content.decode()
    assert sibling_station.name in content
    assert station.name not in content
    content = client.get(url("list"), {"region": "430104002000"}).content.decode()
    assert station.name in content
    assert sibling_station.name not in content
    content = client.get(url("list"), {"q": "望月湖"}).content.decode()
    assert sibling_station.name in content
    assert station.name not in content
    content = client.get(url("list"), {"result": "none", "kind": "fixed"}).content.decode()
    assert station.name in content
    content = client.get(url("list"), {"region": "999999"}).content.decode()
    assert "未找到该区划代码" in content


def test_list_labels_rows_and_marks_the_chosen_region(
    as_user: Any, county_staff: Any, station: Any, sibling_station: Any
) -> None:
    sibling_station.status = StationStatus.SUSPENDED
    sibling_station.save()
    content = as_user(county_staff).get(url("list"), {"region": "430104002000"}).content.decode()
    assert '<option value="430104002000" selected>岳麓街道（乡级）</option>' in content
    assert '<option value="430104000000">岳麓区（县级）</option>' in content
    assert "<td>固定站点</td>" in content and ">运行中</span>" in content
    content = as_user(county_staff).get(url("list")).content.decode()
    assert ">暂停</span>" in content and '0" selected>' not in content  # no region chosen


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_does_not_grow(
    as_user: Any, county_staff: Any, station: Any, count: int, django_assert_max_num_queries: Any
) -> None:
    for _ in range(count):
        StationFactory(parent=station, region_id="430104002000")
    client = as_user(county_staff)
    client.get(url("list"))  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(url("list"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 12])
def test_detail_query_count_does_not_grow(
    as_user: Any, county_staff: Any, station: Any, count: int, django_assert_max_num_queries: Any
) -> None:
    from liaison.deputies.tests.factories import SeatFactory, StationDeputyFactory

    for _ in range(count):
        StationFactory(parent=station, region_id="430104002000")
        StationDeputyFactory(station=station, deputy=SeatFactory().deputy)
    client = as_user(county_staff)
    client.get(url("list"))
    with django_assert_max_num_queries(16):
        assert client.get(url("detail", station)).status_code == 200


# --- create / edit / status / move ----------------------------------------------------------


def station_form(**kw: Any) -> dict[str, Any]:
    data = {
        "name": "咸嘉湖街道人大代表联络站",
        "kind": "fixed",
        "region": "430104008000",
        "address": "咸嘉湖路 1 号",
        "latitude": "28.20",
        "longitude": "112.90",
        "opening_hours": "工作日 9:00-17:00",
        "contact_phone": "0731-88880000",
    }
    data.update(kw)
    return data


def test_create_station(as_user: Any, county_staff: Any) -> None:
    response = as_user(county_staff).post(url("create"), station_form())
    station = Station.objects.get(name="咸嘉湖街道人大代表联络站")
    assert response.status_code == 302
    assert response["Location"] == url("detail", station)
    assert AuditEvent.objects.filter(object_type="stations.station", action="create").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"latitude": "128.2", "longitude": "112.9"}, "纬度应在 -90 到 90 之间"),
        ({"latitude": "112.9", "longitude": "28.2"}, "经纬度似乎填反了"),
        ({"latitude": "abc"}, "纬度应为数字"),
        ({"longitude": ""}, "经度和纬度需同时填写或同时留空"),
        ({"region": "4399"}, "未找到该区划代码"),
        ({"region": "12ab"}, "区划代码应为 12 位数字"),
        ({"region": "430121001000"}, "您无权在该区划或该上级站点下设立站点"),
        ({"kind": "thematic"}, "专题站点须填写专题"),
    ],
)
def test_create_refuses_bad_input_with_message(
    as_user: Any, county_staff: Any, changes: dict[str, str], message: str
) -> None:
    response = as_user(county_staff).post(url("create"), station_form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Station.objects.filter(name="咸嘉湖街道人大代表联络站").exists()


def test_create_under_parent_from_detail_link(
    as_user: Any, station_head: Any, station: Any
) -> None:
    client = as_user(station_head)
    assert client.get(url("create") + f"?parent={station.pk}").status_code == 200
    client.post(url("create"), station_form(region="430104002000", parent=station.pk))
    assert Station.objects.get(name="咸嘉湖街道人大代表联络站").parent == station


def test_edit_station(as_user: Any, county_staff: Any, station: Any) -> None:
    data = station_form(name="岳麓街道代表之家", region=station.region_id)
    response = as_user(county_staff).post(url("edit", station), data)
    assert response.status_code == 302
    station.refresh_from_db()
    assert station.name == "岳麓街道代表之家"


def test_status_change(as_user: Any, county_staff: Any, station: Any) -> None:
    client = as_user(county_staff)
    response = client.post(url("status", station), {"status": "suspended", "reason": ""})
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    client.post(url("status", station), {"status": "suspended", "reason": "换届"})
    station.refresh_from_db()
    assert station.status == StationStatus.SUSPENDED


def test_move_into_own_child_shows_message(
    as_user: Any, county_staff: Any, station: Any, child_station: Any
) -> None:
    response = as_user(county_staff).post(url("move", station), {"parent": child_station.pk})
    assert response.status_code == 200
    station.refresh_from_db()
    assert station.parent is None


def test_move_station(
    as_user: Any, county_staff: Any, child_station: Any, sibling_station: Any
) -> None:
    response = as_user(county_staff).post(url("move", child_station), {"parent": ""})
    assert response.status_code == 302
    child_station.refresh_from_db()
    assert child_station.path == f"/{child_station.code}/"


# --- appearances ----------------------------------------------------------------------------


def appearance_form(**kw: Any) -> dict[str, str]:
    local = timezone.localtime
    data = {
        "starts_at": local(soon(24)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": local(soon(27)).strftime("%Y-%m-%dT%H:%M"),
        "place": "农贸市场门口",
    }
    data.update(kw)
    return data


def test_add_and_cancel_appearance(as_user: Any, station_head: Any, market_station: Any) -> None:
    client = as_user(station_head)
    response = client.post(url("appearance_add", market_station), appearance_form())
    assert response.status_code == 302
    appearance = StationAppearance.objects.get()
    detail = client.get(url("detail", market_station)).content.decode()
    assert "农贸市场门口" in detail
    cancel = reverse(
        "stations:appearance_cancel",
        kwargs={"pk": market_station.pk, "appearance_pk": appearance.pk},
    )
    assert client.post(cancel).status_code == 302
    assert not StationAppearance.objects.exists()


def test_appearance_ending_before_start_shows_message(
    as_user: Any, county_staff: Any, market_station: Any
) -> None:
    data = appearance_form(ends_at=timezone.localtime(soon(20)).strftime("%Y-%m-%dT%H:%M"))
    response = as_user(county_staff).post(url("appearance_add", market_station), data)
    assert "结束时间须晚于开始时间" in response.content.decode()
    assert not StationAppearance.objects.exists()


def test_appearance_on_fixed_station_shows_message(
    as_user: Any, county_staff: Any, station: Any
) -> None:
    response = as_user(county_staff).post(url("appearance_add", station), appearance_form())
    assert "只有流动站点和集市站点可以安排出摊" in response.content.decode()


def test_cancel_requires_post(as_user: Any, county_staff: Any, market_station: Any) -> None:
    appearance = StationAppearance.objects.create(
        station=market_station, starts_at=soon(1), ends_at=soon(2), place="x"
    )
    cancel = reverse(
        "stations:appearance_cancel",
        kwargs={"pk": market_station.pk, "appearance_pk": appearance.pk},
    )
    assert as_user(county_staff).get(cancel).status_code == 405


# --- assessment -----------------------------------------------------------------------------


def assessment_form(**kw: Any) -> dict[str, Any]:
    data: dict[str, Any] = {f"score_{k}": v for k, v in FULL_SCORES.items()}
    data["assessed_on"] = timezone.localdate().isoformat()
    data["note"] = "整体达标"
    data.update(kw)
    return data


def test_assess_with_photo(as_user: Any, county_staff: Any, station: Any) -> None:
    client = as_user(county_staff)
    page = client.get(url("assess", station)).content.decode()
    for name in ["场所", "牌子", "制度", "人员", "经费", "活动", "台账"]:
        assert name in page
    response = client.post(url("assess", station), assessment_form(photos=[jpeg_upload()]))
    assert response.status_code == 302
    assessment = StationAssessment.objects.get()
    assert assessment.photos.count() == 1
    station.refresh_from_db()
    assert station.assessment_result == "excellent"
    assert "示范" in client.get(url("detail", station)).content.decode()


def test_assessment_photo_is_served_to_the_station_viewers_only(
    as_user: Any, county_staff: Any, other_county_staff: Any, station: Any
) -> None:
    client = as_user(county_staff)
    client.post(url("assess", station), assessment_form(photos=[jpeg_upload()]))
    photo = StationAssessment.objects.get().photos.get()
    photo_url = reverse("stations:assessment_photo", args=[station.pk, photo.pk])
    assert photo_url in client.get(url("detail", station)).content.decode()
    response = client.get(photo_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert as_user(other_county_staff).get(photo_url).status_code == 404
    assert Client().get(photo_url).status_code == 302


def test_assess_refuses_disguised_image(as_user: Any, county_staff: Any, station: Any) -> None:
    data = assessment_form(photos=[fake_jpeg_upload("evidence.jpg")])
    response = as_user(county_staff).post(url("assess", station), data)
    assert response.status_code == 200
    assert "evidence.jpg：文件不是有效的图片" in response.content.decode()
    assert not StationAssessment.objects.exists()


def test_assess_refuses_oversized_image(
    as_user: Any, county_staff: Any, station: Any, settings: Any
) -> None:
    settings.MAX_PHOTO_BYTES = 100
    response = as_user(county_staff).post(
        url("assess", station), assessment_form(photos=[jpeg_upload("big.jpg")])
    )
    assert "big.jpg：图片超过 1 KB" in response.content.decode()
    assert not StationAssessment.objects.exists()


def test_assess_refuses_score_over_maximum(as_user: Any, county_staff: Any, station: Any) -> None:
    response = as_user(county_staff).post(url("assess", station), assessment_form(score_sign="12"))
    assert "得分不能超过 10" in response.content.decode()
    assert not StationAssessment.objects.exists()


def test_detail_shows_qr_and_poster_links(as_user: Any, county_staff: Any, station: Any) -> None:
    content = as_user(county_staff).get(url("detail", station)).content.decode()
    assert "<svg" in content
    assert f"http://testserver/q/{station.code}" in content
    assert url("poster_pdf", station) in content
    assert url("poster_png", station) in content


def test_detail_of_station_kinds(as_user: Any, county_staff: Any) -> None:
    online = StationFactory(kind=StationKind.ONLINE)
    assert as_user(county_staff).get(url("detail", online)).status_code == 200
