"""The public face: a published report, the rating page its QR code opens, and the section on
the deputy's public page (handed to liaison.deputies in `DutyReportsConfig.ready`).

Rating results are public only once the window has closed (decision 0035): while people are
still rating, a running score would sway those who have not yet rated.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from liaison.common.hotcache import HotCache
from liaison.deputies.models import Deputy
from liaison.deputies.selectors import PublicItem, PublicSection
from liaison.dutyreports.models import DutyReport, Status
from liaison.dutyreports.selectors import with_counts

PUBLIC_LIMIT = 10
# The deputy page is at its query budget (decision 0029): the section is kept per process like
# other small derived reads; publishing clears it, results appear within HOT_CACHE_SECONDS of the
# window's close.
_SECTIONS: HotCache[PublicSection] = HotCache("dutyreports.public_sections")


def results_public(report: DutyReport) -> bool:
    return report.status == Status.PUBLISHED and timezone.now() >= report.rating_closes_at


def report_public_get(pk: int) -> DutyReport:
    """A published report of a deputy in office, with its rating counts, or Http404."""
    report = (
        with_counts(DutyReport.objects.filter(pk=pk, status=Status.PUBLISHED))
        .filter(deputy__is_active=True)
        .select_related("deputy", "station")
        .first()
    )
    if report is None:
        raise Http404("no such published report")
    return report


def report_for_rating(token: str) -> DutyReport:
    """The report a QR code names (any status but cancelled: the page says whether it is open)."""
    report = (
        DutyReport.objects.filter(token=token)
        .exclude(status=Status.CANCELLED)
        .select_related("deputy", "station")
        .first()
    )
    if report is None:
        raise Http404("no such report")
    return report


def public_duty_reports(deputy: Deputy) -> PublicSection | None:
    """The deputy's published reports, newest first, with results once their window closed."""
    return _SECTIONS.get(deputy.pk, lambda: _section(deputy))


def _section(deputy: Deputy) -> PublicSection:
    rows = with_counts(DutyReport.objects.filter(deputy=deputy, status=Status.PUBLISHED))
    items = []
    for row in rows.select_related("station").order_by("-starts_at", "-id")[:PUBLIC_LIMIT]:
        meta = f"{date_format(timezone.localtime(row.starts_at), 'Y年n月j日')} · {row.station.name}"
        if results_public(row):
            meta += " · " + _("满意 %(a)d，基本满意 %(b)d，不满意 %(c)d") % {
                "a": row.satisfied,  # type: ignore[attr-defined]
                "b": row.basic,  # type: ignore[attr-defined]
                "c": row.unsatisfied,  # type: ignore[attr-defined]
            }
        items.append(
            PublicItem(
                title=row.title,
                meta=meta,
                text="",
                url=reverse("dutyreports_h5:detail", args=[row.pk]),
            )
        )
    return PublicSection(heading=_("代表述职"), items=tuple(items))
