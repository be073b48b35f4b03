"""Bulk import of 12345 work orders: all or nothing, row-by-row report, re-import is a no-op."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liaison.cases import importing
from liaison.cases.models import Case, CaseImport, Channel, JobStatus

pytestmark = pytest.mark.django_db

HEADER = [
    "工单编号",
    "来电时间",
    "诉求类型",
    "标题",
    "诉求内容",
    "联系人",
    "联系电话",
    "地址",
    "所属区划",
]


def _row(ref: str, **over: str) -> list[str]:
    values = {
        "工单编号": ref,
        "来电时间": "2026-03-01 09:30",
        "诉求类型": "投诉",
        "标题": "电梯故障",
        "诉求内容": f"{ref} 小区电梯停运两周。",
        "联系人": "张三",
        "联系电话": "13800138000",
        "地址": "岳麓区某小区",
        "所属区划": "430104002000",
    }
    values.update(over)
    return [values[h] for h in HEADER]


def _csv(rows: list[list[str]], *, header: list[str] = HEADER, encoding: str = "utf-8") -> bytes:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return buffer.getvalue().encode(encoding)


def _xlsx(rows: list[list[Any]], *, header: list[str] = HEADER) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in [header, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client: Any, data: bytes, name: str = "gd.csv") -> CaseImport:
    response = client.post(reverse("cases:import"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:500]
    return CaseImport.objects.latest("pk")


@pytest.fixture
def officer_client(as_user: Any, county_staff: Any) -> Any:
    return as_user(county_staff)


def test_good_csv_imports_every_row_once(officer_client: Any) -> None:
    job = _upload(officer_client, _csv([_row("GD1"), _row("GD2")]))
    assert job.status == JobStatus.DONE
    assert job.created_count == 2
    assert set(Case.objects.values_list("channel", "channel_ref")) == {
        (Channel.HOTLINE, "GD1"),
        (Channel.HOTLINE, "GD2"),
    }
    case = Case.objects.get(channel_ref="GD1")
    assert case.contact_phone == "13800138000"
    assert case.region_id == "430104002000"
    # The same file again: nothing new, every row reported as skipped.
    again = _upload(officer_client, _csv([_row("GD1"), _row("GD2")]))
    assert again.status == JobStatus.DONE
    assert again.created_count == 0
    assert again.skipped_count == 2
    assert Case.objects.count() == 2
    page = officer_client.get(reverse("cases:import_result", args=[again.pk])).content.decode()
    assert "已存在，跳过" in page


def test_xlsx_with_aliases_and_gb18030_csv(officer_client: Any, station: Any) -> None:
    header = ["工单号", "受理时间", "类型", "内容", "来电号码", "联络站"]
    from datetime import datetime

    rows = [["X1", datetime(2026, 3, 2, 10, 0), "意见建议", "建议增设公交站。", "", station.code]]
    job = _upload(officer_client, _xlsx(rows, header=header), "gd.xlsx")
    assert job.status == JobStatus.DONE, job.report
    case = Case.objects.get(channel_ref="X1")
    assert case.kind == "suggestion"
    assert case.station == station
    assert case.title == "建议增设公交站。"
    job = _upload(officer_client, _csv([_row("G18")], encoding="gb18030"))
    assert job.status == JobStatus.DONE


@pytest.mark.parametrize(
    ("rows", "field", "message"),
    [
        ([_row("A", 联系电话="12345")], "联系电话", "11 位手机号"),
        ([_row("A"), _row("A")], "工单编号", "与第 3 行的工单编号重复"),
        ([_row("A", 所属区划="999999999999")], "所属区划", "未找到区划"),
        ([_row("A", 所属区划="430121001000")], "所属区划", "不在您的辖区"),
        ([_row("A", 诉求类型="闲聊")], "诉求类型", "咨询、求助、投诉或建议"),
        ([_row("A", 来电时间="昨天")], "来电时间", "无法识别的时间"),
        ([_row("A", 诉求内容="")], "诉求内容", "不能为空"),
    ],
)
def test_bad_rows_import_nothing(
    officer_client: Any, rows: list[list[str]], field: str, message: str
) -> None:
    job = _upload(officer_client, _csv([_row("OK1"), *rows]))
    assert job.status == JobStatus.FAILED
    assert not Case.objects.exists()
    assert any(p["field"] == field and message in p["message"] for p in job.report), job.report
    page = officer_client.get(reverse("cases:import_result", args=[job.pk])).content.decode()
    assert "未导入任何数据" in page
    assert message in page


def test_unknown_station(officer_client: Any) -> None:
    header = [*HEADER[:-1], "联络站"]
    job = _upload(officer_client, _csv([[*_row("S1")[:-1], "不存在的站"]], header=header))
    assert job.status == JobStatus.FAILED
    assert not Case.objects.exists()
    assert "未找到联络站" in job.report[0]["message"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\n\n", "文件是空的"),
        ("工单编号,来电时间\n".encode(), "缺少必填列"),
        (_csv([]), "没有数据行"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "不支持旧版 .xls"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "文件类型不支持"),
        (b"PK\x03\x04 not really a zip", "无法读取该 Excel 文件"),
    ],
)
def test_malformed_files(officer_client: Any, data: bytes, message: str) -> None:
    job = _upload(officer_client, data)
    assert job.status == JobStatus.FAILED
    assert not Case.objects.exists()
    assert message in job.report[0]["message"]


def test_big_file_goes_to_the_task(officer_client: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(importing, "BACKGROUND_ROWS", 2)
    calls: list[int] = []
    task = importing.run_import_task

    class Spy:
        def enqueue(self, **kwargs: Any) -> Any:
            calls.append(kwargs["import_id"])
            return task.enqueue(**kwargs)

    monkeypatch.setattr(importing, "run_import_task", Spy())
    job = _upload(officer_client, _csv([_row("B1"), _row("B2"), _row("B3")]))
    assert calls == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert Case.objects.count() == 3


def test_empty_upload_is_a_form_error(officer_client: Any) -> None:
    response = officer_client.post(
        reverse("cases:import"), {"file": SimpleUploadedFile("gd.csv", b"")}
    )
    assert response.status_code == 200
    assert not CaseImport.objects.exists()
    assert "errorlist" in response.content.decode()


def test_import_is_audited_and_file_not_kept(officer_client: Any) -> None:
    from liaison.audit.models import AuditAction, AuditEvent

    job = _upload(officer_client, _csv([_row("AU1")]))
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT, object_id=str(job.pk)).exists()
    job.refresh_from_db()
    assert not job.file


def test_import_result_is_private(as_user: Any, officer_client: Any, yuelu: Any) -> None:
    from liaison.accounts.models import Role
    from liaison.accounts.tests.factories import make_member

    job = _upload(officer_client, _csv([_row("P1")]))
    colleague = make_member(Role.CONGRESS_STAFF, region=yuelu)
    url = reverse("cases:import_result", args=[job.pk])
    assert as_user(colleague).get(url).status_code == 404


def test_template_downloads(officer_client: Any) -> None:
    from urllib.parse import unquote

    from openpyxl import load_workbook

    response = officer_client.get(reverse("cases:import_template", args=["xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["12345工单"]  # not Excel's default "Sheet" (issue 11)
    sheet = workbook.active
    assert [c.value for c in sheet[1]] == [c.header for c in importing.COLUMNS]
    disposition = unquote(response["Content-Disposition"])
    assert disposition.startswith("attachment")
    assert "12345工单导入模板.xlsx" in disposition
    response = officer_client.get(reverse("cases:import_template", args=["csv"]))
    assert response.content.decode().startswith("\ufeff工单编号")
    assert "12345工单导入模板.csv" in unquote(response["Content-Disposition"])


def test_imported_ticket_gets_its_full_acceptance_time(officer_client: Any) -> None:
    """A ticket called in on Monday and imported on Wednesday is not due for acceptance that
    same Wednesday: the deadline counts from the import; the call time stays the submission."""
    import datetime

    import time_machine
    from django.utils import timezone

    from liaison.cases.deadlines import working_days_left

    imported = datetime.datetime(2026, 3, 4, 10, 0, tzinfo=datetime.UTC)  # a Wednesday
    with time_machine.travel(imported, tick=False):
        job = _upload(officer_client, _csv([_row("GD-LATE", 来电时间="2026-03-02 09:30")]))
        assert job.status == JobStatus.DONE, job.report
        case = Case.objects.get(channel_ref="GD-LATE")
        assert timezone.localtime(case.submitted_at).date() == datetime.date(2026, 3, 2)
        assert case.accept_due == datetime.date(2026, 3, 6)  # two working days after the import
        assert working_days_left(due=case.accept_due, region=case.region_id) == 2


def test_too_long_cells_are_worded_like_the_form(officer_client: Any) -> None:
    job = _upload(officer_client, _csv([_row("GD-LONG", 诉求内容="长" * 6000)]))
    assert job.status == JobStatus.FAILED
    messages = [p["message"] for p in job.report]
    assert "诉求内容最多 5000 字，您输入了 6000 字，请精简后再提交" in messages
