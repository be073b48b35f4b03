"""A region's reception register (接待登记簿) built by the task worker as an export job: who may
queue one and who may fetch it (every role of two counties), bad input answered in Chinese with
nothing queued, the file's title, columns and rows, the audit rows, and the region asked again
when the file is built and when it is fetched."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from liaison.accounts.models import Membership, Role
from liaison.accounts.services import membership_scope_fields
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
from liaison.receptions import jobs
from liaison.receptions.services.records import ItemInput, reception_record
from liaison.regions.tests.factories import CHANGSHA_COUNTY, YUELU, region
from liaison.stations.tests.factories import StationFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
PAGE = "/staff/receptions/register/"
TITLE = f"代表接待登记簿（岳麓区，{YEAR} 年）"


@pytest.fixture
def users(hunan: None) -> dict[str, dict[str, Any]]:
    """A user of every role in each county: station roles at a station of it, others over it."""
    rows: dict[str, dict[str, Any]] = {}
    for county, township in TOWNSHIP.items():
        station = StationFactory(region_id=township)
        rows[county] = members_of_every_role(county=county, station=station)
    return rows


def _form(code: str = YUELU, **extra: Any) -> dict[str, Any]:
    return {"year": YEAR, "station": "", "region": code, **extra}


def _queued(client: Any, capture: Any, data: dict[str, Any] | None = None) -> str:
    """Queue as the page's button does and let the (immediate) worker build it."""
    with capture(execute=True):
        response = client.post(reverse("receptions:register"), data or _form())
    assert response.status_code == 302 and response["Location"].startswith("/staff/jobs/")
    return str(response["Location"])


def _content(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _rows(content: bytes) -> list[tuple[Any, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def test_the_url_is_the_one_the_tests_post_to() -> None:
    assert reverse("receptions:register") == PAGE


def test_a_get_never_queues(county_staff: Any, as_user: Any) -> None:
    response = as_user(county_staff).get(PAGE, _form())
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert '<form method="post"' in response.content.decode()
    assert not ExportJob.objects.exists()


def test_every_role_of_two_counties_queues_only_a_register_in_scope(
    users: dict[str, dict[str, Any]], as_user: Any
) -> None:
    """Each user asks for the register of 岳麓区: its county's staff get a job; station staff and
    the other county's staff a Chinese refusal and nothing queued; other roles 403."""
    for county in (YUELU, CHANGSHA_COUNTY):
        for role in ROLES:
            user = users[county][role]
            client = as_user(user)
            response = client.post(PAGE, _form())
            if role not in STAFF:
                assert response.status_code == 403, (role, county)
                continue
            assert response.status_code == 302, (role, county)
            if role == Role.CONGRESS_STAFF and county == YUELU:
                job = ExportJob.objects.get(pk=response["Location"].split("/")[-2])
                assert job.kind == jobs.REGISTER and job.created_by == user
                assert job.params == {"region": YUELU, "year": YEAR}
            else:
                assert response["Location"] == PAGE, (role, county)
                page = client.get(PAGE).content.decode()
                assert "所选区划不在您的管辖范围内" in page, (role, county)
    assert ExportJob.objects.count() == 1


def test_every_role_of_two_counties_may_not_see_or_fetch_anothers_file(
    users: dict[str, dict[str, Any]], as_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    owner = users[YUELU][Role.CONGRESS_STAFF]
    location = _queued(as_user(owner), django_capture_on_commit_callbacks)
    everyone = {
        (role, county): users[county][role] for county in (YUELU, CHANGSHA_COUNTY) for role in ROLES
    }
    assert_only_the_requester_opens(as_user, location, owner, everyone)


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"year": 1990}, "请选择正确的年度"), ({"year": YEAR + 1}, "请选择正确的年度"),
        ({"year": "abc"}, "请选择正确的年度"), ({"year": ""}, "请选择年度"),
        ({"region": ""}, "请选择联络站或区划"), ({"region": "9" * 13}, "请选择正确的区划"),
        ({"region": "999999"}, "请选择联络站或区划"), ({"station": "x"}, "请选择正确的联络站"),
    ],
)  # fmt: skip
def test_bad_input_is_answered_in_chinese_and_nothing_is_queued(
    county_staff: Any, as_user: Any, bad: dict[str, Any], message: str
) -> None:
    client = as_user(county_staff)
    response = client.post(PAGE, _form(**bad))
    assert response.status_code == 302 and response["Location"] == PAGE
    assert message in client.get(PAGE).content.decode()
    assert not ExportJob.objects.exists()


def test_the_register_built_by_the_worker_has_the_title_columns_and_rows(
    as_user: Any,
    county_staff: Any,
    held_day: Any,
    deputy: Any,
    station_officer: Any,
    other_station: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    reception_record(
        day=held_day, actor=station_officer, visitor_count=2, minutes="纪要",
        present_deputy_ids=[deputy.pk],
        items=[ItemInput(title="路灯不亮", content="三栋前", deputy_id=deputy.pk)],
    )  # fmt: skip
    client = as_user(county_staff)
    location = _queued(client, django_capture_on_commit_callbacks)
    page = client.get(location).content.decode()
    assert "已完成" in page and TITLE in page and f'<a href="{PAGE}"' in page
    response = client.get(f"{location}download/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    job = ExportJob.objects.get()
    assert job.filename == f"接待登记簿_岳麓区_{YEAR}.xlsx" and job.row_count == 1
    rows = _rows(_content(response))
    assert rows[0][0] == TITLE
    header = next(r for r in rows if r and r[0] == "日期")
    assert list(header) == [
        "日期", "时间", "联络站", "接待地点", "接待代表", "到场代表", "来访人数", "反映事项",
        "办理情况", "接待纪要",
    ]  # fmt: skip
    body = [r for r in rows[rows.index(header) + 1 :] if any(c is not None for c in r)]
    assert len(body) == 1
    line = body[0]
    assert line[2] == held_day.station.name and line[6] == 2 and line[9] == "纪要"
    assert "1. 路灯不亮" in line[7] and "待受理" in line[8]
    assert other_station.name not in str(rows)
    # The jobs page lists it under the form, linked to its own page.
    register = client.get(PAGE).content.decode()
    assert TITLE in register and f'href="{location}"' in register


def test_building_and_fetching_are_audited_as_the_other_jobs_are(
    as_user: Any, county_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = as_user(county_staff)
    location = _queued(client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    client.get(f"{location}download/")
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("seq")
    assert [e.note for e in events] == [f"生成{TITLE}（0 行）", f"下载{TITLE}"]
    for event in events:
        assert event.actor == county_staff and event.region_code == YUELU
        assert event.object_id == str(job.pk) and event.object_label.startswith(jobs.REGISTER)


def _move_to_the_other_county(user: Any) -> None:
    fields = membership_scope_fields(region=region(CHANGSHA_COUNTY), station=None)
    Membership.objects.filter(user=user).update(**fields)


def test_the_file_is_not_served_once_the_region_is_no_longer_the_requesters(
    as_user: Any, county_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = as_user(county_staff)
    location = _queued(client, django_capture_on_commit_callbacks)
    _move_to_the_other_county(county_staff)
    assert client.get(f"{location}download/").status_code == 404
    assert not AuditEvent.objects.filter(note__startswith="下载").exists()


def test_the_worker_asks_for_the_region_again_when_it_builds(
    as_user: Any, county_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = as_user(county_staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(PAGE, _form())
    _move_to_the_other_county(county_staff)  # between the click and the worker's turn
    for callback in callbacks:
        callback()
    job = ExportJob.objects.get()
    assert job.status == JobStatus.FAILED and not job.file
    assert "no longer the requester's" in job.error
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    assert "生成失败" in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()


def test_a_job_naming_a_region_that_is_gone_fails_without_a_file(county_staff: Any) -> None:
    job = ExportJob.objects.create(
        kind=jobs.REGISTER, params={"region": "439999000000", "year": YEAR}, title="x",
        created_by=county_staff,
    )  # fmt: skip
    with pytest.raises(PermissionDenied, match="no longer"):
        export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.file


def test_a_region_with_control_characters_is_refused(county_staff: Any, as_user: Any) -> None:
    client = as_user(county_staff)
    response = client.post(PAGE, _form(code="4301\x0004000000"))
    assert response.status_code == 302 and response["Location"] == PAGE
    assert not ExportJob.objects.exists()


def test_the_request_checks_the_year_itself(county_staff: Any) -> None:
    with pytest.raises(ValidationError, match="请选择正确的年度"):
        jobs.register_export_request(actor=county_staff, region=region(YUELU), year=1999)
    assert not ExportJob.objects.exists()


def test_a_station_outside_scope_gets_no_register(
    county_staff: Any, other_station: Any, as_user: Any
) -> None:
    response = as_user(county_staff).post(PAGE, _form(station=other_station.pk, region=""))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
