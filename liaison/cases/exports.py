"""民意台账: the ledger of cases for a period and a scope, as xlsx, built in the task worker.

The official columns are declared once in `LEDGER_COLUMNS`; the person is masked unless the export
asked otherwise (that choice is recorded in the audit trail).
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.cases.models import Case, JobStatus, LedgerExport, Status
from liaison.common.masking import mask_name, mask_phone, mask_text
from liaison.regions.selectors import region_subtree_q

Row = tuple[int, Case, bool]  # (序号, case, mask the person)


def _person(case: Case, mask: bool) -> str:
    if case.is_anonymous:
        return _("匿名")
    if case.personal_data_purged_at:
        return _("（已按期清除）")
    name, phone = case.contact_name or "", case.contact_phone or ""
    if mask:
        name, phone = mask_name(name), mask_phone(phone) if phone else ""
    return " ".join(p for p in (name, phone) if p)


def _content(case: Case, mask: bool) -> str:
    text = f"{case.title}\n{case.content}"
    return mask_text(text) if mask else text


def _handler(case: Case) -> str:
    if case.unit_id:
        return case.unit.name  # type: ignore[union-attr]
    if case.assigned_deputy_id:
        return _("%(name)s代表") % {"name": case.assigned_deputy.name}  # type: ignore[union-attr]
    return ""


def _result(case: Case) -> str:
    label = str(case.get_status_display())
    if case.status == Status.DECLINED and case.decline_reason:
        return f"{label}：{case.get_decline_reason_display()}"
    if case.status == Status.MERGED and case.merged_into_id:
        return f"{label}：{case.merged_into.tracking_code}"  # type: ignore[union-attr]
    if case.reopen_count:
        return f"{label}（{_('重办 %(n)d 次') % {'n': case.reopen_count}}）"
    return label


def _rating(case: Case) -> str:
    if not case.rating:
        return ""
    text = str(case.get_rating_display())
    return f"{text}：{case.rating_comment}" if case.rating_comment else text


@dataclass(frozen=True)
class LedgerColumn:
    header: str
    width: int
    value: Callable[[Row], Any]


LEDGER_COLUMNS: Final[tuple[LedgerColumn, ...]] = (
    LedgerColumn("序号", 6, lambda r: r[0]),
    LedgerColumn("编号", 14, lambda r: r[1].tracking_code),
    LedgerColumn("日期", 12, lambda r: timezone.localdate(r[1].submitted_at)),
    LedgerColumn("渠道", 10, lambda r: str(r[1].get_channel_display())),
    LedgerColumn("反映人", 18, lambda r: _person(r[1], r[2])),
    LedgerColumn("内容", 60, lambda r: _content(r[1], r[2])),
    LedgerColumn("分类", 20, lambda r: str(r[1].category) if r[1].category_id else ""),
    LedgerColumn("承办单位", 20, lambda r: _handler(r[1])),
    LedgerColumn("答复", 50, lambda r: mask_text(r[1].reply) if r[2] else r[1].reply),
    LedgerColumn("办理结果", 14, lambda r: _result(r[1])),
    LedgerColumn("评价", 14, lambda r: _rating(r[1])),
)


def ledger_cases(
    user: Any,
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    region: Any = None,
) -> QuerySet[Case]:
    """Cases submitted in [date_from, date_to] within the user's view (and `region`)."""
    from liaison.cases.selectors import cases_visible_to

    cases = cases_visible_to(user).filter(
        submitted_at__date__gte=date_from, submitted_at__date__lte=date_to
    )
    if region is not None:
        cases = cases.filter(region_subtree_q(region, "region_id"))
    return cases.select_related("unit", "category", "assigned_deputy", "merged_into").order_by(
        "submitted_at", "id"
    )


def ledger_xlsx(cases: QuerySet[Case], *, mask: bool, title: str) -> tuple[bytes, int]:
    """The workbook bytes and the number of rows."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "民意台账"
    sheet.append([title])
    sheet.append([c.header for c in LEDGER_COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for index, column in enumerate(LEDGER_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    count = 0
    wrap = Alignment(wrap_text=True, vertical="top")
    for count, case in enumerate(cases.iterator(chunk_size=1000), start=1):
        sheet.append([column.value((count, case, mask)) for column in LEDGER_COLUMNS])
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def export_request(
    *,
    actor: Any,
    date_from: datetime.date,
    date_to: datetime.date,
    region: Any = None,
    mask_person: bool = True,
) -> LedgerExport:
    """Record the request and hand it to the task worker. ValidationError (nothing recorded)
    for a period that ends before it starts or a region outside the actor's jurisdiction."""
    from liaison.accounts.scoping import scope_for
    from liaison.cases.queues import WORK_ROLES

    if date_from > date_to:
        raise ValidationError({"date_to": _("结束日期不能早于开始日期。")}, code="period")
    if region is not None and not scope_for(actor, WORK_ROLES).covers_region(region.code):
        raise ValidationError({"region": _("该区划不在您的辖区。")}, code="out_of_scope")
    job = LedgerExport.objects.create(
        created_by=actor,
        date_from=date_from,
        date_to=date_to,
        region=region,
        mask_person=mask_person,
    )
    run_ledger_export.enqueue(export_id=job.pk)
    job.refresh_from_db()
    return job


def export_run(*, export_id: int) -> LedgerExport:
    """Build the file of one export request (in the worker); audited."""
    from liaison.audit.models import AuditAction
    from liaison.audit.services import audit_record

    job = LedgerExport.objects.select_related("created_by", "region").get(pk=export_id)
    if job.status == JobStatus.DONE:
        return job
    job.status = JobStatus.RUNNING
    job.save(update_fields=["status"])
    scope = job.region.name if job.region else _("全部辖区")
    title = _("民意台账（%(scope)s，%(a)s 至 %(b)s）") % {
        "scope": scope,
        "a": job.date_from.isoformat(),
        "b": job.date_to.isoformat(),
    }
    try:
        cases = ledger_cases(
            job.created_by, date_from=job.date_from, date_to=job.date_to, region=job.region
        )
        data, count = ledger_xlsx(cases, mask=job.mask_person, title=title)
    except Exception as exc:
        job.status, job.error, job.finished_at = JobStatus.FAILED, str(exc)[:500], timezone.now()
        job.save()
        raise
    # A random part: the file must not be guessable should /media/ ever be served directly.
    name = f"minyi_taizhang_{job.date_from:%Y%m%d}_{job.date_to:%Y%m%d}_{secrets.token_hex(8)}.xlsx"
    job.file.save(name, ContentFile(data), save=False)
    job.row_count, job.status, job.finished_at = count, JobStatus.DONE, timezone.now()
    job.save()
    audit_record(
        actor=job.created_by,
        action=AuditAction.EXPORT,
        obj=job,
        region_code=job.region_id or "",
        note=f"民意台账 {job.date_from}～{job.date_to}，{count} 行，"
        + ("反映人已脱敏" if job.mask_person else "含完整反映人信息"),
    )
    return job


@task()
def run_ledger_export(export_id: int) -> None:
    export_run(export_id=export_id)
