"""民意台账 export: columns, rows within scope and period, masking, audit, private download."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from liaison.audit.models import AuditAction, AuditEvent
from liaison.cases.exports import LEDGER_COLUMNS
from liaison.cases.models import JobStatus, LedgerExport, Status
from liaison.cases.tests.factories import CaseFactory, HandlingUnitFactory, case_in

pytestmark = pytest.mark.django_db

HEADERS = [
    "序号",
    "编号",
    "日期",
    "渠道",
    "联络站",
    "反映人",
    "内容",
    "分类",
    "分类来源",
    "承办单位",
    "答复",
    "办理结果",
    "评价",
]


def _export(client: Any, **over: Any) -> LedgerExport:
    today = timezone.localdate()
    data = {
        "date_from": (today - datetime.timedelta(days=30)).isoformat(),
        "date_to": today.isoformat(),
        "mask_person": "on",
    }
    data.update(over)
    response = client.post(reverse("cases:export"), data)
    assert response.status_code == 302, response.content.decode()[:300]
    return LedgerExport.objects.latest("pk")


def _sheet(client: Any, job: LedgerExport) -> list[list[Any]]:
    response = client.get(reverse("cases:export_download", args=[job.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_columns_declared_once() -> None:
    assert [c.header for c in LEDGER_COLUMNS] == HEADERS


def test_ledger_rows_masked_and_scoped(
    as_user: Any, station: Any, other_station: Any, county_staff: Any
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
    job = _export(client)
    assert job.status == JobStatus.DONE
    assert job.row_count == 1
    rows = _sheet(client, job)
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


def test_unmasked_export_when_asked(as_user: Any, station: Any, county_staff: Any) -> None:
    CaseFactory(station=station, contact_name="王小明", contact_phone="13812345678")
    client = as_user(county_staff)
    job = _export(client, mask_person="")
    row = _sheet(client, job)[2]
    assert row[HEADERS.index("反映人")] == "王小明 13812345678"
    notes = AuditEvent.objects.filter(action=AuditAction.EXPORT).values_list("note", flat=True)
    assert any("含完整反映人信息" in note for note in notes)


def test_export_region_must_be_in_scope(as_user: Any, county_staff: Any) -> None:
    today = timezone.localdate().isoformat()
    response = as_user(county_staff).post(
        reverse("cases:export"),
        {"date_from": today, "date_to": today, "region": "430121000000"},
    )
    assert response.status_code == 200
    assert not LedgerExport.objects.exists()
    assert "该区划不在您的辖区。" in response.content.decode()


def test_export_request_refuses_and_records_nothing(county_staff: Any, hunan: None) -> None:
    from django.core.exceptions import ValidationError

    from liaison.cases.exports import export_request
    from liaison.regions.tests.factories import region

    today = timezone.localdate()
    with pytest.raises(ValidationError) as outside:
        export_request(
            actor=county_staff, date_from=today, date_to=today, region=region("430121000000")
        )
    assert "region" in outside.value.message_dict
    with pytest.raises(ValidationError) as reversed_period:
        export_request(
            actor=county_staff, date_from=today, date_to=today - datetime.timedelta(days=1)
        )
    assert "date_to" in reversed_period.value.message_dict
    assert not LedgerExport.objects.exists()


def test_download_only_by_its_author(
    as_user: Any, station: Any, county_staff: Any, other_county_staff: Any
) -> None:
    CaseFactory(station=station)
    job = _export(as_user(county_staff))
    url = reverse("cases:export_download", args=[job.pk])
    assert as_user(other_county_staff).get(url).status_code == 404
    detail = as_user(county_staff).get(reverse("cases:export_detail", args=[job.pk]))
    assert "下载" in detail.content.decode()
    assert job.file.name.startswith("exports/")


def test_export_form_offers_this_month(as_user: Any, county_staff: Any) -> None:
    """The date inputs carry ISO values (what <input type="date"> reads), this month to today."""
    today = timezone.localdate()
    html = as_user(county_staff).get(reverse("cases:export")).content.decode()
    assert f'name="date_from" value="{today.replace(day=1).isoformat()}"' in html
    assert f'name="date_to" value="{today.isoformat()}"' in html


# --- expiry --------------------------------------------------------------------------------------


def test_export_expires_exactly_after_the_retention_hours(
    as_user: Any, station: Any, county_staff: Any, settings: Any
) -> None:
    from liaison.cases.exports import export_expires_at, export_is_expired, exports_expire

    settings.EXPORT_RETENTION_HOURS = 2
    CaseFactory(station=station)
    job = _export(as_user(county_staff))
    assert job.finished_at is not None
    edge = job.finished_at + datetime.timedelta(hours=2)
    assert export_expires_at(job) == edge
    assert not export_is_expired(job, now=edge - datetime.timedelta(seconds=1))
    assert export_is_expired(job, now=edge)
    assert exports_expire(now=edge - datetime.timedelta(seconds=1)) == 0
    assert exports_expire(now=edge) == 1
    job.refresh_from_db()
    # the row and its audit trail stay
    assert not job.file
    assert job.status == JobStatus.DONE
    assert exports_expire(now=edge) == 0  # nothing left to delete


def test_expired_export_in_the_list_offers_a_new_export(
    as_user: Any, station: Any, county_staff: Any, settings: Any
) -> None:
    from liaison.cases.exports import exports_expire

    client = as_user(county_staff)
    job = _export(client)
    exports_expire(now=timezone.now() + datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS))
    html = client.get(reverse("cases:export")).content.decode()
    assert "已过期，重新导出" in html
    assert reverse("cases:export_download", args=[job.pk]) not in html
    detail = client.get(reverse("cases:export_detail", args=[job.pk])).content.decode()
    assert 'name="date_from" value="' in detail
    assert "按相同条件重新导出" in detail
    # The offered form exports again with the same conditions.
    again = client.post(
        reverse("cases:export"),
        {"date_from": job.date_from.isoformat(), "date_to": job.date_to.isoformat(),
         "mask_person": "on"},
    )  # fmt: skip
    assert again.status_code == 302
    assert LedgerExport.objects.count() == 2
