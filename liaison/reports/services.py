"""Writes of the monthly report: request (on demand), build (in the worker), schedule (the 1st).

One row per scope and month: asking again resets that row and rebuilds it, and a successful
build replaces the files. Building is a background task (`generate_monthly_report_task`).
"""

from __future__ import annotations

import datetime
import logging
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.common.fonts import CJKFontMissing, find_cjk_font
from liaison.regions.models import Level, Region
from liaison.reports.charts import chart_images, chart_svgs
from liaison.reports.data import report_data
from liaison.reports.documents import report_docx, report_pdf
from liaison.reports.models import MonthlyReport, ReportStatus
from liaison.stations.models import Station

logger = logging.getLogger(__name__)


def _check_month(month: datetime.date, today: datetime.date) -> datetime.date:
    month = month.replace(day=1)
    if month > today.replace(day=1):
        raise ValidationError(_("不能为未来的月份生成报告。"), code="future")
    return month


def report_request(
    *,
    actor: User | None,
    month: datetime.date,
    region: Region | None = None,
    station: Any = None,
    today: datetime.date | None = None,
) -> MonthlyReport:
    """Create (or reset) the report of a scope and month and hand it to the worker.

    The caller checks that the scope is inside the actor's jurisdiction (see the view).
    """
    if (region is None) == (station is None):
        raise ValueError("exactly one of region and station")
    month = _check_month(month, today or timezone.localdate())
    with transaction.atomic():
        lookup = {"station": station} if station is not None else {"region": region}
        report, _created = MonthlyReport.objects.select_for_update().get_or_create(
            month=month, **lookup, defaults={"requested_by": actor}
        )
        if report.is_waiting and not _created:
            return report  # already queued: asking twice does not build twice
        report.status, report.error, report.requested_by = ReportStatus.PENDING, "", actor
        report.save(update_fields=["status", "error", "requested_by"])
    # The immediate backend (tests) builds it right here; the database backend queues it.
    generate_monthly_report_task.enqueue(report_id=report.pk)
    report.refresh_from_db()
    return report


def _replace(field: Any, name: str, content: bytes) -> None:
    old = field.name
    field.save(name, ContentFile(content), save=False)
    if old and old != field.name:
        field.storage.delete(old)


def report_build(*, report_id: int, today: datetime.date | None = None) -> MonthlyReport:
    """Compute the snapshot, draw the charts and write the files (in the worker)."""

    report = MonthlyReport.objects.select_related("region", "station").get(pk=report_id)
    report.status = ReportStatus.RUNNING
    report.save(update_fields=["status"])
    try:
        find_cjk_font()  # before any work: without it every file would show boxes
        data = report_data(report=report, today=today)
        data["charts"] = chart_svgs(data)
        pngs = chart_images(data, "png")
        docx_bytes = report_docx(data, pngs)
        pdf_bytes = report_pdf(data, pngs)
    except CJKFontMissing as exc:
        return _fail(report, str(exc))
    except Exception as exc:
        logger.exception("monthly report %s failed", report_id)
        _fail(report, _("生成失败：%(e)s") % {"e": exc})
        raise
    stem = f"yanpan_{report.month:%Y%m}_{report.pk}_{secrets.token_hex(6)}"
    _replace(report.docx, f"{stem}.docx", docx_bytes)
    _replace(report.pdf, f"{stem}.pdf", pdf_bytes)
    report.data, report.status, report.error = data, ReportStatus.DONE, ""
    report.finished_at = timezone.now()
    report.save()
    return report


def _fail(report: MonthlyReport, message: str) -> MonthlyReport:
    report.status, report.error, report.finished_at = (
        ReportStatus.FAILED,
        message[:500],
        timezone.now(),
    )
    report.save(update_fields=["status", "error", "finished_at"])
    return report


@task()
def generate_monthly_report_task(report_id: int) -> str:
    """Build one report; returns its status."""
    return str(report_build(report_id=report_id).status)


def schedule_monthly_reports(*, today: datetime.date | None = None) -> list[int]:
    """Request last month's report of every county that has a station (the 1st of the month).

    Stations' own reports are made on demand. Idempotent: a county whose report of that month is
    done or queued is left alone, so the scheduler may call this more than once a day.
    """

    today = today or timezone.localdate()
    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    codes = {
        code[:6].ljust(12, "0") for code in Station.objects.values_list("region_id", flat=True)
    }
    counties = Region.objects.filter(code__in=codes, level=Level.COUNTY).order_by("code")
    done = set(
        MonthlyReport.objects.filter(month=month, region__in=counties).values_list(
            "region_id", flat=True
        )
    )
    requested = []
    for county in counties:
        if county.code in done:
            continue
        requested.append(report_request(actor=None, month=month, region=county, today=today).pk)
    return requested


@task()
def schedule_monthly_reports_task(today: str | None = None) -> list[int]:
    """The scheduler's job on the 1st of each month (see `manage.py worker`)."""
    day = datetime.date.fromisoformat(today) if today else None
    return schedule_monthly_reports(today=day)
