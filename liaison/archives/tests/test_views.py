"""Who may open which page (every role of both counties), bad input in Chinese that changes
nothing, lists paginated in a fixed number of queries, the zip (an export job) served to its
requester only."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from liaison.activities.models import Status
from liaison.activities.tests.factories import activity_in
from liaison.archives import jobs
from liaison.archives.tests.conftest import YEAR, on
from liaison.audit.models import AuditEvent
from liaison.cases.tests.factories import HandlingUnitFactory, make_unit_staff
from liaison.deputies.tests.factories import DeputyFactory, StationDeputyFactory
from liaison.jobs.models import ExportJob, JobStatus

pytestmark = pytest.mark.django_db

PERSONAS = [
    "station_officer",
    "station_head",
    "county_staff",
    "other_county_staff",
    "deputy_user",
    "unit_staff",
    "system_admin",
    "security_admin",
    "auditor",
]
STAFF = {"station_officer", "station_head", "county_staff", "other_county_staff"}
# The file of 张代表 (岳麓街道): staff whose scope reaches the deputy, and the deputy.
FILE_READERS = {"station_officer", "station_head", "county_staff", "deputy_user"}


@pytest.fixture
def unit_staff(yuelu: Any) -> Any:
    return make_unit_staff(HandlingUnitFactory(region=yuelu), username="unit_staff")


@pytest.fixture
def job(filed: Any, county_staff: Any, django_capture_on_commit_callbacks: Any) -> ExportJob:
    with django_capture_on_commit_callbacks(execute=True):
        export = jobs.station_year_export_request(
            actor=county_staff, station=filed.station, year=YEAR
        )
    export.refresh_from_db()
    return export


def _expected(page: str, persona: str) -> int:
    if page in ("index", "station_year"):
        return 200 if persona in STAFF else 403
    if page in ("file", "file_docx", "file_pdf"):
        if persona in FILE_READERS:
            return 200
        return 404 if persona == "other_county_staff" else 403
    if page == "mine":
        return {"deputy_user": 302}.get(persona, 404 if persona in STAFF else 403)
    # The zip of county_staff's request (the jobs app's pages): theirs alone, nobody else's.
    return 200 if persona == "county_staff" else 404


PAGES = ["index", "station_year", "file", "file_docx", "file_pdf", "mine", "job", "job_download"]
URLS = {"job": "jobs:detail", "job_download": "jobs:download"}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_opens_which_page(
    page: str, persona: str, request: Any, filed: Any, job: Any, as_user: Any
) -> None:
    args = {"file": [filed.deputy.pk], "file_docx": [filed.deputy.pk],
            "file_pdf": [filed.deputy.pk], "job": [job.pk], "job_download": [job.pk]}  # fmt: skip
    url = reverse(URLS.get(page, f"archives:{page}"), args=args.get(page, []))
    before = AuditEvent.objects.filter(action="export").count()
    response = as_user(request.getfixturevalue(persona)).get(url, {"year": YEAR})
    assert response.status_code == _expected(page, persona)
    downloads = page in ("file_docx", "file_pdf", "job_download") and response.status_code == 200
    assert AuditEvent.objects.filter(action="export").count() == before + int(downloads)


def test_a_deputy_sees_only_their_own_file(filed: Any, deputy_user: Any, as_user: Any) -> None:
    colleague = DeputyFactory(name="李代表")
    StationDeputyFactory(station=filed.station, deputy=colleague)
    client = as_user(deputy_user)
    assert client.get(reverse("archives:file", args=[colleague.pk])).status_code == 404
    mine = client.get(reverse("archives:mine"), follow=True)
    assert "张代表代表履职档案" in mine.content.decode()


def test_file_page_switches_year_and_explains_a_bad_one(
    filed: Any, station_officer: Any, as_user: Any
) -> None:
    client = as_user(station_officer)
    url = reverse("archives:file", args=[filed.deputy.pk])
    this = client.get(url, {"year": YEAR}).content.decode()
    assert "老旧小区加装电梯调研" in this and "前年的河道巡查" not in this
    earlier = client.get(url, {"year": YEAR - 1}).content.decode()
    assert "前年的河道巡查" in earlier and "老旧小区加装电梯调研" not in earlier
    bad = client.get(url, {"year": "20x5"})
    assert bad.status_code == 200
    assert "年度“20x5”不正确" in bad.content.decode()
    pdf = reverse("archives:file_pdf", args=[filed.deputy.pk])
    refused = client.get(pdf, {"year": "1999"}, follow=True)
    assert refused.redirect_chain == [(url, 302)]
    assert "年度“1999”不正确" in refused.content.decode()


def test_file_page_queries_do_not_grow_with_records(
    filed: Any, county_staff: Any, as_user: Any, django_assert_max_num_queries: Any
) -> None:
    client = as_user(county_staff)
    url = reverse("archives:file", args=[filed.deputy.pk])
    client.get(url, {"year": YEAR})
    # Eleven sections read nine apps (the points one ranks the deputy in three scopes); the
    # count is fixed, whatever the records (below).
    with django_assert_max_num_queries(26) as few:
        client.get(url, {"year": YEAR})
    for n in range(12):
        activity_in(
            Status.VERIFIED, station=filed.station, attended=[filed.deputy],
            title=f"走访{n}", starts_at=on(10, n + 1), ends_at=on(10, n + 1, 12),
        )  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"year": YEAR})
    assert "走访11" in response.content.decode()


def test_index_is_paginated_in_fixed_queries(
    filed: Any, county_staff: Any, as_user: Any, django_assert_max_num_queries: Any
) -> None:
    client = as_user(county_staff)
    url = reverse("archives:index")
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(30):
        DeputyFactory(name=f"赵代表{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 31
    assert len(response.context["page_obj"].object_list) == 25
    found = client.get(url, {"name": "张代表"})
    assert [d.name for d in found.context["page_obj"].object_list] == ["张代表"]


def test_other_countys_station_is_refused_in_chinese_and_the_form_kept(
    filed: Any, other_station: Any, county_staff: Any, as_user: Any
) -> None:
    client = as_user(county_staff)
    response = client.post(
        reverse("archives:station_year"), {"station": other_station.pk, "year": YEAR}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "该联络站不在您的辖区，不能导出它的台账。" in page
    assert f'<option value="{YEAR}" selected>' in page
    assert not ExportJob.objects.exists()
    garbage = client.post(reverse("archives:station_year"), {"station": "x", "year": "abcd"})
    assert garbage.status_code == 400 and "请选择联络站" in garbage.content.decode()


def test_request_through_the_page_shows_the_link_when_ready(
    filed: Any, county_staff: Any, as_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = as_user(county_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("archives:station_year"), {"station": filed.station.pk, "year": YEAR}
        )
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "已提交，台账在后台生成，本页显示进度。" in page
    assert "已完成" in page and f"下载 {job.filename}" in page
    assert 'http-equiv="refresh"' not in page
    assert f'<a href="{reverse("archives:station_year")}"' in page  # back to the form
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Security-Policy"].startswith("sandbox")
    assert download["Content-Type"] == "application/zip"
    assert b"".join(download.streaming_content)[:2] == b"PK"
    listed = client.get(reverse("archives:station_year")).content.decode()
    assert job.title in listed and reverse("jobs:detail", args=[job.pk]) in listed


def test_a_get_never_queues(filed: Any, county_staff: Any, as_user: Any) -> None:
    response = as_user(county_staff).get(
        reverse("archives:station_year"), {"station": filed.station.pk, "year": YEAR}
    )
    assert response.status_code == 200 and not ExportJob.objects.exists()


def test_pending_job_page_refreshes_and_shows_progress(
    filed: Any, county_staff: Any, as_user: Any
) -> None:
    job = ExportJob.objects.create(
        kind=jobs.STATION_YEAR, params={"station": filed.station.pk, "year": YEAR},
        title="台账", created_by=county_staff, status=JobStatus.RUNNING, progress=42,
    )  # fmt: skip
    page = as_user(county_staff).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and 'value="42"' in page
    assert "生成中" in page and reverse("jobs:download", args=[job.pk]) not in page


def test_zip_refused_once_the_station_is_no_longer_in_scope(
    job: Any, county_staff: Any, as_user: Any
) -> None:
    county_staff.memberships.all().delete()
    from liaison.accounts.models import Role
    from liaison.accounts.tests.factories import make_member
    from liaison.regions.tests.factories import CHANGSHA_COUNTY, region

    make_member(Role.CONGRESS_STAFF, region=region(CHANGSHA_COUNTY), user=county_staff)
    response = as_user(county_staff).get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 404
