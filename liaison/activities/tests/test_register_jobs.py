"""The activity and training registers (活动台账, 培训台账) built by the task worker as the export
job `activities.register`: who may queue one and who may fetch it (every role of two counties),
bad input answered in Chinese with nothing queued, the files' titles, columns and rows, the audit
rows, and the station, region or whole scope asked again when the file is built and fetched."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from liaison.accounts.models import Membership, Role, User
from liaison.accounts.services import membership_scope_fields
from liaison.accounts.tests.factories import UserFactory
from liaison.activities import exports, jobs
from liaison.activities.models import Activity, Status
from liaison.activities.tests.factories import activity_in, days_ago_this_year, training_in
from liaison.audit.models import AuditAction, AuditEvent
from liaison.jobs.models import ExportJob, JobStatus
from liaison.jobs.services import export_job_run
from liaison.jobs.tests.matrix import (
    ROLES,
    STAFF,
    TOWNSHIP,
    assert_only_the_requester_opens,
    members_of_every_role,
)
from liaison.regions.tests.factories import CHANGSHA_COUNTY, YUELU, region
from liaison.stations.tests.factories import StationFactory

pytestmark = pytest.mark.django_db

PAGE = "/staff/activities/registers/"
ACTIVITY_HEADER = [
    "序号", "日期", "时间", "联络站", "活动类型", "主题", "地点", "组织者", "参加代表", "成果",
    "关联民意", "核实情况",
]  # fmt: skip
TRAINING_HEADER = ["序号", "代表", "课程", "课程类别", "学时", "日期", "组织单位", "年度累计学时"]


def _year() -> int:
    # The factories' activities start in this local year (`days_ago_this_year`).
    return timezone.localdate().year


@pytest.fixture
def users(hunan: None) -> dict[str, dict[str, Any]]:
    """A user of every role in each county: station roles at a station of it, others over it."""
    rows: dict[str, dict[str, Any]] = {}
    for county, township in TOWNSHIP.items():
        station = StationFactory(region_id=township)
        rows[county] = {"station": station, **members_of_every_role(county=county, station=station)}
    return rows


def _form(register: str = "activities", station: Any = None, **extra: Any) -> dict[str, Any]:
    return {"register": register, "year": _year(), "station": station or "", **extra}


def _queued(client: Any, capture: Any, data: dict[str, Any] | None = None) -> str:
    """Queue as the page's button does and let the (immediate) worker build it."""
    with capture(execute=True):
        response = client.post(PAGE, data or _form())
    assert response.status_code == 302 and response["Location"].startswith("/staff/jobs/")
    return str(response["Location"])


def _sheet(content: bytes) -> tuple[Any, list[Any], list[list[Any]]]:
    """The title cell, the header and the body rows of the workbook."""
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if r and r[0] == "序号")
    body = [r for r in rows[at + 1 :] if any(c is not None for c in r)]
    return rows[0][0], rows[at], body


def _download(client: Any, location: str) -> bytes:
    response = client.get(f"{location}download/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content) if response.streaming else response.content


def _move(user: Any, *, region_code: str | None = None, station: Any = None) -> None:
    where = region(region_code) if region_code else None
    fields = membership_scope_fields(region=where, station=station)
    Membership.objects.filter(user=user).update(**fields)


def test_the_url_is_the_one_the_tests_post_to() -> None:
    assert reverse("activities:registers") == PAGE


def test_a_get_never_queues(county_staff: Any, as_user: Any) -> None:
    response = as_user(county_staff).get(PAGE, _form())
    assert response.status_code == 200
    page = response.content.decode()
    assert '<form method="post"' in page and "生成台账" in page
    assert not ExportJob.objects.exists()


def test_every_role_of_two_counties_queues_only_a_register_in_scope(
    users: dict[str, dict[str, Any]], as_user: Any
) -> None:
    """Each user asks for the register of a station of 岳麓区: its county's staff and the
    station's staff get a job; the other county's staff a Chinese refusal and nothing queued;
    other roles 403. Every staff user may queue the register of their whole scope."""
    yuelu_station = users[YUELU]["station"]
    queued = 0
    for county in (YUELU, CHANGSHA_COUNTY):
        for role in ROLES:
            user = users[county][role]
            client = as_user(user)
            response = client.post(PAGE, _form(station=yuelu_station.pk))
            if role not in STAFF:
                assert response.status_code == 403, (role, county)
                assert client.post(PAGE, _form()).status_code == 403, (role, county)
                continue
            if county == YUELU:
                assert response.status_code == 302, (role, county)
                job = ExportJob.objects.get(pk=response["Location"].split("/")[-2])
                assert job.kind == jobs.REGISTER and job.created_by == user
                assert job.params == {
                    "register": "activities", "year": _year(), "station": yuelu_station.pk,
                    "region": None,
                }  # fmt: skip
                assert job.region_code == yuelu_station.region_id
                queued += 1
            else:
                assert response.status_code == 200, (role, county)
                assert "所选联络站不在您的辖区" in response.content.decode(), (role, county)
            whole = client.post(PAGE, _form(register="training"))
            assert whole.status_code == 302, (role, county)
            queued += 1
    assert ExportJob.objects.count() == queued == 9


def test_every_role_of_two_counties_may_not_see_or_fetch_anothers_file(
    users: dict[str, dict[str, Any]], as_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    everyone = {
        (role, county): users[county][role] for county in (YUELU, CHANGSHA_COUNTY) for role in ROLES
    }
    for owner in (users[YUELU][Role.CONGRESS_STAFF], users[CHANGSHA_COUNTY][Role.LIAISON_OFFICER]):
        location = _queued(as_user(owner), django_capture_on_commit_callbacks)
        assert_only_the_requester_opens(as_user, location, owner, everyone)


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"register": ""}, "请选择台账"), ({"register": "x"}, "请选择台账"),
        ({"year": ""}, "请选择年度"), ({"year": 1990}, "请选择正确的年度"),
        ({"year": "abc"}, "请选择正确的年度"), ({"year": "2\x0026"}, "请选择正确的年度"),
        ({"station": "x"}, "所选联络站不在您的辖区"),
    ],
)  # fmt: skip
def test_bad_input_is_answered_in_chinese_and_nothing_is_queued(
    county_staff: Any, as_user: Any, bad: dict[str, Any], message: str
) -> None:
    response = as_user(county_staff).post(PAGE, {**_form(), **bad})
    assert response.status_code == 200 and message in response.content.decode()
    assert not ExportJob.objects.exists()


def test_a_station_outside_scope_is_refused_on_the_form(
    station_officer: Any, other_station: Any, station: Any, as_user: Any
) -> None:
    """Another county's station, and for station staff a station of their county not theirs."""
    neighbour = StationFactory(region_id="430104003000")
    client = as_user(station_officer)
    for outside in (other_station, neighbour):
        response = client.post(PAGE, _form(register="training", station=outside.pk))
        assert response.status_code == 200
        assert "所选联络站不在您的辖区" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_the_activity_register_built_by_the_worker_has_the_title_columns_and_rows(
    as_user: Any,
    county_staff: Any,
    station: Any,
    other_station: Any,
    deputy: Any,
    colleague: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    year = _year()
    activity_in(
        Status.VERIFIED, station=station, attended=[deputy, colleague], title="养老调研",
        suggestions="增设助餐点", verified_by=county_staff,
    )  # fmt: skip
    activity_in(Status.SUBMITTED, station=station, title="待核实的视察", kind="inspection")
    activity_in(Status.CANCELLED, station=station, title="取消的活动")
    activity_in(Status.VERIFIED, station=other_station, title="外县活动")
    client = as_user(county_staff)
    location = _queued(client, django_capture_on_commit_callbacks)
    title = f"活动台账（全部辖区，{year} 年）"
    page = client.get(location).content.decode()
    assert "已完成" in page and title in page and f'<a href="{PAGE}"' in page
    job = ExportJob.objects.get()
    assert job.filename == f"活动台账_{year}.xlsx" and job.row_count == 2
    assert job.params["within"] == {"regions": [YUELU], "stations": []}
    cell, header, body = _sheet(_download(client, location))
    assert cell == title and header == ACTIVITY_HEADER and len(body) == 2
    by_title = {r[5]: r for r in body}
    assert set(by_title) == {"养老调研", "待核实的视察"}
    verified = by_title["养老调研"]
    assert verified[3] == station.name and verified[4] == "调研"
    assert verified[8] == "张代表、李代表" and "形成建议：增设助餐点" in verified[9]
    assert verified[11].startswith("已核实")
    assert by_title["待核实的视察"][11] == "待核实" and by_title["待核实的视察"][4] == "视察"
    # In the order of the activities' start, numbered from 1.
    starts = dict(Activity.objects.values_list("title", "starts_at"))
    assert [r[0] for r in body] == [1, 2]
    assert [r[5] for r in body] == sorted(by_title, key=lambda t: (starts[t], t))
    # The page lists it under the form, linked to its own page.
    registers = client.get(PAGE).content.decode()
    assert title in registers and f'href="{location}"' in registers


def test_the_training_register_of_a_station_adds_up_hours_per_deputy(
    as_user: Any,
    station_officer: Any,
    station: Any,
    deputy: Any,
    colleague: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    year = _year()
    earlier = days_ago_this_year(3)
    training_in(Status.VERIFIED, hours="4", attended=[deputy, colleague], station=station,
                title="宪法学习", starts_at=earlier)  # fmt: skip
    training_in(Status.VERIFIED, hours="2.5", attended=[deputy], station=station, title="预算审查")
    training_in(Status.SUBMITTED, hours="8", attended=[deputy], station=station, title="未核实")
    elsewhere = StationFactory(region_id="430104003000")
    training_in(Status.VERIFIED, attended=[deputy], station=elsewhere, title="别站培训")
    client = as_user(station_officer)
    data = _form(register="training", station=station.pk)
    location = _queued(client, django_capture_on_commit_callbacks, data)
    job = ExportJob.objects.get()
    assert job.title == f"培训台账（{station.name}，{year} 年）"
    assert job.filename == f"培训台账_{year}.xlsx" and job.row_count == 3
    cell, header, body = _sheet(_download(client, location))
    assert cell == job.title and header == TRAINING_HEADER
    assert [r[0] for r in body] == [1, 2, 3]
    # By deputy (in the database's order of names), then by date, with the running total.
    names = [r[1] for r in body]
    assert sorted(names) == ["张代表", "张代表", "李代表"] and names[0] != names[2]
    mine = [r for r in body if r[1] == "张代表"]
    assert [r[2] for r in mine] == ["宪法学习", "预算审查"]
    assert [Decimal(str(r[7])) for r in mine] == [Decimal("4"), Decimal("6.5")]
    theirs = next(r for r in body if r[1] == "李代表")
    assert theirs[2] == "宪法学习" and Decimal(str(theirs[7])) == Decimal("4")
    assert mine[0][3] == "法律法规" and mine[0][4] == 4 and mine[0][6] == "岳麓街道人大工委"


def test_building_and_fetching_are_audited_as_the_other_jobs_are(
    as_user: Any, county_staff: Any, station: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = as_user(county_staff)
    location = _queued(client, django_capture_on_commit_callbacks, _form(station=station.pk))
    job = ExportJob.objects.get()
    client.get(f"{location}download/")
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("seq")
    assert [e.note for e in events] == [f"生成{job.title}（0 行）", f"下载{job.title}"]
    for event in events:
        assert event.actor == county_staff and event.region_code == station.region_id
        assert event.object_id == str(job.pk) and event.object_label.startswith(jobs.REGISTER)


@pytest.mark.parametrize("asked", ["station", "whole"])
def test_the_file_is_not_served_once_the_scope_is_no_longer_the_requesters(
    as_user: Any,
    county_staff: Any,
    station: Any,
    asked: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = as_user(county_staff)
    data = _form(station=station.pk) if asked == "station" else _form()
    location = _queued(client, django_capture_on_commit_callbacks, data)
    _move(county_staff, region_code=CHANGSHA_COUNTY)
    assert client.get(f"{location}download/").status_code == 404
    assert not AuditEvent.objects.filter(note__startswith="下载").exists()


def test_a_station_officer_moved_to_another_station_loses_the_whole_scope_file(
    as_user: Any, station_officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = as_user(station_officer)
    location = _queued(client, django_capture_on_commit_callbacks)
    assert client.get(f"{location}download/").status_code == 200
    _move(station_officer, station=StationFactory(region_id="430104003000"))
    assert client.get(f"{location}download/").status_code == 404


def test_a_region_register_downloads_while_the_region_is_in_scope(
    county_staff: Any, other_county_staff: Any, yuelu: Any, station: Any, deputy: Any
) -> None:
    training_in(Status.VERIFIED, attended=[deputy], station=station)
    with pytest.raises(ValidationError, match="不在您的辖区"):
        jobs.register_export_request(
            actor=other_county_staff, register="training", year=_year(), region=yuelu
        )
    job = jobs.register_export_request(
        actor=county_staff, register="training", year=_year(), region=yuelu
    )
    assert job.title == f"培训台账（岳麓区，{_year()} 年）" and job.region_code == YUELU
    job = export_job_run(job_id=job.pk)
    assert job.status == JobStatus.DONE and job.row_count == 1
    assert jobs.downloadable(job, county_staff)
    assert not jobs.downloadable(job, other_county_staff)
    _move(county_staff, region_code=CHANGSHA_COUNTY)
    assert not jobs.downloadable(job, User.objects.get(pk=county_staff.pk))  # memberships read anew


def test_the_worker_asks_for_the_station_again_when_it_builds(
    as_user: Any, county_staff: Any, station: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = as_user(county_staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(PAGE, _form(station=station.pk))
    _move(county_staff, region_code=CHANGSHA_COUNTY)  # between the click and the worker's turn
    for callback in callbacks:
        callback()
    job = ExportJob.objects.get()
    assert job.status == JobStatus.FAILED and not job.file
    assert "no longer the requester's" in job.error
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    assert "生成失败" in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()


@pytest.mark.parametrize(
    "params, error",
    [
        ({"register": "activities", "year": 2026, "station": 999999, "region": None}, "no longer"),
        ({"register": "activities", "year": 2026, "station": None, "region": "439999000000"},
         "no longer"),
        ({"register": "minutes", "year": 2026, "station": None, "region": None}, "unknown"),
    ],
)  # fmt: skip
def test_a_job_naming_what_is_gone_fails_without_a_file(
    county_staff: Any, params: dict[str, Any], error: str
) -> None:
    job = ExportJob.objects.create(
        kind=jobs.REGISTER, params=params, title="x", created_by=county_staff
    )
    with pytest.raises((PermissionDenied, ValueError), match=error):
        export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.file
    assert not jobs.downloadable(job, county_staff)


def test_a_failed_build_says_so_and_serves_nothing(
    as_user: Any, county_staff: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "activity_register_xlsx", broken)
    client = as_user(county_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(PAGE, _form())
    job = ExportJob.objects.get()
    assert job.status == JobStatus.FAILED and "disk full" in job.error
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_the_request_checks_its_input_itself(
    county_staff: Any, other_station: Any, yuelu: Any
) -> None:
    year = _year()
    with pytest.raises(ValidationError, match="请选择台账"):
        jobs.register_export_request(actor=county_staff, register="x", year=year)
    for wrong in (1999, timezone.localdate().year + 2):
        with pytest.raises(ValidationError, match="年度不正确"):
            jobs.register_export_request(actor=county_staff, register="training", year=wrong)
    with pytest.raises(ValidationError, match="该联络站不在您的辖区"):
        jobs.register_export_request(
            actor=county_staff, register="training", year=year, station=other_station
        )
    with pytest.raises(PermissionDenied):
        jobs.register_export_request(actor=UserFactory(), register="training", year=year)
    assert not ExportJob.objects.exists()


def test_a_requester_without_any_role_left_gets_nothing(
    as_user: Any, county_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    location = _queued(as_user(county_staff), django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    Membership.objects.filter(user=county_staff).delete()
    assert not jobs.downloadable(job, User.objects.get(pk=county_staff.pk))
    assert as_user(county_staff).get(f"{location}download/").status_code in (403, 404)


def test_a_refusal_of_the_request_is_shown_on_the_form(
    county_staff: Any, as_user: Any, monkeypatch: Any
) -> None:
    """What the form cannot know (a scope changed since the page was drawn) comes back from
    the request on the form's field, in Chinese, and nothing is queued."""

    def refused(**kwargs: Any) -> Any:
        raise ValidationError({"station": "该联络站不在您的辖区。"})

    monkeypatch.setattr(jobs, "register_export_request", refused)
    response = as_user(county_staff).post(PAGE, _form())
    assert response.status_code == 200 and "该联络站不在您的辖区" in response.content.decode()
    assert not ExportJob.objects.exists()
