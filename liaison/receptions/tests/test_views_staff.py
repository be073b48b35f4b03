"""Every staff page of reception days × every persona (in scope and in another county)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.cases.models import Case, Channel
from liaison.receptions.models import (
    DayStatus,
    DutyStatus,
    Reception,
    ReceptionDay,
    ReceptionSchedule,
    SwapRequest,
)
from liaison.receptions.tests.factories import ReceptionDutyFactory
from liaison.stations.tests.conftest import fake_jpeg_upload, jpeg_upload

pytestmark = pytest.mark.django_db

STAFF = ["county_staff", "station_officer", "station_head"]
NOT_STAFF = ["deputy_user", "system_admin", "security_admin", "auditor"]

LIST_PAGES = [
    "receptions:schedules",
    "receptions:schedule_create",
    "receptions:day_create",
    "receptions:attendance",
    "receptions:register",
    "workbench:calendar",
]


@pytest.mark.parametrize("page", LIST_PAGES)
@pytest.mark.parametrize("persona", [*STAFF, "other_county_staff"])
def test_staff_open_the_list_pages(
    request: Any, as_user: Any, future_day: Any, page: str, persona: str
) -> None:
    user = request.getfixturevalue(persona)
    response = as_user(user).get(reverse(page))
    assert response.status_code == 200


@pytest.mark.parametrize("page", LIST_PAGES)
@pytest.mark.parametrize("persona", NOT_STAFF)
def test_others_are_refused_the_list_pages(
    request: Any, as_user: Any, page: str, persona: str
) -> None:
    user = request.getfixturevalue(persona)
    assert as_user(user).get(reverse(page)).status_code == 403


def test_anonymous_goes_to_login(client: Any) -> None:
    response = client.get(reverse("workbench:calendar"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("county_staff", 200),
        ("station_officer", 200),
        ("station_head", 200),
        ("other_county_staff", 404),
        ("deputy_user", 403),
        ("system_admin", 403),
        ("security_admin", 403),
        ("auditor", 403),
    ],
)
def test_day_page(request: Any, as_user: Any, future_day: Any, persona: str, status: int) -> None:
    user = request.getfixturevalue(persona)
    response = as_user(user).get(reverse("receptions:day", kwargs={"pk": future_day.pk}))
    assert response.status_code == status
    if status == 200:
        assert "张代表" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("county_staff", 200),
        ("station_officer", 200),
        ("deputy_user", 200),  # on duty that day
        ("other_county_staff", 404),
        ("system_admin", 404),
        ("auditor", 404),
    ],
)
def test_record_page(request: Any, as_user: Any, held_day: Any, persona: str, status: int) -> None:
    user = request.getfixturevalue(persona)
    response = as_user(user).get(reverse("receptions:record", kwargs={"pk": held_day.pk}))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("deputy_user", 200), ("county_staff", 403), ("station_officer", 403), ("auditor", 403)],
)
def test_my_duties_page(
    request: Any, as_user: Any, future_day: Any, persona: str, status: int
) -> None:
    user = request.getfixturevalue(persona)
    response = as_user(user).get(reverse("workbench:duties"))
    assert response.status_code == status
    if status == 200:
        assert future_day.station.name in response.content.decode()


def test_schedule_form_creates_days(as_user: Any, station_officer: Any, station: Any) -> None:
    start = datetime.date.today() + datetime.timedelta(days=1)
    response = as_user(station_officer).post(
        reverse("receptions:schedule_create"),
        {
            "station": station.pk,
            "title": "每周三接待日",
            "frequency": "weekly",
            "weekday": "2",
            "months": "all",
            "starts_on": start.isoformat(),
            "start_time": "09:00",
            "end_time": "11:30",
            "place": "一楼接待室",
        },
    )
    assert response.status_code == 302
    assert ReceptionSchedule.objects.get().days.count() >= 50


def test_schedule_form_errors_in_chinese(as_user: Any, station_officer: Any, station: Any) -> None:
    response = as_user(station_officer).post(
        reverse("receptions:schedule_create"),
        {
            "station": station.pk,
            "title": "x",
            "frequency": "weekly",
            "weekday": "2",
            "months": "all",
            "starts_on": "2030-01-01",
            "start_time": "11:00",
            "end_time": "09:00",
            "place": "一楼",
        },
    )
    assert response.status_code == 200
    assert "结束时间须晚于开始时间" in response.content.decode()
    assert not ReceptionSchedule.objects.exists()


def test_other_county_station_cannot_be_chosen(
    as_user: Any, station_officer: Any, other_station: Any
) -> None:
    response = as_user(station_officer).post(
        reverse("receptions:day_create"),
        {
            "station": other_station.pk,
            "date": "2030-01-02",
            "start_time": "09:00",
            "end_time": "10:00",
            "place": "x",
        },
    )
    assert response.status_code == 200  # not a choice of the form
    assert not ReceptionDay.objects.exists()


def test_one_off_day_form(as_user: Any, station_officer: Any, station: Any) -> None:
    response = as_user(station_officer).post(
        reverse("receptions:day_create"),
        {
            "station": station.pk,
            "date": "2030-01-02",
            "start_time": "09:00",
            "end_time": "10:00",
            "place": "社区",
        },
    )
    day = ReceptionDay.objects.get()
    assert response["Location"] == reverse("receptions:day", kwargs={"pk": day.pk})


def test_rota_add_remove_confirm_and_cancel(
    as_user: Any, station_officer: Any, future_day: Any, colleague: Any
) -> None:
    client = as_user(station_officer)
    day_url = reverse("receptions:day", kwargs={"pk": future_day.pk})
    client.post(
        reverse("receptions:rota_add", kwargs={"pk": future_day.pk}), {"deputy": colleague.pk}
    )
    duty = future_day.duties.get(deputy=colleague)
    response = client.post(
        reverse("receptions:rota_add", kwargs={"pk": future_day.pk}), {"deputy": colleague.pk}
    )
    assert response["Location"] == day_url
    assert "已在本接待日值班" in client.get(day_url).content.decode()
    client.post(reverse("receptions:rota_add", kwargs={"pk": future_day.pk}), {"deputy": "x"})
    client.post(reverse("receptions:rota_remove", kwargs={"pk": future_day.pk, "duty_pk": duty.pk}))
    duty.refresh_from_db()
    assert duty.status == DutyStatus.RELEASED
    confirm = reverse(
        "receptions:duty_confirm_for", kwargs={"pk": future_day.pk, "duty_pk": duty.pk}
    )
    client.post(confirm)
    client.post(reverse("receptions:day_cancel", kwargs={"pk": future_day.pk}), {"reason": "暴雨"})
    future_day.refresh_from_db()
    assert future_day.status == DayStatus.CANCELLED


def test_staff_confirm_a_held_day(
    as_user: Any, station_officer: Any, held_day: Any, colleague: Any
) -> None:
    duty = held_day.duties.get(deputy=colleague)
    as_user(station_officer).post(
        reverse("receptions:duty_confirm_for", kwargs={"pk": held_day.pk, "duty_pk": duty.pk})
    )
    duty.refresh_from_db()
    assert duty.present is True and duty.confirmed_by == station_officer


def test_record_form_saves_two_items_as_cases(
    as_user: Any, station_officer: Any, held_day: Any, deputy: Any
) -> None:
    client = as_user(station_officer)
    url = reverse("receptions:record", kwargs={"pk": held_day.pk})
    response = client.post(
        url,
        {
            "rows": "5",
            "visitor_count": "8",
            "minutes": "纪要",
            "present": [str(deputy.pk)],
            "item-0-title": "路灯不亮",
            "item-0-content": "三栋前路灯坏了",
            "item-0-kind": "complaint",
            "item-0-deputy": str(deputy.pk),
            "item-1-title": "增设公交站",
            "item-1-content": "桃花岭路口",
            "item-1-kind": "suggestion",
            "item-1-anonymous": "on",
            "photos": [jpeg_upload()],
        },
    )
    assert response.status_code == 302
    assert Case.objects.filter(channel=Channel.RECEPTION).count() == 2
    page = client.get(reverse("receptions:day", kwargs={"pk": held_day.pk})).content.decode()
    assert "路灯不亮" in page and "增设公交站" in page
    photo = Reception.objects.get().photos.get()
    photo_url = reverse("receptions:photo", kwargs={"pk": held_day.pk, "photo_pk": photo.pk})
    served = client.get(photo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"


def test_record_form_bad_photo_and_count(as_user: Any, station_officer: Any, held_day: Any) -> None:
    client = as_user(station_officer)
    url = reverse("receptions:record", kwargs={"pk": held_day.pk})
    response = client.post(url, {"rows": "5", "visitor_count": "3", "photos": [fake_jpeg_upload()]})
    assert "不是有效的图片" in response.content.decode()
    response = client.post(url, {"rows": "5", "visitor_count": "-4"})
    assert response.status_code == 200
    assert not Reception.objects.exists()


def test_record_form_keeps_what_was_typed_on_error_and_on_more_rows(
    as_user: Any, station_officer: Any, held_day: Any, deputy: Any
) -> None:
    client = as_user(station_officer)
    url = reverse("receptions:record", kwargs={"pk": held_day.pk})
    typed = {
        "rows": "5", "visitor_count": "-4", "minutes": "纪要草稿", "present": [str(deputy.pk)],
        "item-3-title": "路灯不亮", "item-3-content": "三栋前路灯坏了", "item-3-kind": "complaint",
        "item-3-deputy": str(deputy.pk), "item-3-contact_phone": "13800001111",
        "item-3-anonymous": "on",
    }  # fmt: skip
    for extra, rows in (({}, 5), ({"more": "1"}, 10)):
        page = client.post(url, {**typed, **extra}).content.decode()
        assert not Reception.objects.exists()  # neither saves anything
        assert 'value="路灯不亮"' in page and ">三栋前路灯坏了</textarea>" in page
        assert '<option value="complaint" selected>' in page
        assert f'<option value="{deputy.pk}" selected>' in page
        assert 'value="13800001111"' in page and 'name="item-3-anonymous" checked' in page
        assert f'name="present" value="{deputy.pk}" checked' in page
        assert page.count('class="item-row"') == rows and f'name="rows" value="{rows}"' in page
    assert "纪要草稿" in page
    assert "可见" not in page and "请填写" not in page  # "more rows" shows no errors
    full = client.post(url, {**typed, "rows": "20", "more": "1"}).content.decode()
    assert full.count('class="item-row"') == 20 and 'name="more"' not in full


def test_a_recorded_day_shows_its_record_instead_of_a_blank_form(
    as_user: Any, station_officer: Any, held_day: Any, deputy: Any
) -> None:
    client = as_user(station_officer)
    url = reverse("receptions:record", kwargs={"pk": held_day.pk})
    client.post(url, {"rows": "5", "visitor_count": "3", "present": [str(deputy.pk)],
                      "item-0-title": "路灯", "item-0-content": "坏了"})  # fmt: skip
    assert Reception.objects.filter(day=held_day).exists()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("receptions:day", kwargs={"pk": held_day.pk})
    assert "该接待日已有接待记录" in client.get(response["Location"]).content.decode()


def test_record_photo_out_of_scope(
    as_user: Any, station_officer: Any, other_county_staff: Any, held_day: Any
) -> None:
    from liaison.receptions.services.records import reception_record

    record = reception_record(
        day=held_day, actor=station_officer, visitor_count=1, photos=[jpeg_upload()]
    )
    photo = record.photos.get()
    url = reverse("receptions:photo", kwargs={"pk": held_day.pk, "photo_pk": photo.pk})
    assert as_user(other_county_staff).get(url).status_code == 404


def test_deputy_confirms_and_asks_for_a_swap(
    as_user: Any, deputy_user: Any, future_day: Any, held_day: Any, deputy: Any, colleague: Any
) -> None:
    client = as_user(deputy_user)
    duty = held_day.duties.get(deputy=deputy)
    response = client.post(reverse("receptions:duty_confirm", kwargs={"pk": duty.pk}))
    assert response["Location"] == reverse("workbench:duties")
    duty.refresh_from_db()
    assert duty.present is True
    future_duty = future_day.duties.get()
    swap_url = reverse("receptions:swap_request", kwargs={"pk": future_duty.pk})
    assert colleague.name in client.get(swap_url).content.decode()
    client.post(swap_url, {"kind": "swap", "replacement": colleague.pk, "reason": "出差"})
    swap = SwapRequest.objects.get()
    assert swap.replacement == colleague
    page = client.get(reverse("workbench:duties")).content.decode()
    assert "调班申请待审批" in page
    client.post(reverse("receptions:swap_withdraw", kwargs={"pk": swap.pk}))
    swap.refresh_from_db()
    assert swap.status == "withdrawn"


def test_swap_form_error_and_other_deputys_duty(
    as_user: Any, deputy_user: Any, future_day: Any, colleague: Any
) -> None:
    client = as_user(deputy_user)
    duty = future_day.duties.get()
    response = client.post(
        reverse("receptions:swap_request", kwargs={"pk": duty.pk}), {"kind": "swap", "reason": "x"}
    )
    assert "请选择替班代表" in response.content.decode()
    other = ReceptionDutyFactory(day=future_day, deputy=colleague)
    assert (
        client.get(reverse("receptions:swap_request", kwargs={"pk": other.pk})).status_code == 404
    )


def test_staff_decide_a_swap_from_the_day_page(
    as_user: Any, deputy_user: Any, station_head: Any, future_day: Any
) -> None:
    as_user(deputy_user).post(
        reverse("receptions:swap_request", kwargs={"pk": future_day.duties.get().pk}),
        {"kind": "give_up", "reason": "住院"},
    )
    swap = SwapRequest.objects.get()
    client = as_user(station_head)
    assert (
        "住院"
        in client.get(reverse("receptions:day", kwargs={"pk": future_day.pk})).content.decode()
    )
    client.post(
        reverse("receptions:swap_decide", kwargs={"pk": future_day.pk, "swap_pk": swap.pk}),
        {"decision": "approve", "version": "1"},
    )
    swap.refresh_from_db()
    assert swap.status == "approved"


def test_schedule_stop_from_the_list(as_user: Any, station_officer: Any, station: Any) -> None:
    from liaison.receptions.services.schedules import ScheduleInput, schedule_create

    schedule = schedule_create(
        station=station,
        actor=station_officer,
        data=ScheduleInput(
            title="周五",
            frequency="weekly",
            weekday=4,
            starts_on=datetime.date.today() + datetime.timedelta(days=1),
            start_time=datetime.time(9),
            end_time=datetime.time(10),
            place="x",
        ),
    )
    client = as_user(station_officer)
    client.post(reverse("receptions:schedule_stop", kwargs={"pk": schedule.pk}))
    schedule.refresh_from_db()
    assert not schedule.is_active
    assert "已停用" in client.get(reverse("receptions:schedules")).content.decode()


def test_calendar_month_and_list_and_filters(
    as_user: Any, county_staff: Any, future_day: Any, django_assert_max_num_queries: Any
) -> None:
    client = as_user(county_staff)
    month = future_day.date.strftime("%Y-%m")
    url = reverse("workbench:calendar")
    with django_assert_max_num_queries(14):
        page = client.get(url, {"month": month}).content.decode()
    assert future_day.station.name in page and "张代表" in page
    listed = client.get(url, {"month": month, "view": "list", "station": future_day.station_id})
    assert "张代表" in listed.content.decode()
    empty = client.get(url, {"month": month, "view": "list", "status": "held"})
    assert "没有符合条件" in empty.content.decode()
    assert client.get(url, {"month": "13-2025"}).status_code == 200


def test_calendar_list_queries_do_not_grow(
    as_user: Any, county_staff: Any, station: Any, deputy: Any, django_assert_max_num_queries: Any
) -> None:
    from liaison.receptions.tests.fixtures import day_at

    base = datetime.date.today().replace(day=1) + datetime.timedelta(days=40)
    base = base.replace(day=1)
    for offset in range(20):
        day = day_at(station, base + datetime.timedelta(days=offset))
        ReceptionDutyFactory(day=day, deputy=deputy)
    client = as_user(county_staff)
    with django_assert_max_num_queries(14):
        response = client.get(
            reverse("workbench:calendar"), {"month": base.strftime("%Y-%m"), "view": "list"}
        )
    assert response.content.decode().count("张代表") >= 20


@pytest.mark.parametrize("days", [1, 8])
def test_my_duties_within_query_budget(
    as_user: Any,
    deputy_user: Any,
    station: Any,
    days: int,
    django_assert_max_num_queries: Any,
) -> None:
    from liaison.receptions.tests.fixtures import day_at

    deputy = deputy_user.deputy
    for offset in range(days):
        day = day_at(station, datetime.date.today() + datetime.timedelta(days=offset + 1))
        ReceptionDutyFactory(day=day, deputy=deputy)
    client = as_user(deputy_user)
    # 4 of them belong to any logged-in page (session, user, second factor, memberships; the
    # session row is written at most once a minute) and up to 3 to a session write in a test's
    # savepoint; the page's own: 7 for reception days, pop-ups and cases, 1 for activities.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("workbench:duties"))
    assert response.status_code == 200


def test_tampered_numbers_are_no_500(
    as_user: Any, station_officer: Any, county_staff: Any, held_day: Any
) -> None:
    client = as_user(station_officer)
    url = reverse("receptions:record", kwargs={"pk": held_day.pk})
    assert client.post(url, {"rows": "x", "visitor_count": "1"}).status_code == 302
    register = as_user(county_staff).post(
        reverse("receptions:register"), {"year": "二〇二五", "region": "430104"}
    )
    assert register.status_code == 302  # back to the form with the message


def test_schedules_page_lists_stations_below_the_monthly_minimum(
    as_user: Any,
    county_staff: Any,
    station: Any,
    other_station: Any,
    yuelu: Any,
    django_assert_max_num_queries: Any,
) -> None:
    from liaison.jurisdiction.models import JurisdictionSetting
    from liaison.receptions.tests.fixtures import day_at
    from liaison.stations.tests.factories import StationFactory

    quiet = StationFactory(name="梅溪湖街道人大代表联络站", region_id="430104010000")
    today = timezone.localdate()
    day_at(station, today.replace(day=28) if today.day < 28 else today)
    client = as_user(county_staff)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("receptions:schedules")).content.decode()
    section = page.split("below-minimum")[1].split("</section>")[0]
    assert quiet.name in section and station.name not in section
    assert other_station.name not in section  # another county
    JurisdictionSetting.objects.create(region=yuelu, key="reception_days_per_month", value=2)
    section = client.get(reverse("receptions:schedules")).content.decode().split("below-minimum")[1]
    assert station.name in section.split("</section>")[0]
