"""The registers of a station's year: the 代表花名册 declared here, the others the source apps',
all in one zip built by the worker, each file opened and read back."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from liaison.archives import registers, services
from liaison.archives.models import JobStatus, StationYearExport
from liaison.archives.tests.conftest import YEAR
from liaison.audit.models import AuditEvent

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


def test_station_year_zip_holds_every_register_with_utf8_names(
    filed: Any, county_staff: Any
) -> None:
    job = services.station_year_export_request(actor=county_staff, station=filed.station, year=YEAR)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.percent == 100
    assert (job.parts_done, job.parts_total) == (7, 7)
    with job.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == list(HEADERS)
        assert all(i.flag_bits & 0x800 for i in infos)  # the UTF-8 name flag
        text = {}
        for info in infos:
            _header, rows = _sheet(archive.read(info), HEADERS[info.filename])
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
    audit = AuditEvent.objects.filter(action="export", object_type="archives.stationyearexport")
    assert audit.count() == 1 and "代表花名册 1 行" in audit.get().note


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
        services.station_year_export_request(actor=county_staff, station=station, year=year)
    assert any(message in m for m in error.value.messages)
    assert not StationYearExport.objects.exists()


def test_a_failing_register_marks_the_job_failed(
    filed: Any, county_staff: Any, monkeypatch: Any
) -> None:
    def broken(scope: Any) -> Any:
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(registers, "PARTS", (("01_坏.xlsx", broken),))
    monkeypatch.setattr(services, "PARTS", registers.PARTS)
    job = StationYearExport.objects.create(
        station=filed.station, year=YEAR, created_by=county_staff
    )
    with pytest.raises(RuntimeError):
        services.station_year_export_run(export_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "磁盘已满" in job.error and not job.file


def test_expired_zips_are_deleted_and_rows_kept(filed: Any, county_staff: Any) -> None:
    import datetime

    from django.utils import timezone

    job = services.station_year_export_request(actor=county_staff, station=filed.station, year=YEAR)
    job.refresh_from_db()
    assert services.export_downloadable_by(job, county_staff)
    assert services.station_year_exports_expire() == 0
    later = timezone.now() + datetime.timedelta(days=30)
    assert services.station_year_exports_expire(now=later) == 1
    job.refresh_from_db()
    assert not job.file and not services.export_downloadable_by(job, county_staff)
