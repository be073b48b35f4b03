"""Replays of the review's file findings: stored XSS by upload, and /media/ open to anyone.

Before: a PNG uploaded through the public form as `evil.html` was stored under that name and
served from /media/ as text/html; /media/ served case photos (with their EXIF GPS), monthly
reports and ledger exports to anyone with the URL, anonymous or another county, and wrote no
audit row. Now MEDIA_ROOT has no route, uploads are re-encoded under random names, and every file
goes out through a view that checks the viewer, sends sandbox headers and audits downloads.
"""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from PIL import Image

from liaison.accounts.models import Membership
from liaison.audit.models import AuditAction, AuditEvent
from liaison.cases.models import Attachment, Case, CaseImport
from liaison.cases.tests.factories import CaseFactory
from liaison.cases.tests.public_helpers import png_bytes
from liaison.jobs.models import ExportJob, JobStatus
from liaison.regions.tests.factories import CHANGSHA_COUNTY, YUELU, region
from liaison.reports.models import MonthlyReport, ReportStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RANDOM_NAME = re.compile(r"[0-9a-f]{32}\.(png|jpg|pdf|csv|xlsx)")
FILE_URL_IN_CODE = re.compile(r"\.(file|image|photo|docx|pdf)\.url\b")


@pytest.fixture
def fresh_cache() -> Any:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def gps_jpeg(size: tuple[int, int] = (40, 20)) -> bytes:
    """A JPEG with camera make, GPS position and orientation 6 (shot rotated) in its EXIF."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "SpyCam"
    exif[0x8825] = {1: "N", 2: (28.0, 10.0, 0.0), 3: "E", 4: (112.0, 56.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def evil_png() -> bytes:
    """A real PNG with a script appended: passes an image check, runs if served as HTML."""
    return png_bytes((16, 16)) + b"<html><script>alert(document.cookie)</script></html>"


def public_submit(station: Any, images: list[SimpleUploadedFile]) -> Case:
    data = {
        "via": "qr",
        "station": station.code,
        "kind": "suggestion",
        "title": "路灯坏了",
        "content": "小区门口路灯坏了两个月，晚上出行不便。",
        "consent": "on",
        "client_token": "f" * 32,
        "images": images,
    }
    response = Client().post("/cases/new/", data)
    assert response.status_code in (200, 302)
    return Case.objects.get()


def stored_bytes(field_file: Any) -> bytes:
    with field_file.storage.open(field_file.name, "rb") as handle:
        return bytes(handle.read())


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def assert_sandboxed(response: Any, content_type: str, *, inline: bool) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline" if inline else "attachment")


def media_unreachable(name: str | None, *clients: Client) -> None:
    """The file's old /media/ URL answers nobody (anonymous, staff of any county)."""
    assert name
    assert Path(settings.MEDIA_ROOT, name).exists()
    for client in clients or (Client(),):
        assert client.get(f"/media/{name}").status_code == 404


def base(field_file: Any) -> str:
    """The stored file's own name (without the upload_to folders)."""
    return str(field_file.name or "").rsplit("/", 1)[-1]


def audits(action: str, **filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, **filters))


# --- the route and the code ----------------------------------------------------------------------


def test_media_root_has_no_route() -> None:
    with pytest.raises(Resolver404):
        resolve("/media/cases/2025/01/photo.jpg")


def test_nothing_links_to_a_stored_files_url() -> None:
    base = Path(settings.BASE_DIR)
    offenders = []
    for path in [*base.glob("templates/**/*.html"), *base.glob("liaison/**/*.py")]:
        if "tests" in path.parts:
            continue
        if FILE_URL_IN_CODE.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(base)))
    assert offenders == []


# --- stored XSS: evil.html through the public form -----------------------------------------------


def test_evil_html_upload_is_stored_as_a_reencoded_png_under_a_random_name(
    station: Any, county_staff: Any, as_user: Any
) -> None:
    upload = SimpleUploadedFile("evil.html", evil_png(), content_type="text/html")
    case = public_submit(station, [upload])
    attachment = case.attachments.get()
    stored = base(attachment.file)
    assert RANDOM_NAME.fullmatch(stored)
    assert stored.endswith(".png")
    assert attachment.content_type == "image/png"
    assert b"<script" not in stored_bytes(attachment.file)  # re-encoded: only pixels survive
    media_unreachable(attachment.file.name, Client(), as_user(county_staff))
    url = reverse("cases:attachment", args=[case.pk, attachment.pk])
    response = as_user(county_staff).get(url)
    assert_sandboxed(response, "image/png", inline=True)
    assert ".html" not in response["Content-Disposition"]


def test_gps_and_camera_data_are_gone_and_orientation_applied(
    station: Any, county_staff: Any, as_user: Any
) -> None:
    case = public_submit(station, [SimpleUploadedFile("IMG_0001.jpg", gps_jpeg(), "image/jpeg")])
    data = stored_bytes(case.attachments.get().file)
    assert b"SpyCam" not in data
    assert b"Exif" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif()
        assert image.size == (20, 40)


@pytest.mark.parametrize("path", ["deputy", "assessment", "reply"])
def test_every_staff_upload_path_drops_exif_and_renames(
    path: str, station: Any, county_staff: Any
) -> None:
    upload = SimpleUploadedFile("home-address.jpg.html", gps_jpeg(), "text/html")
    stored: Any
    if path == "deputy":
        from liaison.deputies.services import deputy_set_photo
        from liaison.deputies.tests.factories import DeputyFactory

        deputy: Any = DeputyFactory()
        stored = deputy_set_photo(deputy=deputy, actor=county_staff, photo=upload).photo
    elif path == "assessment":
        from liaison.stations.services import station_assessment_create
        from liaison.stations.tests.conftest import FULL_SCORES

        assessment = station_assessment_create(
            station=station,
            actor=county_staff,
            assessed_on=timezone.localdate(),
            scores=FULL_SCORES,
            photos=[upload],
        )
        stored = assessment.photos.get().image
    else:
        from liaison.cases.services.files import save_reply_files, validate_reply_files

        case: Any = CaseFactory(station=station)
        checked = validate_reply_files([upload], region=case.region_id)
        stored = Attachment.objects.get(pk=save_reply_files(case, checked)[0]).file
    assert RANDOM_NAME.fullmatch(base(stored))
    assert base(stored).endswith(".jpg")
    assert b"SpyCam" not in stored_bytes(stored)
    assert b"Exif" not in stored_bytes(stored)


def test_import_file_is_stored_under_a_random_name(county_staff: Any, monkeypatch: Any) -> None:
    from liaison.cases import importing

    monkeypatch.setattr(importing, "import_run", lambda **kw: None)  # keep the stored file
    importing.import_start(actor=county_staff, name="evil.html", data="工单编号\n1\n".encode())
    job = CaseImport.objects.get()
    assert RANDOM_NAME.fullmatch(base(job.file))
    assert base(job.file).endswith(".csv")
    assert job.file_name == "evil.html"


# --- case photos: anonymous, other county, own county --------------------------------------------


@pytest.fixture
def case_photo(station: Any) -> Attachment:
    case: Any = CaseFactory(station=station)
    attachment = Attachment(
        case=case, purpose=Attachment.Purpose.INTAKE, original_name="现场.jpg",
        content_type="image/png", size=10,
    )  # fmt: skip
    attachment.file.save("0123456789abcdef0123456789abcdef.png", ContentFile(png_bytes()))
    return attachment


def test_case_photo_is_refused_to_anonymous_and_other_county_without_audit(
    case_photo: Attachment, other_county_staff: Any, as_user: Any
) -> None:
    media_unreachable(case_photo.file.name, Client(), as_user(other_county_staff))
    url = reverse("cases:attachment", args=[case_photo.case_id, case_photo.pk])
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert "/login" in anonymous["Location"]
    assert as_user(other_county_staff).get(url).status_code == 404
    assert audits(AuditAction.VIEW_PRIVATE) == []


def test_case_photo_to_staff_who_see_the_case_each_view_audited(
    case_photo: Attachment, county_staff: Any, station_officer: Any, as_user: Any
) -> None:
    url = reverse("cases:attachment", args=[case_photo.case_id, case_photo.pk])
    page = as_user(county_staff).get(reverse("cases:detail", args=[case_photo.case_id]))
    assert url in page.content.decode()
    assert "/media/" not in page.content.decode()
    for user in (county_staff, station_officer, county_staff):
        response = as_user(user).get(url)
        assert_sandboxed(response, "image/png", inline=True)
        assert body(response) == png_bytes()
    rows = audits(AuditAction.VIEW_PRIVATE, object_type="cases.attachment")
    assert len(rows) == 3
    assert {r.region_code for r in rows} == {case_photo.case.region_id}


def test_case_attachment_of_another_case_is_404(
    case_photo: Attachment, station: Any, county_staff: Any, as_user: Any
) -> None:
    other_case: Any = CaseFactory(station=station)
    url = reverse("cases:attachment", args=[other_case.pk, case_photo.pk])
    assert as_user(county_staff).get(url).status_code == 404


# --- ledger exports ------------------------------------------------------------------------------


@pytest.fixture
def export(county_staff: Any, station: Any, django_capture_on_commit_callbacks: Any) -> ExportJob:
    from liaison.cases.jobs import ledger_export_request

    CaseFactory(station=station)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):  # the worker builds it
        job = ledger_export_request(
            actor=county_staff,
            date_from=today - datetime.timedelta(days=30),
            date_to=today,
            region=region(YUELU),
            mask_person=False,
        )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.file
    return job


def test_export_is_only_for_its_requester_and_every_download_audited(
    export: ExportJob, county_staff: Any, other_county_staff: Any, as_user: Any
) -> None:
    media_unreachable(export.file.name, Client(), as_user(other_county_staff))
    url = reverse("jobs:download", args=[export.pk])
    assert Client().get(url).status_code == 302
    assert as_user(other_county_staff).get(url).status_code == 404
    before = len(audits(AuditAction.EXPORT))
    response = as_user(county_staff).get(url)
    assert_sandboxed(response, XLSX, inline=False)
    assert body(response)[:2] == b"PK"
    rows = audits(AuditAction.EXPORT)[before:]
    assert len(rows) == 1
    assert rows[0].region_code == YUELU


def test_export_outside_the_requesters_current_scope_is_refused(
    export: ExportJob, county_staff: Any, as_user: Any
) -> None:
    # Moved to the other county: the 岳麓区 ledger is no longer theirs to download.
    Membership.objects.filter(user=county_staff).update(region=region(CHANGSHA_COUNTY))
    before = len(audits(AuditAction.EXPORT))
    url = reverse("jobs:download", args=[export.pk])
    assert as_user(county_staff).get(url).status_code == 404
    assert len(audits(AuditAction.EXPORT)) == before


def test_export_expires_the_worker_deletes_it_and_the_page_offers_a_new_one(
    export: ExportJob, county_staff: Any, as_user: Any
) -> None:
    from liaison.workbench.management.commands.worker import enqueue_export_expiry

    name = export.file.name
    hours = settings.EXPORT_RETENTION_HOURS
    ExportJob.objects.filter(pk=export.pk).update(
        finished_at=timezone.now() - datetime.timedelta(hours=hours, minutes=1)
    )
    client = as_user(county_staff)
    url = reverse("jobs:download", args=[export.pk])
    before = len(audits(AuditAction.EXPORT))
    enqueue_export_expiry()  # the scheduler's tick (immediate task backend in tests)
    assert not Path(settings.MEDIA_ROOT, str(name)).exists()
    export.refresh_from_db()
    assert not export.file
    assert client.get(url).status_code == 404
    assert len(audits(AuditAction.EXPORT)) == before
    page = client.get(reverse("jobs:detail", args=[export.pk])).content.decode()
    assert "已超过保存期限" in page
    assert "重新导出" in page
    assert url not in page
    assert "已过期，按相同条件重新导出" in client.get(reverse("cases:export")).content.decode()
    assert audits(AuditAction.DELETE, object_type="jobs.exportjob")


def test_fresh_export_is_kept(export: ExportJob) -> None:
    from liaison.jobs.services import export_jobs_expire

    assert export_jobs_expire() == 0
    assert Path(settings.MEDIA_ROOT, str(export.file.name)).exists()


# --- monthly reports -----------------------------------------------------------------------------


@pytest.fixture
def report(county_staff: Any) -> MonthlyReport:
    report = MonthlyReport.objects.create(
        region=region(YUELU),
        month=datetime.date(2025, 1, 1),
        status=ReportStatus.DONE,
        requested_by=county_staff,
    )
    report.pdf.save("0123456789abcdef0123456789abcdef.pdf", ContentFile(b"%PDF-1.4 report"))
    return report


def test_report_file_only_to_staff_whose_scope_covers_it_audited(
    report: MonthlyReport, county_staff: Any, other_county_staff: Any, as_user: Any
) -> None:
    media_unreachable(report.pdf.name, Client(), as_user(other_county_staff))
    url = reverse("reports:download", args=[report.pk, "pdf"])
    assert as_user(other_county_staff).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    response = as_user(county_staff).get(url)
    assert_sandboxed(response, "application/pdf", inline=False)
    rows = audits(AuditAction.EXPORT, object_type="reports.monthlyreport")
    assert len(rows) == 1
    assert rows[0].region_code == YUELU


# --- station assessment photos and deputy portraits ----------------------------------------------


def test_assessment_photo_only_to_staff_who_see_the_station(
    station: Any, county_staff: Any, other_county_staff: Any, as_user: Any
) -> None:
    from liaison.stations.services import station_assessment_create
    from liaison.stations.tests.conftest import FULL_SCORES

    assessment = station_assessment_create(
        station=station,
        actor=county_staff,
        assessed_on=timezone.localdate(),
        scores=FULL_SCORES,
        photos=[SimpleUploadedFile("site.jpg", gps_jpeg(), "image/jpeg")],
    )
    photo = assessment.photos.get()
    media_unreachable(photo.image.name, Client(), as_user(other_county_staff))
    url = reverse("stations:assessment_photo", args=[station.pk, photo.pk])
    assert as_user(other_county_staff).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    assert_sandboxed(as_user(county_staff).get(url), "image/jpeg", inline=True)
    page = as_user(county_staff).get(reverse("stations:detail", args=[station.pk]))
    assert url in page.content.decode()


def test_deputy_portrait_public_only_while_in_office(
    station: Any, county_staff: Any, as_user: Any
) -> None:
    from liaison.deputies.services import deputy_set_photo
    from liaison.deputies.tests.factories import DeputyFactory, StationDeputyFactory

    deputy: Any = DeputyFactory()
    StationDeputyFactory(station=station, deputy=deputy)
    upload = SimpleUploadedFile("me.png", png_bytes(), "image/png")
    deputy = deputy_set_photo(deputy=deputy, actor=county_staff, photo=upload)
    media_unreachable(deputy.photo.name)
    station_page = Client().get(f"/s/{station.code}/").content.decode()
    assert f"/d/{deputy.code}/photo/?v=" in station_page
    assert "/media/" not in station_page
    assert_sandboxed(Client().get(f"/d/{deputy.code}/photo/"), "image/png", inline=True)
    deputy.is_active = False
    deputy.save(update_fields=["is_active"])
    assert Client().get(f"/d/{deputy.code}/photo/").status_code == 404
