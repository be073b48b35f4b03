"""The session's report and register built by the task worker as export jobs: who may queue one
and who may fetch it (every role of two counties), bad input answered in Chinese with nothing
queued, the session asked again when the file is built and when it is fetched, expiry."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from liaison.accounts.models import Membership, Role, User
from liaison.accounts.services import membership_scope_fields
from liaison.accounts.tests.factories import make_member
from liaison.audit.models import AuditAction, AuditEvent
from liaison.common.tests.migrations import assert_files_go_with_the_table
from liaison.jobs.models import ExportJob, JobStatus
from liaison.jobs.services import export_jobs_expire
from liaison.jobs.tests.matrix import ROLES, members_of_every_role
from liaison.regions.tests.factories import CHANGSHA_COUNTY, YUELU, region
from liaison.suggestions import jobs
from liaison.suggestions.models import Status
from liaison.suggestions.tests.factories import CongressSessionFactory, suggestion_in

pytestmark = pytest.mark.django_db


def _new(file: str) -> str:
    return reverse("suggestions:export_new", args=[file])


def _queued(client: Any, capture: Any, file: str, data: dict[str, Any]) -> ExportJob:
    """Ask as the report page's button does and let the (immediate) worker build it."""
    with capture(execute=True):
        response = client.post(_new(file), data)
    assert response.status_code == 302 and response["Location"].startswith("/staff/jobs/")
    return ExportJob.objects.get(pk=response["Location"].split("/")[-2])


@pytest.fixture
def world(station: Any, other_station: Any) -> dict[str, Any]:
    """In each county a session with one suggestion, and a user of every role."""
    rows: dict[str, Any] = {}
    for county, place in ((YUELU, station), (CHANGSHA_COUNTY, other_station)):
        session = CongressSessionFactory(congress_id=county)
        suggestion = suggestion_in(Status.SUBMITTED, session=session, title=f"{county}的建议")
        users = members_of_every_role(county=county, station=place)
        rows[county] = {"session": session, "suggestion": suggestion, "users": users}
    return rows


@pytest.mark.parametrize("file", sorted(jobs.FILES))
def test_every_role_of_two_counties_queues_only_a_session_it_reviews(
    world: dict[str, Any], as_user: Any, django_capture_on_commit_callbacks: Any, file: str
) -> None:
    """Each user asks for the file of 岳麓区's session: its congress staff get a job; the other
    county's staff are sent back to their own report page with a Chinese refusal; every other
    role 403."""
    session = world[YUELU]["session"]
    for county in (YUELU, CHANGSHA_COUNTY):
        for role in ROLES:
            client = as_user(world[county]["users"][role])
            if role == Role.CONGRESS_STAFF and county == YUELU:
                job = _queued(client, django_capture_on_commit_callbacks, file,
                              {"session": session.pk})  # fmt: skip
                assert job.kind == jobs.FILES[file][0] and job.status == JobStatus.DONE
                assert job.params == {"session": session.pk, "category": None}
                assert job.row_count == 1 and job.region_code == YUELU
                continue
            response = client.post(_new(file), {"session": session.pk}, follow=True)
            if role == Role.CONGRESS_STAFF:  # back to their own report page, told why
                assert response.redirect_chain == [(reverse("suggestions:report"), 302)]
                assert "该会次不在您的辖区" in response.content.decode()
            else:
                assert response.status_code == 403, (role, county)
    assert ExportJob.objects.count() == 1


def test_the_register_holds_the_requesters_county_only(
    world: dict[str, Any], as_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    for county, other in ((YUELU, CHANGSHA_COUNTY), (CHANGSHA_COUNTY, YUELU)):
        client = as_user(world[county]["users"][Role.CONGRESS_STAFF])
        session = world[county]["session"]
        job = _queued(client, django_capture_on_commit_callbacks, "register",
                      {"session": session.pk})  # fmt: skip
        content = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
        sheet = load_workbook(io.BytesIO(content)).active
        assert sheet is not None
        text = str(list(sheet.iter_rows(values_only=True)))
        assert world[county]["suggestion"].title in text
        assert world[other]["suggestion"].title not in text


@pytest.mark.parametrize("file", sorted(jobs.FILES))
def test_every_role_of_two_counties_may_not_see_or_fetch_anothers_file(
    world: dict[str, Any], as_user: Any, django_capture_on_commit_callbacks: Any, file: str
) -> None:
    owner = world[YUELU]["users"][Role.CONGRESS_STAFF]
    job = _queued(as_user(owner), django_capture_on_commit_callbacks, file,
                  {"session": world[YUELU]["session"].pk})  # fmt: skip
    colleague = make_member(Role.CONGRESS_STAFF, region=region(YUELU), username="colleague")
    detail = reverse("jobs:detail", args=[job.pk])
    download = reverse("jobs:download", args=[job.pk])
    others = [world[c]["users"][r] for c in (YUELU, CHANGSHA_COUNTY) for r in ROLES]
    for user in [*others, colleague]:
        expected = 200 if user == owner else 404
        client = as_user(user)
        assert client.get(detail).status_code == expected, user.username
        assert client.get(download).status_code == expected, user.username
    downloads = AuditEvent.objects.filter(action=AuditAction.EXPORT, note__startswith="下载")
    assert list(downloads.values_list("actor", flat=True)) == [owner.pk]


# --- bad input ---------------------------------------------------------------------------------


def test_a_get_never_queues(as_user: Any, county_staff: User, session: Any) -> None:
    response = as_user(county_staff).get(_new("report"), {"session": session.pk})
    assert response.status_code == 405
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize(
    ("file", "data", "message"),
    [
        ("bogus", {}, "请选择要生成的文件"),
        ("report", {}, "请选择会次。"),
        ("report", {"session": "abc"}, "该会次不在您的辖区"),
        ("register", {"category": "999999"}, "所选分类不存在"),
    ],
)
def test_bad_input_is_answered_in_chinese_and_nothing_is_queued(
    as_user: Any, county_staff: User, session: Any, file: str, data: dict[str, Any], message: str
) -> None:
    data = {"session": session.pk, **data} if "session" not in data and data else data
    response = as_user(county_staff).post(_new(file), data, follow=True)
    assert response.redirect_chain[0][0] == reverse("suggestions:report")
    assert message in response.content.decode()
    assert not ExportJob.objects.exists()


def test_staff_without_any_session_get_404_as_on_the_report_page(
    as_user: Any, other_county_staff: User, session: Any
) -> None:
    response = as_user(other_county_staff).post(_new("report"), {"session": session.pk})
    assert response.status_code == 404
    assert not ExportJob.objects.exists()


def test_another_countys_session_is_refused_in_chinese(
    as_user: Any, county_staff: User, session: Any, changsha_county: Any
) -> None:
    elsewhere = CongressSessionFactory(congress_id=CHANGSHA_COUNTY)
    response = as_user(county_staff).post(_new("register"), {"session": elsewhere.pk}, follow=True)
    assert "该会次不在您的辖区" in response.content.decode()
    assert not ExportJob.objects.exists()


# --- the scope asked again, expiry -------------------------------------------------------------


def _move_to_the_other_county(user: User) -> None:
    fields = membership_scope_fields(region=region(CHANGSHA_COUNTY), station=None)
    Membership.objects.filter(user=user).update(**fields)


def test_the_file_is_not_served_once_the_session_is_not_the_requesters(
    as_user: Any, county_staff: User, session: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = as_user(county_staff)
    job = _queued(client, django_capture_on_commit_callbacks, "report", {"session": session.pk})
    _move_to_the_other_county(county_staff)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert not AuditEvent.objects.filter(note__startswith="下载").exists()


def test_the_worker_asks_for_the_session_again_when_it_builds(
    as_user: Any, county_staff: User, session: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = as_user(county_staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(_new("register"), {"session": session.pk})
    _move_to_the_other_county(county_staff)  # between the click and the worker's turn
    for callback in callbacks:
        callback()
    job = ExportJob.objects.get()
    assert job.status == JobStatus.FAILED and not job.file
    assert "no longer in the requester's review scope" in job.error
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_category_chosen_on_the_page_filters_the_file(
    as_user: Any, county_staff: User, session: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from liaison.taxonomy.models import Category

    roads = Category.objects.create(path="交通运输", name="交通运输", level=1)
    suggestion_in(Status.SUBMITTED, session=session, category=roads, title="修路的建议")
    suggestion_in(Status.SUBMITTED, session=session, title="别的建议")
    client = as_user(county_staff)
    job = _queued(client, django_capture_on_commit_callbacks, "register",
                  {"session": session.pk, "category": roads.pk})  # fmt: skip
    assert job.params["category"] == roads.pk and job.title.endswith(" · 交通运输）")
    content = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    text = str(list(sheet.iter_rows(values_only=True)))
    assert "修路的建议" in text and "别的建议" not in text and job.row_count == 1


def test_the_file_expires_and_the_page_says_so(
    as_user: Any,
    county_staff: User,
    session: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = as_user(county_staff)
    job = _queued(client, django_capture_on_commit_callbacks, "register", {"session": session.pk})
    later = timezone.now() + datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS + 1)
    assert export_jobs_expire(now=later) == 1
    job.refresh_from_db()
    assert not job.file
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert "已超过保存期限" in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()


# --- the old job model's files -----------------------------------------------------------------

BEFORE = ("suggestions", "0003_sources_receptions_activities_unrated_exports")
AFTER = ("suggestions", "0004_suggestion_export_moved_to_jobs")


# Schema changes on SQLite cannot run inside the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_the_migration_deletes_the_old_models_files(county_staff: User, session: Any) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    def rows(model: Any) -> list[str]:
        name = default_storage.save("exports/suggestions_register_old.xlsx", ContentFile(b"PK"))
        for file in (name, ""):
            model.objects.create(
                kind="register", session_id=session.pk, created_by_id=county_staff.pk, file=file
            )
        return [name]

    assert_files_go_with_the_table(before=BEFORE, after=AFTER, model="SuggestionExport", rows=rows)


# --- the service and the builder alone ---------------------------------------------------------


def test_the_request_refuses_a_session_outside_the_actors_review_scope(
    other_county_staff: User, session: Any
) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        jobs.suggestion_file_request(actor=other_county_staff, file="report", session=session)
    assert not ExportJob.objects.exists()


def test_a_job_whose_session_is_gone_fails_without_a_file(county_staff: User, session: Any) -> None:
    from django.core.exceptions import PermissionDenied

    from liaison.jobs.services import export_job_run

    job = ExportJob.objects.create(
        kind=jobs.REPORT, params={"session": 0, "category": None}, title="x",
        region_code=YUELU, created_by=county_staff,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.file


def test_the_register_reports_its_progress_as_rows_are_written(
    county_staff: User, session: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 1)
    for _n in range(4):
        suggestion_in(Status.SUBMITTED, session=session)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.suggestion_file_request(actor=county_staff, file="register", session=session)
    steps: list[int] = []
    job.refresh_from_db()
    jobs._build_register(job, steps.append)
    assert steps == [10, 30, 50, 70, 90]  # 10 % when counted, then 10 → 90 % over the rows
    assert job.status == JobStatus.DONE and job.row_count == 4 and job.progress == 100
