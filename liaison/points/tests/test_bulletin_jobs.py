"""The bulletin's files (积分公示 xlsx and docx) built by the task worker: who may queue one and
who may fetch it (every role of two counties), bad input answered in Chinese with nothing
queued, the files' title and rows, the audit rows, and the scope asked again when the file is
built and when it is fetched."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.urls import reverse
from docx import Document as WordDocument
from openpyxl import load_workbook

from liaison.accounts.models import Membership, Role
from liaison.accounts.services import membership_scope_fields
from liaison.audit.models import AuditAction, AuditEvent
from liaison.jobs.models import ExportJob, JobStatus
from liaison.jobs.tests.matrix import ROLES, STAFF, assert_only_the_requester_opens
from liaison.points import jobs
from liaison.points.tests.world import YEAR
from liaison.regions.tests.factories import CHANGSHA_COUNTY, YUELU, region

pytestmark = pytest.mark.django_db

EXPORT = "/staff/points/bulletin/export/"
TITLE = f"岳麓区{YEAR}年第1季度代表履职积分公示"


def _form(scope: str, fmt: str = "xlsx", **extra: Any) -> dict[str, Any]:
    return {"year": YEAR, "quarter": 1, "scope": scope, "format": fmt, **extra}


def _queued(client: Any, capture: Any, data: dict[str, Any]) -> Any:
    """Queue as the page's button does and let the (immediate) worker build it."""
    with capture(execute=True):
        response = client.post(reverse("points:bulletin_export"), data)
    assert response.status_code == 302 and response["Location"].startswith("/staff/jobs/")
    return response


def _content(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_url_is_the_one_the_tests_post_to() -> None:
    assert reverse("points:bulletin_export") == EXPORT


def test_the_page_offers_post_buttons_that_carry_the_period_and_scope(
    world: dict[str, Any], as_user: Any
) -> None:
    client = as_user(world[YUELU]["users"][Role.CONGRESS_STAFF])
    page = client.get(reverse("points:bulletin"), {"scope": f"r:{YUELU}", "quarter": 1})
    body = page.content.decode()
    assert body.count(f'action="{EXPORT}"') == 2 and "format=" not in body
    for hidden in (f'name="scope" value="r:{YUELU}"', 'name="quarter" value="1"',
                   'name="format" value="xlsx"', 'name="format" value="docx"'):  # fmt: skip
        assert hidden in body, hidden
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", body))  # no inline script


def test_a_get_never_queues(world: dict[str, Any], as_user: Any) -> None:
    client = as_user(world[YUELU]["users"][Role.CONGRESS_STAFF])
    assert client.get(EXPORT, _form(f"r:{YUELU}")).status_code == 405
    response = client.get(reverse("points:bulletin"), {"scope": f"r:{YUELU}", "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("fmt", jobs.FORMATS)
def test_every_role_of_two_counties_queues_only_a_bulletin_in_scope(
    world: dict[str, Any], as_user: Any, fmt: str
) -> None:
    """Each user asks for the bulletin of the 岳麓区 station: its county's staff and the station's
    own staff get a job; the other county's staff a Chinese refusal; other roles 403."""
    data = _form(f"s:{world[YUELU]['station'].pk}", fmt)
    queued = 0
    for county in (YUELU, CHANGSHA_COUNTY):
        for role in ROLES:
            response = as_user(world[county]["users"][role]).post(EXPORT, data)
            in_scope = role in STAFF and county == YUELU
            expected = 302 if in_scope else 403
            assert response.status_code == expected, (role, county)
            if expected == 302:
                queued += 1
                job = ExportJob.objects.get(pk=response["Location"].split("/")[-2])
                assert job.kind == jobs.BULLETIN and job.params["format"] == fmt
                assert job.created_by == world[county]["users"][role]
            elif role in STAFF:
                assert "所选范围不在您的辖区内" in response.content.decode()
    assert ExportJob.objects.count() == queued == len(STAFF)


def test_every_role_of_two_counties_may_not_see_or_fetch_anothers_file(
    world: dict[str, Any], as_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    owner = world[YUELU]["users"][Role.CONGRESS_STAFF]
    location = _queued(as_user(owner), django_capture_on_commit_callbacks, _form(f"r:{YUELU}"))[
        "Location"
    ]
    everyone = {
        (role, county): world[county]["users"][role]
        for county in (YUELU, CHANGSHA_COUNTY)
        for role in ROLES
    }
    assert_only_the_requester_opens(as_user, location, owner, everyone)


def test_scope_not_held_gives_no_job_and_says_why_in_chinese(
    world: dict[str, Any], as_user: Any
) -> None:
    staff = world[YUELU]["users"][Role.CONGRESS_STAFF]
    response = as_user(staff).post(EXPORT, _form(f"r:{CHANGSHA_COUNTY}"))
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert "所选范围不在您的辖区内" in response.content.decode()
    assert not ExportJob.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_province_is_asked_for_a_county_and_nothing_is_queued(hunan: None, as_user: Any) -> None:
    from liaison.accounts.tests.factories import make_member

    staff = make_member(Role.CONGRESS_STAFF, region=region("430000000000"), username="prov")
    response = as_user(staff).post(EXPORT, _form("r:430000000000"))
    assert response.status_code == 403
    assert "请选择其中之一" in response.content.decode()
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"year": 1990}, {"year": "abc"}, {"quarter": 0}, {"quarter": 5}, {"quarter": ""},
        {"scope": ""}, {"format": "pdf"}, {"format": ""}, {"scope": "r:" + "9" * 60},
    ],
)  # fmt: skip
def test_bad_input_is_answered_in_chinese_and_nothing_is_queued(
    world: dict[str, Any], as_user: Any, bad: dict[str, Any]
) -> None:
    staff = world[YUELU]["users"][Role.CONGRESS_STAFF]
    response = as_user(staff).post(EXPORT, {**_form(f"r:{YUELU}"), **bad})
    assert response.status_code == 400
    assert "导出的年度、季度、范围或格式不正确" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_the_xlsx_built_by_the_worker_has_the_title_and_the_scopes_rows(
    world: dict[str, Any], as_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = as_user(world[YUELU]["users"][Role.CONGRESS_STAFF])
    location = _queued(client, django_capture_on_commit_callbacks, _form(f"r:{YUELU}"))["Location"]
    page = client.get(location).content.decode()
    assert "已完成" in page and TITLE in page and '<a href="/staff/points/bulletin/"' in page
    response = client.get(f"{location}download/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(_content(response))).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == TITLE
    header = ["名次", "代表", "本季度积分", "年度累计积分", "等次"]
    start = next(i for i, r in enumerate(rows) if r[:5] == header) + 1
    body = [r[:5] for r in rows[start:] if any(c is not None for c in r)]
    assert len(body) == 1
    assert body[0][:2] == [1, world[YUELU]["deputy"].name] and body[0][2] > 0
    assert world[CHANGSHA_COUNTY]["deputy"].name not in str(rows)


def test_the_docx_built_by_the_worker_has_the_title_and_the_scopes_rows(
    world: dict[str, Any], as_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = as_user(world[YUELU]["users"][Role.CONGRESS_STAFF])
    location = _queued(client, django_capture_on_commit_callbacks, _form(f"r:{YUELU}", "docx"))[
        "Location"
    ]
    response = client.get(f"{location}download/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.w")
    word = WordDocument(io.BytesIO(_content(response)))
    assert word.paragraphs[0].text == TITLE and word.core_properties.title == TITLE
    table = [[c.text for c in row.cells] for row in word.tables[0].rows]
    assert table[0] == ["名次", "代表", "本季度积分", "年度累计积分", "等次"]
    assert len(table) == 2 and table[1][:2] == ["1", world[YUELU]["deputy"].name]
    assert world[CHANGSHA_COUNTY]["deputy"].name not in str(table)


def test_building_and_fetching_are_audited_as_the_grids_files_are(
    world: dict[str, Any], as_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    staff = world[YUELU]["users"][Role.CONGRESS_STAFF]
    client = as_user(staff)
    location = _queued(client, django_capture_on_commit_callbacks, _form(f"r:{YUELU}"))["Location"]
    job = ExportJob.objects.get()
    assert job.region_code == YUELU and job.title == TITLE and job.row_count == 1
    assert job.filename.startswith(TITLE) and job.filename.endswith(".xlsx")
    client.get(f"{location}download/")
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("seq")
    assert [e.note for e in events] == [f"生成{TITLE}（1 行）", f"下载{TITLE}"]
    for event in events:
        assert event.actor == staff and event.region_code == YUELU
        assert event.object_id == str(job.pk) and event.object_label.startswith(jobs.BULLETIN)


def _move_to_the_other_county(user: Any) -> None:
    fields = membership_scope_fields(region=region(CHANGSHA_COUNTY), station=None)
    Membership.objects.filter(user=user).update(**fields)


def test_the_file_is_not_served_once_the_scope_is_no_longer_the_requesters(
    world: dict[str, Any], as_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    staff = world[YUELU]["users"][Role.CONGRESS_STAFF]
    client = as_user(staff)
    location = _queued(client, django_capture_on_commit_callbacks, _form(f"r:{YUELU}"))["Location"]
    _move_to_the_other_county(staff)
    assert client.get(f"{location}download/").status_code == 404
    assert not AuditEvent.objects.filter(note__startswith="下载").exists()


def test_the_worker_asks_for_the_scope_again_when_it_builds(
    world: dict[str, Any], as_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    staff = world[YUELU]["users"][Role.CONGRESS_STAFF]
    client = as_user(staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(EXPORT, _form(f"r:{YUELU}"))
    _move_to_the_other_county(staff)  # between the click and the worker's turn
    for callback in callbacks:
        callback()
    job = ExportJob.objects.get()
    assert job.status == JobStatus.FAILED and not job.file
    assert "no longer the requester's" in job.error  # refused, not a crash on a missing scope
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    assert "生成失败" in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()


def test_station_staff_get_their_stations_bulletin(
    world: dict[str, Any], as_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    station = world[YUELU]["station"]
    client = as_user(world[YUELU]["users"][Role.LIAISON_OFFICER])
    location = _queued(client, django_capture_on_commit_callbacks, _form(f"s:{station.pk}"))[
        "Location"
    ]
    job = ExportJob.objects.get()
    assert job.region_code == station.region_id and job.title.startswith(station.name)
    sheet = load_workbook(io.BytesIO(_content(client.get(f"{location}download/")))).active
    assert sheet is not None
    names = [r[1] for r in sheet.iter_rows(values_only=True)]
    assert world[YUELU]["deputy"].name in names


def test_a_job_of_an_unknown_format_fails_without_a_file(world: dict[str, Any]) -> None:
    from liaison.jobs.services import export_job_run

    staff = world[YUELU]["users"][Role.CONGRESS_STAFF]
    params = {**_form(f"r:{YUELU}"), "format": "pdf"}
    job = ExportJob.objects.create(kind=jobs.BULLETIN, params=params, title="x", created_by=staff)
    with pytest.raises(ValueError, match="unknown bulletin format"):
        export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.file
