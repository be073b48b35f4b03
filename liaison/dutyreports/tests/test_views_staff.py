"""Who may open which duty report page (the two-county, every-role permission matrix), the forms,
the sign-in sheet, the term rule's list and its export, and query counts that do not grow."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.cases.tests.public_helpers import png_upload
from liaison.deputies.tests.factories import DeputyFactory, SeatFactory, StationDeputyFactory
from liaison.dutyreports.models import DutyReport, DutyReportEvent, EventKind, Status
from liaison.dutyreports.services import duty_report_hold, duty_report_schedule
from liaison.dutyreports.tests.factories import invitees, report_in

pytestmark = pytest.mark.django_db

OBJECT_PAGES = ["detail", "sheet", "photo"]
LIST_PAGES = ["list", "not_reported", "not_reported_xlsx"]


@pytest.fixture
def report(station_officer: Any, deputy: Any, station: Any) -> DutyReport:
    scheduled = report_in(Status.SCHEDULED, actor=station_officer, deputy=deputy, station=station)
    return duty_report_hold(
        report=scheduled,
        actor=station_officer,
        expected_version=None,
        text="述职报告全文",
        attendance=30,
        photos=[png_upload()],
    )


def url(page: str, report: DutyReport) -> str:
    if page == "photo":
        return reverse("dutyreports:photo", args=[report.pk, report.photos.get().pk])
    if page in OBJECT_PAGES:
        return reverse(f"dutyreports:{page}", args=[report.pk])
    if page == "not_reported_xlsx":
        return reverse("dutyreports:not_reported") + "?format=xlsx"
    return reverse(f"dutyreports:{page}")


@pytest.mark.parametrize("page", [*OBJECT_PAGES, *LIST_PAGES, "create"])
@pytest.mark.parametrize("persona", ["county_staff", "station_officer", "station_head"])
def test_staff_of_the_station_open_every_page(
    request: Any, as_user: Any, report: Any, page: str, persona: str
) -> None:
    user = request.getfixturevalue(persona)
    assert as_user(user).get(url(page, report)).status_code == 200


@pytest.mark.parametrize("page", OBJECT_PAGES)
def test_other_county_staff_get_404(
    as_user: Any, other_county_staff: Any, report: Any, page: str
) -> None:
    assert as_user(other_county_staff).get(url(page, report)).status_code == 404


@pytest.mark.parametrize("page", OBJECT_PAGES)
def test_other_station_head_gets_404(
    as_user: Any, report: Any, other_station: Any, page: str
) -> None:
    head = make_member(Role.STATION_HEAD, station=other_station, username="other_head")
    assert as_user(head).get(url(page, report)).status_code == 404


@pytest.mark.parametrize("page", [*OBJECT_PAGES, "create", "mine"])
def test_the_reporting_deputy_opens_their_pages(
    as_user: Any, deputy_user: Any, report: Any, page: str
) -> None:
    assert as_user(deputy_user).get(url(page, report)).status_code == 200


@pytest.mark.parametrize("page", LIST_PAGES)
def test_deputies_do_not_get_the_staff_lists(
    as_user: Any, deputy_user: Any, report: Any, page: str
) -> None:
    assert as_user(deputy_user).get(url(page, report)).status_code == 403


@pytest.mark.parametrize("page", OBJECT_PAGES)
def test_another_deputy_gets_404(as_user: Any, report: Any, station: Any, page: str) -> None:
    user = make_member(Role.DEPUTY, station=station, username="other_deputy")
    DeputyFactory(user=user)
    assert as_user(user).get(url(page, report)).status_code == 404


@pytest.mark.parametrize("page", [*OBJECT_PAGES, *LIST_PAGES, "create", "mine"])
@pytest.mark.parametrize("persona", ["system_admin", "security_admin", "auditor", "platform_admin"])
def test_administrators_get_403(
    request: Any, as_user: Any, report: Any, page: str, persona: str
) -> None:
    user = request.getfixturevalue(persona)
    assert as_user(user).get(url(page, report)).status_code == 403


@pytest.mark.parametrize("persona", ["county_staff", "station_officer"])
def test_staff_do_not_get_my_reports(request: Any, as_user: Any, persona: str) -> None:
    user = request.getfixturevalue(persona)
    assert as_user(user).get(reverse("dutyreports:mine")).status_code == 403


@pytest.mark.parametrize("page", ["list", "detail", "create"])
def test_anonymous_is_sent_to_login(client: Any, report: Any, page: str) -> None:
    response = client.get(url(page, report))
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_other_county_list_does_not_show_the_report(
    as_user: Any, other_county_staff: Any, report: Any
) -> None:
    assert report.title not in as_user(other_county_staff).get(url("list", report)).content.decode()


def test_the_detail_masks_representatives(as_user: Any, county_staff: Any, report: Any) -> None:
    page = as_user(county_staff).get(url("detail", report)).content.decode()
    assert "13800000001" not in page and "选民代表1" not in page
    assert "138****0001" in page


# --- the forms ------------------------------------------------------------------------------


def _form(station: Any, deputy: Any, people: int) -> dict[str, Any]:
    lines = "\n".join(f"选民代表{i} 1380000{i:04d}" for i in range(people))
    return {
        "station": station.pk,
        "deputy": deputy.pk,
        "title": "年度履职报告",
        "starts_at": "2030-05-06T09:30",
        "place": "社区服务中心",
        "invited": lines,
    }


def test_schedule_through_the_form(
    as_user: Any, station_officer: Any, station: Any, deputy: Any
) -> None:
    response = as_user(station_officer).post(
        reverse("dutyreports:create"), _form(station, deputy, 10)
    )
    report = DutyReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dutyreports:detail", args=[report.pk])
    assert report.invited.count() == 10


def test_the_deputies_are_offered_by_station(
    as_user: Any, station_officer: Any, station: Any, deputy: Any
) -> None:
    page = as_user(station_officer).get(reverse("dutyreports:create")).content.decode()
    group = page.split(f'<optgroup label="{station.name}">')[1].split("</optgroup>")[0]
    assert f'<option value="{deputy.pk}">{deputy.name}</option>' in group


def test_too_few_representatives_keeps_the_form_and_says_why(
    as_user: Any, station_officer: Any, station: Any, deputy: Any
) -> None:
    response = as_user(station_officer).post(
        reverse("dutyreports:create"), _form(station, deputy, 4)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "至少邀请 10 名选民代表，目前只填写了 4 名" in page
    assert "选民代表3" in page  # what was typed is still there
    assert not DutyReport.objects.exists()


def test_hold_refusal_keeps_the_text(
    as_user: Any, station_officer: Any, deputy: Any, station: Any
) -> None:
    scheduled = report_in(Status.SCHEDULED, actor=station_officer, deputy=deputy, station=station)
    response = as_user(station_officer).post(
        reverse("dutyreports:hold", args=[scheduled.pk]),
        {"text": "我的述职报告草稿", "attendance": "0", "version": scheduled.version},
    )
    assert response.status_code == 200
    assert "我的述职报告草稿" in response.content.decode()
    scheduled.refresh_from_db()
    assert scheduled.status == Status.SCHEDULED


def test_publish_and_cancel_buttons(
    as_user: Any, station_officer: Any, report: Any, deputy: Any, station: Any
) -> None:
    client = as_user(station_officer)
    client.post(reverse("dutyreports:act", args=[report.pk, "publish"]))
    report.refresh_from_db()
    assert report.status == Status.PUBLISHED
    other = report_in(Status.SCHEDULED, actor=station_officer, deputy=deputy, station=station)
    response = client.post(reverse("dutyreports:act", args=[other.pk, "cancel"]), {"reason": ""})
    other.refresh_from_db()
    assert other.status == Status.SCHEDULED
    assert response.status_code == 302
    client.post(reverse("dutyreports:act", args=[other.pk, "cancel"]), {"reason": "代表出差"})
    other.refresh_from_db()
    assert other.status == Status.CANCELLED


def test_the_sheet_is_a_pdf_and_its_printing_is_recorded(
    as_user: Any, station_officer: Any, report: Any
) -> None:
    response = as_user(station_officer).get(url("sheet", report))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert DutyReportEvent.objects.filter(report=report, kind=EventKind.CODES_PRINTED).exists()


# --- the term rule ------------------------------------------------------------------------


def test_not_reported_lists_county_and_township_deputies_without_a_report(
    as_user: Any, county_staff: Any, report: Any, station: Any
) -> None:
    silent = DeputyFactory(name="未述职代表")
    SeatFactory(deputy=silent)
    StationDeputyFactory(deputy=silent, station=station)
    national = DeputyFactory(name="省人大代表甲")
    SeatFactory(deputy=national, level="provincial", congress_id="430000000000")
    client = as_user(county_staff)
    page = client.get(reverse("dutyreports:not_reported")).content.decode()
    assert "未述职代表" in page
    assert "张代表" not in page  # held a report this term
    assert "省人大代表甲" not in page
    at_station = client.get(reverse("dutyreports:not_reported") + f"?station={station.pk}")
    assert "未述职代表" in at_station.content.decode()
    export = client.get(reverse("dutyreports:not_reported") + "?format=xlsx")
    assert export["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )


# --- query counts --------------------------------------------------------------------------


def _count(client: Any, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_queries_do_not_grow_with_the_rows(
    as_user: Any, county_staff: Any, station_officer: Any, deputy: Any, station: Any
) -> None:
    client = as_user(county_staff)
    report_in(Status.PUBLISHED, actor=station_officer, deputy=deputy, station=station)
    silent = DeputyFactory()
    SeatFactory(deputy=silent)
    StationDeputyFactory(deputy=silent, station=station)
    few = _count(client, reverse("dutyreports:list"))
    few_missing = _count(client, reverse("dutyreports:not_reported"))
    for i in range(30):
        other = DeputyFactory()
        SeatFactory(deputy=other)
        StationDeputyFactory(deputy=other, station=station)
        duty_report_schedule(
            actor=station_officer,
            deputy=other,
            station=station,
            title=f"述职{i}",
            starts_at=deputy.created_at,
            place="社区",
            invited=invitees(),
        )
    assert _count(client, reverse("dutyreports:list")) == few
    assert _count(client, reverse("dutyreports:not_reported")) == few_missing
