"""民意台账: the ledger of cases for a period and a scope, as xlsx, built in the task worker.

The official columns are declared once in `LEDGER_COLUMNS` and written by the export kit
(`liaison.common.exports`); the person is masked unless the export asked otherwise (that choice is
recorded in the audit trail).

A built file is downloadable by its requester only, while the export still lies in their current
jurisdiction, and only for `EXPORT_RETENTION_HOURS` (default 72): then the worker's scheduled
`exports_expire` deletes it and the page offers to export again.
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability, capability_scope, has_capability, roles_with
from liaison.accounts.models import User
from liaison.accounts.scoping import memberships_of
from liaison.audit.context import current_ip
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.cases.models import Case, JobStatus, LedgerExport, Status
from liaison.cases.selectors import cases_visible_to
from liaison.common.exports import Column, Table, table_xlsx
from liaison.common.masking import mask_name, mask_phone
from liaison.regions.selectors import region_subtree_q
from liaison.taxonomy.categories import ledger_category, ledger_category_source


def _person(case: Case, *, mask: bool) -> str:
    if case.is_anonymous:
        return _("匿名")
    if case.personal_data_purged_at:
        return _("（已按期清除）")
    name, phone = case.contact_name or "", case.contact_phone or ""
    if mask:
        name, phone = mask_name(name), mask_phone(phone) if phone else ""
    return " ".join(p for p in (name, phone) if p)


def _station(case: Case) -> str:
    # A case addressed to a deputy without a station belongs to a region only: say which.
    if case.station is not None:
        return case.station.name
    return _("（未指定联络站，属%(region)s）") % {"region": case.region.name}


def _handler(case: Case) -> str:
    if case.unit is not None:
        return case.unit.name
    if case.assigned_deputy is not None:
        return _("%(name)s代表") % {"name": case.assigned_deputy.name}
    return ""


def _result(case: Case) -> str:
    label = str(case.get_status_display())
    if case.status == Status.DECLINED and case.decline_reason:
        return f"{label}：{case.get_decline_reason_display()}"
    if case.status == Status.MERGED and case.merged_into is not None:
        return f"{label}：{case.merged_into.tracking_code}"
    if case.reopen_count:
        return f"{label}（{_('重办 %(n)d 次') % {'n': case.reopen_count}}）"
    return label


def _rating(case: Case) -> str:
    if not case.rating:
        return ""
    text = str(case.get_rating_display())
    return f"{text}：{case.rating_comment}" if case.rating_comment else text


# (序号, case): the number counts the rows of this file.
Row = tuple[int, Case]

LEDGER_COLUMNS: Final[tuple[Column[Row], ...]] = (
    Column("序号", lambda r: r[0], width=6),
    Column("编号", lambda r: r[1].tracking_code, width=14),
    Column("日期", lambda r: timezone.localdate(r[1].submitted_at), width=12),
    Column("渠道", lambda r: str(r[1].get_channel_display()), width=10),
    Column("联络站", lambda r: _station(r[1]), width=24),
    Column(
        "反映人",
        lambda r: _person(r[1], mask=False),
        width=18,
        personal=True,
        masked=lambda r: _person(r[1], mask=True),
    ),
    Column("内容", lambda r: f"{r[1].title}\n{r[1].content}", width=60, personal=True),
    # A confident suggestion fills the column too, marked 建议 in the next one (decision 0007).
    Column(
        "分类",
        lambda r: ledger_category(
            r[1].category if r[1].category_id else None,
            hint_label=r[1].hint_label,
            needs_review=r[1].hint_needs_review,
        ),
        width=20,
    ),
    Column(
        "分类来源",
        lambda r: ledger_category_source(
            has_category=bool(r[1].category_id),
            hint_label=r[1].hint_label,
            needs_review=r[1].hint_needs_review,
        ),
        width=8,
    ),
    Column("承办单位", lambda r: _handler(r[1]), width=20),
    Column("答复", lambda r: r[1].reply, width=50, personal=True),
    Column("办理结果", lambda r: _result(r[1]), width=14),
    Column("评价", lambda r: _rating(r[1]), width=14),
)


def ledger_cases(
    user: Any,
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    region: Any = None,
) -> QuerySet[Case]:
    """Cases submitted in [date_from, date_to] within the user's view (and `region`)."""

    cases = cases_visible_to(user).filter(
        submitted_at__date__gte=date_from, submitted_at__date__lte=date_to
    )
    if region is not None:
        cases = cases.filter(region_subtree_q(region, "region_id"))
    return cases.select_related(
        "station", "region", "unit", "category", "assigned_deputy", "merged_into"
    ).order_by("submitted_at", "id")


def ledger_xlsx(cases: QuerySet[Case], *, mask: bool, title: str) -> tuple[bytes, int]:
    """The workbook bytes and the number of rows."""
    rows = enumerate(cases.iterator(chunk_size=1000), start=1)
    table = Table(columns=LEDGER_COLUMNS, rows=rows, title=title, sheet_name="民意台账", mask=mask)
    return table_xlsx(table)


def export_request(
    *,
    actor: User,
    date_from: datetime.date,
    date_to: datetime.date,
    region: Any = None,
    mask_person: bool = True,
) -> LedgerExport:
    """Record the request and hand it to the task worker. ValidationError (nothing recorded)
    for a period that ends before it starts, a region outside the actor's jurisdiction, or full
    names and phones asked for by someone whose roles may not see them."""

    if date_from > date_to:
        raise ValidationError({"date_to": _("结束日期不能早于开始日期。")}, code="period")
    if region is not None and not capability_scope(actor, Capability.WORK_CASES).covers_region(
        region.code
    ):
        raise ValidationError({"region": _("该区划不在您的辖区。")}, code="out_of_scope")
    # Only the staff who may reveal a person's contact on a case may export it in clear; never
    # an administrator (三权分立), whatever else the form says.
    if not mask_person and not has_capability(actor, Capability.WORK_CASES):
        raise ValidationError(
            {"mask_person": _("您的角色不能导出完整的反映人信息，请勾选“反映人信息脱敏”。")},
            code="unmasked_not_allowed",
        )
    job = LedgerExport.objects.create(
        created_by=actor,
        date_from=date_from,
        date_to=date_to,
        region=region,
        mask_person=mask_person,
    )

    # The worker has no request: it records the export under the address that asked for it.
    run_ledger_export.enqueue(export_id=job.pk, ip=current_ip.get())
    job.refresh_from_db()
    return job


def export_run(*, export_id: int, ip: str | None = None) -> LedgerExport:
    """Build the file of one export request (in the worker); audited under the requester's `ip`."""

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
    # A random part keeps stored names unguessable (MEDIA_ROOT has no URL; see downloads.py).
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
        ip=ip,
    )
    return job


@task()
def run_ledger_export(export_id: int, ip: str | None = None) -> None:
    export_run(export_id=export_id, ip=ip)


# --- access and expiry ---------------------------------------------------------------------------


def export_expires_at(job: LedgerExport) -> datetime.datetime | None:
    """When the file of a finished export is (or was) deleted."""
    if job.finished_at is None or job.status != JobStatus.DONE:
        return None
    return job.finished_at + datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS)


def export_is_expired(job: LedgerExport, *, now: datetime.datetime | None = None) -> bool:
    """A finished export whose file is gone or past its retention time."""
    expires_at = export_expires_at(job)
    if expires_at is None:
        return False
    return not job.file or (now or timezone.now()) >= expires_at


def export_downloadable_by(job: LedgerExport, user: Any) -> bool:
    """The requester, while the export's scope is still theirs.

    An export of one region needs that region in the user's current jurisdiction. An export of
    "all my jurisdiction" holds whatever the user saw when asking: it is refused once the user
    holds no work role any more, or holds one granted after the export (a change of post).
    """

    if job.created_by_id != getattr(user, "pk", None):
        return False
    if job.region_id is not None:
        return capability_scope(user, Capability.WORK_CASES).covers_region(job.region_id)
    work = [m for m in memberships_of(user) if m.role in roles_with(Capability.WORK_CASES)]
    return bool(work) and all(m.created_at <= job.created_at for m in work)


def exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of exports past `EXPORT_RETENTION_HOURS`; one audit row; how many."""

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS)
    expired = LedgerExport.objects.filter(status=JobStatus.DONE, finished_at__lte=cutoff).exclude(
        file=""
    )
    count = 0
    for job in expired.iterator():
        # The row stays (who exported what, when); the file of personal data goes.
        job.file.delete(save=False)
        LedgerExport.objects.filter(pk=job.pk).update(file="")
        count += 1
    if count:
        hours = settings.EXPORT_RETENTION_HOURS
        audit_record(
            actor=None,
            action=AuditAction.DELETE,
            object_type="cases.ledgerexport",
            note=f"删除超过保存期限（{hours} 小时）的民意台账文件：{count} 个",
        )
    return count
