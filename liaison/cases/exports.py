"""民意台账: the ledger of cases for a period and a scope, as xlsx.

The official columns are declared once in `LEDGER_COLUMNS` and written by the export kit
(`liaison.common.exports`); the person is masked unless the export asked otherwise (that choice is
recorded in the audit trail). The file is built by the task worker as an export job (`jobs.py`);
the station-year zip of registers reuses the same rows and writer (`liaison/archives`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any, Final

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.cases.models import Case, Status
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


def ledger_title(*, scope: str, date_from: datetime.date, date_to: datetime.date) -> str:
    """The title line of the file, e.g. 民意台账（岳麓区，2026-03-01 至 2026-03-31）."""
    return _("民意台账（%(scope)s，%(a)s 至 %(b)s）") % {
        "scope": scope,
        "a": date_from.isoformat(),
        "b": date_to.isoformat(),
    }


# Rows between two progress reports of a ledger built by the worker (one UPDATE each).
PROGRESS_EVERY = 1000


def _counted(cases: QuerySet[Case], progress: Callable[[int], None]) -> Iterator[Case]:
    """The cases, reporting the share written every PROGRESS_EVERY rows."""
    total = cases.count()
    for number, case in enumerate(cases.iterator(chunk_size=1000), start=1):
        if number % PROGRESS_EVERY == 0 and total:
            progress(number * 100 // total)
        yield case


def ledger_xlsx(
    cases: QuerySet[Case],
    *,
    mask: bool,
    title: str,
    progress: Callable[[int], None] | None = None,
) -> tuple[bytes, int]:
    """The workbook bytes and the number of rows (`progress` hears the share written)."""
    source = cases.iterator(chunk_size=1000) if progress is None else _counted(cases, progress)
    rows = enumerate(source, start=1)
    table = Table(columns=LEDGER_COLUMNS, rows=rows, title=title, sheet_name="民意台账", mask=mask)
    return table_xlsx(table)
