"""Export jobs: queued, built by the worker with progress, shown and served to their requester
only while the kind says the scope is still theirs, failed visibly, expired."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.audit.models import AuditAction, AuditEvent
from liaison.jobs import services
from liaison.jobs.models import ExportJob, JobStatus
from liaison.jobs.registry import Built, JobKind, Progress, job_kind_register

pytestmark = pytest.mark.django_db

ALLOWED: set[int] = set()
STEPS: list[int] = []


def _build(job: ExportJob, progress: Progress) -> Built:
    if job.params.get("fail"):
        raise RuntimeError("磁盘已满")
    for percent in (10, 10, 50):
        progress(percent)
    return Built(b"PK-not-really", "测试台账_2026.xlsx", 3)


def _downloadable(job: ExportJob, user: Any) -> bool:
    return user.pk in ALLOWED


@pytest.fixture(autouse=True)
def kind() -> Iterator[None]:
    job_kind_register("test.register", JobKind("测试台账", _build, _downloadable))
    ALLOWED.clear()
    yield


def _queued(user: Any, capture: Any, **params: Any) -> ExportJob:
    with capture(execute=True):
        job = services.export_job_request(
            actor=user, kind="test.register", params=params, title="测试台账（2026 年）",
            region_code="430104000000",
        )  # fmt: skip
    job.refresh_from_db()
    return job


def test_a_job_is_built_by_the_worker_and_audited(
    county_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = _queued(county_staff, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE and job.progress == 100 and job.row_count == 3
    assert job.file.read() == b"PK-not-really" and job.filename == "测试台账_2026.xlsx"
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == county_staff and "3 行" in event.note
    assert event.region_code == "430104000000"


def test_an_unknown_kind_is_refused_before_anything_is_written(county_staff: Any) -> None:
    with pytest.raises(KeyError):
        services.export_job_request(actor=county_staff, kind="nope", params={}, title="x")
    assert not ExportJob.objects.exists()


def test_a_failure_is_recorded_and_shown(
    as_user: Any, county_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = _queued(county_staff, django_capture_on_commit_callbacks, fail=True)  # the worker logs
    assert job.status == JobStatus.FAILED and "磁盘已满" in job.error
    page = as_user(county_staff).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "生成失败" in page and "磁盘已满" not in page  # the cause is for the log, not the page


def test_a_waiting_job_reloads_its_page_and_shows_progress(as_user: Any, county_staff: Any) -> None:
    job = ExportJob.objects.create(
        kind="test.register", title="测试台账", created_by=county_staff, progress=40,
        status=JobStatus.RUNNING,
    )  # fmt: skip
    page = as_user(county_staff).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert 'value="40"' in page and "生成中" in page
    assert "<script" not in page.split("</head>")[0].split("<meta http-equiv")[1]


def test_only_the_requester_sees_and_fetches_and_only_while_allowed(
    as_user: Any, county_staff: Any, other_county_staff: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    job = _queued(county_staff, django_capture_on_commit_callbacks)
    detail, download = (reverse(f"jobs:{n}", args=[job.pk]) for n in ("detail", "download"))
    other = as_user(other_county_staff)
    assert other.get(detail).status_code == 404 and other.get(download).status_code == 404
    ALLOWED.add(other_county_staff.pk)  # even if their scope would allow it: not their job
    assert other.get(download).status_code == 404
    owner = as_user(county_staff)
    assert owner.get(download).status_code == 404  # the kind says the scope is gone
    ALLOWED.add(county_staff.pk)
    response = owner.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"PK-not-really"
    assert "attachment" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, note__contains="下载").count() == 1


def test_files_past_retention_are_deleted_and_the_page_says_so(
    as_user: Any, county_staff: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = _queued(county_staff, django_capture_on_commit_callbacks)
    later = timezone.now() + datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS + 1)
    assert services.export_jobs_expire(now=later) == 1
    assert services.export_jobs_expire(now=later) == 0
    job.refresh_from_db()
    assert not job.file and job.status == JobStatus.DONE
    ALLOWED.add(county_staff.pk)
    client = as_user(county_staff)
    assert "已超过保存期限" in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client: Any, county_staff: Any) -> None:
    job = ExportJob.objects.create(kind="test.register", title="x", created_by=county_staff)
    response = client.get(reverse("jobs:detail", args=[job.pk]))
    assert response.status_code == 302 and "/login" in response["Location"]
