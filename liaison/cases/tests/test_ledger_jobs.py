"""民意台账 built by the task worker as an export job (decision 0044): the columns, rows within
the requester's scope and period, masking, who may queue one and who may fetch it (every role of
two counties), bad input answered in Chinese with nothing queued, the audit rows (the masking
choice and the requester's address among them), the scope asked again when the file is built and
when it is fetched, expiry and the offer to export again."""

from __future__ import annotations

import contextvars
import datetime
import io
from typing import Any

import pytest
from django.tasks import default_task_backend
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from liaison.accounts.models import Membership, Role
from liaison.accounts.services import membership_scope_fields
from liaison.accounts.tests.factories import make_member
from liaison.audit.models import AuditAction, AuditEvent
from liaison.cases import jobs
from liaison.cases.exports import LEDGER_COLUMNS
from liaison.cases.models import Status
from liaison.cases.tests.factories import CaseFactory, HandlingUnitFactory, case_in
from liaison.common.tests.migrations import assert_files_go_with_the_table
from liaison.jobs.models import ExportJob, JobStatus
from liaison.jobs.services import export_jobs_expire, run_export_job
from liaison.jobs.tests.matrix import ROLES, STAFF, members_of_every_role
from liaison.regions.tests.factories import CHANGSHA_COUNTY, YUELU, region

pytestmark = pytest.mark.django_db

EXPORT = "/staff/cases/export/"
HEADERS = [
    "序号", "编号", "日期", "渠道", "联络站", "反映人", "内容", "分类", "分类来源", "承办单位",
    "答复", "办理结果", "评价",
]  # fmt: skip
WORKERS = STAFF


def _period(**over: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data = {
        "date_from": (today - datetime.timedelta(days=30)).isoformat(),
        "date_to": today.isoformat(),
        "mask_person": "on",
    }
    data.update(over)
    return data


def _title(scope: str) -> str:
    today = timezone.localdate()
    return f"民意台账（{scope}，{today - datetime.timedelta(days=30)} 至 {today}）"


def _queued(client: Any, capture: Any, **over: Any) -> ExportJob:
    """Queue as the page's button does and let the (immediate) worker build it."""
    with capture(execute=True):
        response = client.post(EXPORT, _period(**over))
    assert response.status_code == 302, response.content.decode()[:300]
    assert response["Location"].startswith("/staff/jobs/")
    job = ExportJob.objects.get(pk=response["Location"].split("/")[-2])
    assert job.kind == jobs.LEDGER
    return job


def _rows(client: Any, job: ExportJob) -> list[list[Any]]:
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_the_url_is_the_one_the_tests_post_to() -> None:
    assert reverse("cases:export") == EXPORT


def test_columns_declared_once() -> None:
    assert [c.header for c in LEDGER_COLUMNS] == HEADERS


def test_ledger_rows_masked_and_scoped(
    as_user: Any,
    station: Any,
    other_station: Any,
    county_staff: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    unit = HandlingUnitFactory(name="岳麓区城管局")
    case = case_in(
        Status.EVALUATED,
        station=station,
        unit=unit,
        contact_name="王小明",
        contact_phone="13812345678",
        content="电话 13912345678 的邻居也反映过",
    )
    CaseFactory(station=other_station, region_id=other_station.region_id, title="长沙县的件")
    CaseFactory(station=station, submitted_at=timezone.now() - datetime.timedelta(days=90))
    client = as_user(county_staff)
    job = _queued(client, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE and job.row_count == 1
    assert job.title == f"{_title('全部辖区')}（反映人已脱敏）"
    today = timezone.localdate()
    assert (
        job.filename == f"民意台账_{today - datetime.timedelta(days=30):%Y%m%d}-{today:%Y%m%d}.xlsx"
    )
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "已完成" in page and f'<a href="{EXPORT}"' in page
    rows = _rows(client, job)
    assert rows[0][0] == _title("全部辖区")
    assert rows[1] == HEADERS
    row = dict(zip(HEADERS, rows[2], strict=True))
    assert row["序号"] == 1
    assert row["编号"] == case.tracking_code
    assert row["反映人"] == "王** 138****5678"
    assert "13912345678" not in row["内容"]
    assert "139****5678" in row["内容"]
    assert row["联络站"] == station.name  # the register says where it was raised (issue 11)
    assert row["承办单位"] == "岳麓区城管局"
    assert row["评价"] == "满意"
    assert row["办理结果"] == "已评价"
    assert row["答复"]
    assert len(rows) == 3
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(job.pk)).count() == 2


def test_rows_keep_their_order_and_numbers(
    as_user: Any, station: Any, county_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    now = timezone.now()
    later = CaseFactory(station=station, submitted_at=now - datetime.timedelta(hours=1))
    earlier = CaseFactory(station=station, submitted_at=now - datetime.timedelta(days=2))
    client = as_user(county_staff)
    rows = _rows(client, _queued(client, django_capture_on_commit_callbacks, region=YUELU))
    assert rows[0][0] == _title("岳麓区")
    assert [r[:2] for r in rows[2:]] == [[1, earlier.tracking_code], [2, later.tracking_code]]


def test_every_kind_of_row_reads_as_the_old_ledger_and_progress_is_reported(
    as_user: Any,
    station: Any,
    county_staff: Any,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from liaison.cases import exports
    from liaison.cases.models import DeclineReason

    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)  # a report after every row
    now = timezone.now()
    primary = CaseFactory(station=station, submitted_at=now - datetime.timedelta(hours=6))
    made = [
        CaseFactory(station=station, is_anonymous=True, contact_name="",
                    submitted_at=now - datetime.timedelta(hours=5)),
        CaseFactory(station=station, personal_data_purged_at=now, contact_name="",
                    submitted_at=now - datetime.timedelta(hours=4)),
        CaseFactory(station=None, region_id=station.region_id,
                    submitted_at=now - datetime.timedelta(hours=3)),
        case_in(Status.DECLINED, station=station, decline_reason=DeclineReason.LITIGATION,
                submitted_at=now - datetime.timedelta(hours=2)),
        case_in(Status.MERGED, station=station, merged_into=primary,
                submitted_at=now - datetime.timedelta(hours=1)),
        case_in(Status.ASSIGNED, station=station, reopen_count=2, submitted_at=now),
    ]  # fmt: skip
    client = as_user(county_staff)
    job = _queued(client, django_capture_on_commit_callbacks, region=YUELU)
    assert job.row_count == 7
    # The builder hears the share written (the jobs app stores it for the page).
    steps: list[int] = []
    today = timezone.localdate()
    cases = exports.ledger_cases(
        county_staff, date_from=today - datetime.timedelta(days=30), date_to=today
    )
    exports.ledger_xlsx(cases, mask=True, title="台账", progress=steps.append)
    assert steps == [14, 28, 42, 57, 71, 85, 100]
    rows = {r[1]: dict(zip(HEADERS, r, strict=True)) for r in _rows(client, job)[2:]}
    anonymous, purged, no_station, declined, merged, reopened = (
        rows[c.tracking_code] for c in made
    )
    assert anonymous["反映人"] == "匿名" and purged["反映人"] == "（已按期清除）"
    assert no_station["联络站"].startswith("（未指定联络站，属")
    assert declined["办理结果"] == "不予受理：已进入诉讼、仲裁等法定程序"
    assert merged["办理结果"] == f"已合并：{primary.tracking_code}"
    assert reopened["办理结果"].endswith("（重办 2 次）")


def test_an_empty_post_is_answered_with_the_fields_errors(as_user: Any, county_staff: Any) -> None:
    response = as_user(county_staff).post(EXPORT, {})
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_unmasked_export_when_asked_and_the_audit_says_so(
    as_user: Any, station: Any, county_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    CaseFactory(station=station, contact_name="王小明", contact_phone="13812345678")
    client = as_user(county_staff)
    job = _queued(client, django_capture_on_commit_callbacks, mask_person="")
    assert job.params["mask_person"] is False
    row = _rows(client, job)[2]
    assert row[HEADERS.index("反映人")] == "王小明 13812345678"
    notes = list(
        AuditEvent.objects.filter(action=AuditAction.EXPORT)
        .order_by("seq")
        .values_list("note", flat=True)
    )
    title = f"{_title('全部辖区')}（含完整反映人信息）"
    assert notes == [f"生成{title}（1 行）", f"下载{title}"]


def test_export_region_must_be_in_scope(as_user: Any, county_staff: Any) -> None:
    response = as_user(county_staff).post(EXPORT, _period(region=CHANGSHA_COUNTY))
    assert response.status_code == 400
    assert "该区划不在您的辖区。" in response.content.decode()
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"date_from": ""}, {"date_to": "2026-02-30"}, {"date_from": "昨天"},
        {"region": "99"}, {"region": "4301040000001"},
    ],
)  # fmt: skip
def test_bad_input_is_answered_in_chinese_and_nothing_is_queued(
    as_user: Any, county_staff: Any, bad: dict[str, Any]
) -> None:
    response = as_user(county_staff).post(EXPORT, _period(**bad))
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not ExportJob.objects.exists()


def test_a_reversed_period_is_answered_in_chinese(as_user: Any, county_staff: Any) -> None:
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    response = as_user(county_staff).post(
        EXPORT, _period(date_from=today.isoformat(), date_to=yesterday.isoformat())
    )
    assert response.status_code == 400
    assert "结束日期不能早于开始日期。" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_export_request_refuses_and_records_nothing(county_staff: Any, system_admin: Any) -> None:
    from django.core.exceptions import ValidationError

    today = timezone.localdate()
    with pytest.raises(ValidationError) as outside:
        jobs.ledger_export_request(
            actor=county_staff, date_from=today, date_to=today, region=region(CHANGSHA_COUNTY)
        )
    assert "region" in outside.value.message_dict
    with pytest.raises(ValidationError) as reversed_period:
        jobs.ledger_export_request(
            actor=county_staff, date_from=today, date_to=today - datetime.timedelta(days=1)
        )
    assert "date_to" in reversed_period.value.message_dict
    with pytest.raises(ValidationError) as clear_names:
        jobs.ledger_export_request(
            actor=system_admin, date_from=today, date_to=today, mask_person=False
        )
    assert "mask_person" in clear_names.value.message_dict
    assert not ExportJob.objects.exists()


def test_a_get_never_queues(as_user: Any, county_staff: Any) -> None:
    response = as_user(county_staff).get(EXPORT, _period())
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert not ExportJob.objects.exists()


def test_export_form_offers_this_month(as_user: Any, county_staff: Any) -> None:
    """The date inputs carry ISO values (what <input type="date"> reads), this month to today."""
    today = timezone.localdate()
    html = as_user(county_staff).get(EXPORT).content.decode()
    assert f'name="date_from" value="{today.replace(day=1).isoformat()}"' in html
    assert f'name="date_to" value="{today.isoformat()}"' in html
    assert 'method="post"' in html


# --- every role of two counties --------------------------------------------------------------


@pytest.fixture
def world(station: Any, other_station: Any) -> dict[str, Any]:
    """In each county a station with one case of this week, and a user of every role."""
    rows: dict[str, Any] = {}
    for county, place in ((YUELU, station), (CHANGSHA_COUNTY, other_station)):
        case = CaseFactory(station=place, region_id=place.region_id, title=f"{county}的件")
        users = members_of_every_role(county=county, station=place)
        rows[county] = {"station": place, "case": case, "users": users}
    return rows


def test_every_role_of_two_counties_queues_only_its_own_ledger(
    world: dict[str, Any], as_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Each user asks for the ledger of all their jurisdiction: the staff who work cases get a
    file holding their county's case only; every other role 403 and nothing queued."""
    queued = 0
    for county in (YUELU, CHANGSHA_COUNTY):
        other = CHANGSHA_COUNTY if county == YUELU else YUELU
        for role in ROLES:
            client = as_user(world[county]["users"][role])
            if role not in WORKERS:
                assert client.post(EXPORT, _period()).status_code == 403, (role, county)
                continue
            job = _queued(client, django_capture_on_commit_callbacks)
            queued += 1
            assert job.created_by == world[county]["users"][role] and job.row_count == 1
            codes = [r[1] for r in _rows(client, job)[2:]]
            assert codes == [world[county]["case"].tracking_code], (role, county)
            assert world[other]["case"].tracking_code not in codes
    assert ExportJob.objects.count() == queued == 2 * len(WORKERS)


def test_every_role_of_two_counties_asking_for_yuelu_by_region(
    world: dict[str, Any], as_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A region's ledger: only the county staff holding that region get a job; station staff
    and the other county's staff a Chinese refusal; other roles 403."""
    for county in (YUELU, CHANGSHA_COUNTY):
        for role in ROLES:
            client = as_user(world[county]["users"][role])
            if role == Role.CONGRESS_STAFF and county == YUELU:
                job = _queued(client, django_capture_on_commit_callbacks, region=YUELU)
                assert job.region_code == YUELU and job.row_count == 1
                continue
            response = client.post(EXPORT, _period(region=YUELU))
            if role in WORKERS:
                assert response.status_code == 400, (role, county)
                assert "该区划不在您的辖区。" in response.content.decode()
            else:
                assert response.status_code == 403, (role, county)
    assert ExportJob.objects.count() == 1


@pytest.mark.parametrize("owner_role", sorted(WORKERS))
def test_every_role_of_two_counties_may_not_see_or_fetch_anothers_ledger(
    world: dict[str, Any], as_user: Any, django_capture_on_commit_callbacks: Any, owner_role: str
) -> None:
    owner = world[YUELU]["users"][owner_role]
    job = _queued(as_user(owner), django_capture_on_commit_callbacks)
    detail = reverse("jobs:detail", args=[job.pk])
    download = reverse("jobs:download", args=[job.pk])
    for county in (YUELU, CHANGSHA_COUNTY):
        for role in ROLES:
            user = world[county]["users"][role]
            client = as_user(user)
            expected = 200 if user == owner else 404
            assert client.get(detail).status_code == expected, (role, county)
            assert client.get(download).status_code == expected, (role, county)
    downloads = AuditEvent.objects.filter(action=AuditAction.EXPORT, note__startswith="下载")
    assert list(downloads.values_list("actor", flat=True)) == [owner.pk]


# --- the scope asked again -------------------------------------------------------------------


def _move_to_the_other_county(user: Any) -> None:
    fields = membership_scope_fields(region=region(CHANGSHA_COUNTY), station=None)
    Membership.objects.filter(user=user).update(**fields)


def test_a_regions_ledger_is_not_served_once_the_region_is_not_the_requesters(
    as_user: Any, station: Any, county_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    CaseFactory(station=station)
    client = as_user(county_staff)
    job = _queued(client, django_capture_on_commit_callbacks, region=YUELU, mask_person="")
    _move_to_the_other_county(county_staff)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert not AuditEvent.objects.filter(note__startswith="下载").exists()


def test_a_whole_scope_ledger_is_not_served_after_a_change_of_post_or_without_work_roles(
    as_user: Any, station: Any, county_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = as_user(county_staff)
    job = _queued(client, django_capture_on_commit_callbacks)
    url = reverse("jobs:download", args=[job.pk])
    assert client.get(url).status_code == 200
    # A new post granted after the request: the file is of the old jurisdiction.
    make_member(Role.LIAISON_OFFICER, user=county_staff, station=station)
    assert client.get(url).status_code == 404
    Membership.objects.filter(user=county_staff).delete()
    make_member(Role.DEPUTY, user=county_staff, station=station)  # no work role left
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now())
    assert client.get(url).status_code in (403, 404)
    fresh = type(county_staff).objects.get(pk=county_staff.pk)
    assert not jobs.downloadable(ExportJob.objects.get(pk=job.pk), fresh)


def test_the_worker_asks_for_the_scope_again_when_it_builds(
    as_user: Any, station: Any, county_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    CaseFactory(station=station)
    client = as_user(county_staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(EXPORT, _period(region=YUELU))
    _move_to_the_other_county(county_staff)  # between the click and the worker's turn
    for callback in callbacks:
        callback()
    job = ExportJob.objects.get()
    assert job.status == JobStatus.FAILED and not job.file
    assert "no longer the requester's" in job.error  # refused, not a crash on a missing scope
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_build_is_audited_under_the_requesters_address(
    as_user: Any,
    county_staff: Any,
    station: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case_in(Status.ACCEPTED, station=station)
    # A queue that only stores the task, as the database queue does until the worker takes it.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(county_staff).post(EXPORT, _period(region=YUELU), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == JobStatus.PENDING
    [queued] = default_task_backend.results  # type: ignore[attr-defined]
    # The worker: another process, with no request and so no address in its context.
    contextvars.Context().run(run_export_job.call, *queued.args, **queued.kwargs)
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_id=str(job.pk))
    assert event.ip == "10.1.2.3" and event.region_code == YUELU and event.actor == county_staff


# --- expiry ----------------------------------------------------------------------------------


def test_an_expired_ledger_in_the_list_offers_a_new_export_with_the_same_conditions(
    as_user: Any,
    station: Any,
    county_staff: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    CaseFactory(station=station)
    client = as_user(county_staff)
    job = _queued(client, django_capture_on_commit_callbacks, region=YUELU, mask_person="")
    html = client.get(EXPORT).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in html and job.title in html
    later = timezone.now() + datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS)
    assert export_jobs_expire(now=later) == 1
    html = client.get(EXPORT).content.decode()
    assert "已过期，按相同条件重新导出" in html
    assert reverse("jobs:download", args=[job.pk]) not in html
    assert f'name="region" value="{YUELU}"' in html
    assert 'name="mask_person"' not in html.split("我的导出")[1]  # it was exported in clear
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "已超过保存期限" in page
    # The offered form exports again with the same conditions.
    again = _queued(client, django_capture_on_commit_callbacks, region=YUELU, mask_person="")
    assert again.params == job.params and again.pk != job.pk


# --- the old job model's files -----------------------------------------------------------------

BEFORE = ("cases", "0023_station_history_index")
AFTER = ("cases", "0024_ledger_export_moved_to_jobs")


# Schema changes on SQLite cannot run inside the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_the_migration_deletes_the_old_models_files(county_staff: Any) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    def rows(model: Any) -> list[str]:
        name = default_storage.save("exports/minyi_taizhang_old.xlsx", ContentFile(b"PK"))
        today = timezone.localdate()
        for file in (name, ""):
            model.objects.create(
                created_by_id=county_staff.pk, date_from=today, date_to=today, file=file
            )
        return [name]

    assert_files_go_with_the_table(before=BEFORE, after=AFTER, model="LedgerExport", rows=rows)
