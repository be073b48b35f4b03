"""Files built by the task worker (the jobs app, decision 0044), every registered kind: a job's
page and file answer only its requester, while the kind says the scope is still theirs; every
other persona of either county gets 404 and no audit row; the file goes out sandboxed.

A new kind must be added to PARAMS: the first test fails until it is."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.models import Membership
from liaison.audit.models import AuditAction, AuditEvent
from liaison.common.uploads import CONTENT_TYPES
from liaison.jobs.models import ExportJob, JobStatus
from liaison.jobs.registry import job_kinds
from liaison.regions.tests.factories import CHANGSHA_COUNTY, YUELU, YUELU_STREET, region
from liaison.stations.tests.factories import StationFactory

pytestmark = pytest.mark.django_db

# Per kind: parameters of a job of 岳麓区 asked for by its county staff, and the file's type.
PARAMS: dict[str, tuple[dict[str, Any], str]] = {
    "activities.register": (
        {"register": "training", "year": 2026, "station": None, "region": YUELU}, "xlsx",
    ),
    "archives.station_year": ({"station": "a station of 岳麓区", "year": 2026}, "zip"),
    "grids.register": ({"query": ""}, "xlsx"),
    "grids.coverage": ({"show": "posts", "query": ""}, "xlsx"),
    "cases.ledger": (
        {"date_from": "2026-01-01", "date_to": "2026-01-31", "region": YUELU, "mask_person": True},
        "xlsx",
    ),
    "suggestions.register": ({"session": 1, "category": None}, "xlsx"),
    "suggestions.report": ({"session": 1, "category": None}, "docx"),
    "points.bulletin": (
        {"scope": f"r:{YUELU}", "year": 2026, "quarter": 1, "format": "docx"}, "docx",
    ),
    "receptions.register": ({"region": YUELU, "year": 2026}, "xlsx"),
}  # fmt: skip
OTHERS = [
    "other_county_staff", "station_head", "station_officer", "deputy_user", "system_admin",
    "security_admin", "auditor", "platform_admin",
]  # fmt: skip


def test_every_registered_kind_is_tried_here() -> None:
    assert [k for k in job_kinds() if not k.startswith("test.")] == sorted(PARAMS)


def _built(kind: str, user: Any) -> ExportJob:
    params, extension = PARAMS[kind]
    if kind == "archives.station_year":  # the job names a station by its pk: make one
        params = {**params, "station": StationFactory.create(region_id=YUELU_STREET).pk}
    job = ExportJob.objects.create(
        kind=kind, params=params, title="岳麓区的文件", region_code=YUELU, created_by=user,
        status=JobStatus.DONE, progress=100, filename=f"岳麓区的文件.{extension}", row_count=1,
        finished_at=timezone.now(),
    )  # fmt: skip
    job.file.save(f"{kind}_test.{extension}", ContentFile(b"PK\x03\x04"), save=True)
    return job


def _exports() -> int:
    return AuditEvent.objects.filter(action=AuditAction.EXPORT).count()


@pytest.mark.parametrize("kind", sorted(PARAMS))
def test_only_the_requester_sees_and_fetches_a_job_of_every_kind(
    request: Any, as_user: Any, county_staff: Any, kind: str
) -> None:
    job = _built(kind, county_staff)
    detail = reverse("jobs:detail", args=[job.pk])
    download = reverse("jobs:download", args=[job.pk])
    for url in (detail, download):
        assert "/login" in Client().get(url)["Location"]
    for persona in OTHERS:
        client = as_user(request.getfixturevalue(persona))
        assert client.get(detail).status_code == 404, persona
        assert client.get(download).status_code == 404, persona
    assert _exports() == 0
    owner = as_user(county_staff)
    assert owner.get(detail).status_code == 200
    response = owner.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES[PARAMS[kind][1]]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["Content-Disposition"].startswith("attachment")
    assert _exports() == 1


@pytest.mark.parametrize("kind", sorted(PARAMS))
def test_a_job_of_every_kind_is_refused_once_its_scope_is_not_the_requesters(
    as_user: Any, county_staff: Any, changsha_county: Any, kind: str
) -> None:
    job = _built(kind, county_staff)
    Membership.objects.filter(user=county_staff).update(region=region(CHANGSHA_COUNTY))
    assert as_user(county_staff).get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert _exports() == 0
