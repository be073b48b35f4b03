"""The registers of a station's year: the 代表花名册 declared here, the others the source apps',
all in one zip built by the worker as an export job, each file opened and read back."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from liaison.archives import jobs, registers
from liaison.archives.tests.conftest import YEAR
from liaison.audit.models import AuditEvent
from liaison.jobs.models import ExportJob, JobStatus
from liaison.jobs.registry import job_kind
from liaison.jobs.services import export_job_run, export_jobs_expire

pytestmark = pytest.mark.django_db

ROSTER_HEADER = ["序号", "姓名", "性别", "代表码", "代表层级", "所属人大及届次", "选区/选举单位",
                 "职业", "工作单位及职务", "进站方式", "进站期间", "联系电话"]  # fmt: skip
HEADERS = {
    "01_代表花名册.xlsx": "序号",
    "02_代表接待登记簿.xlsx": "日期",
    "03_履职活动台账.xlsx": "序号",
    "04_学习培训台账.xlsx": "序号",
    "05_民意台账.xlsx": "序号",
    "06_代表建议台账.xlsx": "序号",
    "07_网格岗位台账.xlsx": "网格",
}


def _sheet(data: bytes, first: str) -> tuple[list[Any], list[list[Any]]]:
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if r and r[0] == first)
    return rows[at], rows[at + 1 :]


def test_roster_lists_the_stations_deputies_with_the_phone_masked(
    filed: Any, county_staff: Any
) -> None:
    scope = registers.Scope(station=filed.station, year=YEAR, user=county_staff)
    data, count = registers.roster_xlsx(scope)
    header, rows = _sheet(data, "序号")
    assert header == ROSTER_HEADER and count == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["姓名"] == "张代表" and row["性别"] == "女"
    assert row["代表层级"] == "市人大代表、县（区）人大代表"
    assert "第18届" in row["所属人大及届次"] and row["选区/选举单位"] == "第一选区、岳麓第一选区"
    assert row["联系电话"] == "138****5678"


def _queued(capture: Any, actor: Any, station: Any, year: Any = YEAR) -> ExportJob:
    """Queue as the page does and let the (immediate) worker build it."""
    with capture(execute=True):
        job = jobs.station_year_export_request(actor=actor, station=station, year=year)
    job.refresh_from_db()
    return job


def test_station_year_zip_holds_every_register_with_utf8_names(
    filed: Any, county_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = _queued(django_capture_on_commit_callbacks, county_staff, filed.station)
    assert job.status == JobStatus.DONE and job.progress == 100
    title = f"{filed.station.name} {YEAR} 年度台账"
    assert job.title == title and job.filename == f"{filed.station.name}_{YEAR}年度台账.zip"
    assert job.region_code == filed.station.region_id
    with job.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == list(HEADERS)
        assert all(i.flag_bits & 0x800 for i in infos)  # the UTF-8 name flag
        text, rows_written = {}, 0
        for info in infos:
            _header, rows = _sheet(archive.read(info), HEADERS[info.filename])
            rows_written += sum(1 for r in rows if any(c is not None for c in r))
            text[info.filename] = " ".join(str(c) for r in rows for c in r if c is not None)
    assert "张代表" in text["01_代表花名册.xlsx"]
    assert "接待室甲" in text["02_代表接待登记簿.xlsx"]
    assert "老旧小区加装电梯调研" in text["03_履职活动台账.xlsx"]
    assert "前年的河道巡查" not in text["03_履职活动台账.xlsx"]
    assert "预算审查监督专题培训" in text["04_学习培训台账.xlsx"]
    opinions = text["05_民意台账.xlsx"]
    assert "菜市场周边占道经营" in opinions and "13812345678" not in opinions
    assert "关于增设社区食堂的建议" in text["06_代表建议台账.xlsx"]
    assert "安全巡查岗" in text["07_网格岗位台账.xlsx"]
    assert job.row_count >= len(HEADERS)  # a row at least in each register of the fixture
    audit = AuditEvent.objects.filter(action="export", object_type="jobs.exportjob")
    assert [e.note for e in audit] == [f"生成{title}（{job.row_count} 行）"]
    assert audit.get().actor == county_staff and audit.get().region_code == job.region_code


def test_progress_is_written_register_by_register(filed: Any, county_staff: Any) -> None:
    seen: list[int] = []
    job = ExportJob.objects.create(
        kind=jobs.STATION_YEAR, params={"station": filed.station.pk, "year": YEAR}, title="x",
        created_by=county_staff,
    )  # fmt: skip
    built = job_kind(jobs.STATION_YEAR).build(job, seen.append)
    assert seen == [n * 100 // 7 for n in range(7)]
    assert built.content[:2] == b"PK"


@pytest.mark.parametrize(
    ("which", "year", "message"),
    [
        ("other", YEAR, "该联络站不在您的辖区"),
        ("none", YEAR, "请选择联络站"),
        ("ours", 1999, "请选择 2000 年至"),
        ("ours", None, "请选择 2000 年至"),
    ],
)
def test_bad_request_says_why_and_records_nothing(
    which: str, year: Any, message: str, filed: Any, other_station: Any, county_staff: Any
) -> None:
    station = {"other": other_station, "none": None, "ours": filed.station}[which]
    with pytest.raises(ValidationError) as error:
        jobs.station_year_export_request(actor=county_staff, station=station, year=year)
    assert any(message in m for m in error.value.messages)
    assert not ExportJob.objects.exists()


def test_a_failing_register_marks_the_job_failed(
    filed: Any, county_staff: Any, monkeypatch: Any
) -> None:
    def broken(scope: Any) -> Any:
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(registers, "PARTS", (("01_坏.xlsx", broken),))
    job = ExportJob.objects.create(
        kind=jobs.STATION_YEAR, params={"station": filed.station.pk, "year": YEAR}, title="x",
        created_by=county_staff,
    )  # fmt: skip
    with pytest.raises(RuntimeError):
        export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "磁盘已满" in job.error and not job.file


@pytest.mark.parametrize("station", [None, "x", 10**9])
def test_a_job_naming_no_station_that_exists_fails_without_a_file(
    county_staff: Any, station: Any
) -> None:
    job = ExportJob.objects.create(
        kind=jobs.STATION_YEAR, params={"station": station, "year": YEAR}, title="x",
        created_by=county_staff,
    )  # fmt: skip
    with pytest.raises(PermissionDenied, match="no longer the requester's"):
        export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.file
    assert not jobs.downloadable(job, county_staff)


def test_expired_zips_are_deleted_and_rows_kept(
    filed: Any, county_staff: Any, other_county_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import datetime

    from django.utils import timezone

    job = _queued(django_capture_on_commit_callbacks, county_staff, filed.station)
    assert jobs.downloadable(job, county_staff)
    assert not jobs.downloadable(job, other_county_staff)  # the requester's alone
    assert export_jobs_expire() == 0
    later = timezone.now() + datetime.timedelta(days=30)
    assert export_jobs_expire(now=later) == 1
    job.refresh_from_db()
    assert not job.file and ExportJob.objects.filter(pk=job.pk).exists()
