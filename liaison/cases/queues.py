"""Workbench queues: which cases wait for whom, with filters and deadline countdowns.

Every queue starts from the loop's `cases_visible_to(user)` and narrows it; a page of a queue costs
a constant number of queries (the tab counts, capped; the rows; one query for the calendar
overrides of every region on the page).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from liaison.accounts.capabilities import Capability, roles_with
from liaison.accounts.models import Role
from liaison.accounts.scoping import AnyUser, roles_of
from liaison.cases.models import OPEN_STATUSES, Case, CoHandling, DueState, Status
from liaison.cases.permissions import deputy_id_of
from liaison.cases.selectors import Way, cases_visible_to, visible_ways
from liaison.cases.services.intake import tracking_code_in
from liaison.common.counting import counts_at_once
from liaison.common.hotcache import HotCache
from liaison.common.paging import LateRows
from liaison.jurisdiction.calendar import WorkingCalendar
from liaison.jurisdiction.models import CalendarOverride
from liaison.regions.models import Region, ancestor_codes

# Who works cases at a station or over a region, and who sees a queue at all.
_WORK: Final = roles_with(Capability.WORK_CASES)
_SEE: Final = roles_with(Capability.SEE_CASES)

_OPEN = Q(status__in=sorted(OPEN_STATUSES))


@dataclass(frozen=True)
class Queue:
    key: str
    label: str | Promise
    condition: Q
    roles: frozenset[str]
    # Which deadline the queue sorts by first.
    due_field: str = "reply_due"
    # Narrowed to the cases of the user's own deputy record (addressed to or assigned to them):
    # a user who is also station staff sees the station's cases too, which are not "to me".
    deputy_own: bool = False
    # The orders offered (keys of SORTS), the first the default.
    sorts: tuple[str, ...] = ("due", "new", "old")


QUEUES: tuple[Queue, ...] = (
    # Opinions sent through the deputy's own page or code, and cases handed to the deputy: they
    # wait for the deputy from the moment they arrive, before any station has accepted them.
    Queue("to_me", _("致我的意见"), _OPEN, frozenset({Role.DEPUTY}), "accept_due", deputy_own=True),
    Queue(
        "to_accept",
        _("待受理"),
        Q(status__in=[Status.SUBMITTED, Status.FORWARDED]),
        _WORK,
        "accept_due",
    ),
    Queue("to_assign", _("待交办"), Q(status=Status.ACCEPTED), _WORK, "accept_due"),
    Queue("handling", _("办理中/待答复"), Q(status=Status.ASSIGNED), _SEE),
    Queue("due_soon", _("临期"), _OPEN & Q(due_state=DueState.YELLOW), _SEE),
    Queue("overdue", _("逾期"), _OPEN & Q(due_state=DueState.RED), _SEE),
    Queue(
        "callback",
        _("待回访"),
        Q(status=Status.REPLIED, relayed_at__isnull=True),
        _WORK,
    ),
    Queue("reopened", _("不满意/重办"), _OPEN & Q(reopen_count__gt=0), _SEE),
    Queue("open", _("全部在办"), _OPEN, _SEE),
    # The jurisdiction's whole history, newest first. No "nearest deadline" order: closed cases
    # have none, and sorting every case of a county by two deadlines took 3.7 s at 1M cases.
    Queue("all", _("全部"), Q(), _SEE, sorts=("new", "old")),
)
QUEUE_BY_KEY = {q.key: q for q in QUEUES}

SORTS: dict[str, Sequence[Any]] = {
    # Nearest deadline first; cases without one last, then the oldest (`_ordering`).
    "due": (),
    "new": ("-submitted_at", "-id"),
    "old": ("submitted_at", "id"),
}


def queues_for(user: AnyUser) -> list[Queue]:
    roles = roles_of(user)
    return [q for q in QUEUES if q.roles & roles]


def default_queue(user: AnyUser) -> Queue:
    roles = roles_of(user)
    if roles & _WORK:
        return QUEUE_BY_KEY["to_accept"]
    if Role.DEPUTY in roles:
        return QUEUE_BY_KEY["to_me"]
    return QUEUE_BY_KEY["handling"]


def queue_condition(user: AnyUser, queue: Queue) -> Q:
    """The queue's condition for this user (a deputy's own queue names their deputy record)."""
    if not queue.deputy_own:
        return queue.condition
    deputy_id = deputy_id_of(user)
    if deputy_id is None:
        return Q(pk__in=[])
    return queue.condition & (Q(deputy_id=deputy_id) | Q(assigned_deputy_id=deputy_id))


@dataclass(frozen=True)
class CaseFilters:
    station_id: int | None = None
    region: Region | None = None
    kind: str = ""
    channel: str = ""
    category_path: str = ""
    unit_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    text: str = ""
    statuses: tuple[str, ...] = field(default_factory=tuple)


def visible_cases(user: AnyUser) -> QuerySet[Case]:
    # A unit's co-handled cases as ids: its queues read the unit's index (decision 0047).
    return cases_visible_to(user, co_handled_ids=True)


def apply_filters(cases: QuerySet[Case], filters: CaseFilters) -> QuerySet[Case]:
    """Narrow `cases` by the list filters (all optional, combined with AND)."""
    if filters.station_id:
        cases = cases.filter(station_id=filters.station_id)
    if filters.region is not None:
        low, high = filters.region.bounds
        cases = cases.filter(region_id__gte=low, region_id__lte=high)
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    if filters.channel:
        cases = cases.filter(channel=filters.channel)
    if filters.category_path:
        # A category covers its sub-categories (the path is the chain of names).
        cases = cases.filter(
            Q(category__path=filters.category_path)
            | Q(category__path__startswith=filters.category_path + "/")
        )
    if filters.unit_id:
        co = CoHandling.objects.filter(unit_id=filters.unit_id).values("case_id")
        cases = cases.filter(Q(unit_id=filters.unit_id) | Q(pk__in=co))
    if filters.date_from:
        cases = cases.filter(submitted_at__date__gte=filters.date_from)
    if filters.date_to:
        cases = cases.filter(submitted_at__date__lte=filters.date_to)
    if filters.statuses:
        cases = cases.filter(status__in=filters.statuses)
    text = filters.text.strip()
    code = tracking_code_in(text) if len(text) <= 16 else ""
    if code:
        # A person reading their code off the SMS over the phone. Still a text search too:
        # a word like "ASSESSMENT" is also a well-formed code.
        cases = cases.filter(
            Q(tracking_code=code) | Q(title__icontains=text) | Q(content__icontains=text)
        )
    elif text:
        for word in text.split()[:5]:
            cases = cases.filter(Q(title__icontains=word) | Q(content__icontains=word))
    return cases


ROW_RELATIONS = ("station", "region", "unit", "category", "assigned_deputy")


def queue_rows(
    user: AnyUser, *, queue: Queue, filters: CaseFilters | None = None, sort: str = "due"
) -> LateRows:
    """`queue_cases` for a page: sorted and sliced on ids (an index-only read of the queue index),
    with the full rows and their relations loaded for the page only.

    A user who sees cases more than one way (`visible_ways`: a deputy as sender and as assignee,
    a unit's own and co-handled cases, staff who are also a deputy) gets the same ids in the same
    order from one read per way (`WaysIds`), and the total from their union: given
    `(a OR b) AND status = …`, SQLite reads every case of the status (a deputy's 办理中 total:
    58 ms at 1M cases, its page 0.3 s).
    """
    ways = visible_ways(user)
    if len(ways) <= 1:
        cases = queue_cases(user, queue=queue, filters=filters, sort=sort)
        return LateRows(cases.values_list("pk", flat=True), _load_rows)
    ids = WaysIds(
        [
            (_narrowed(Case.objects.filter(way.condition), user, queue, filters), way)
            for way in ways
        ],
        _ordering(queue, sort),
    )
    return LateRows(ids, _load_rows, count=ids.count)


def _load_rows(pks: list[int]) -> QuerySet[Case]:
    return Case.objects.filter(pk__in=pks).select_related(*ROW_RELATIONS)


def queue_cases(
    user: AnyUser, *, queue: Queue, filters: CaseFilters | None = None, sort: str = "due"
) -> QuerySet[Case]:
    """The cases of `queue` the user may see, filtered and sorted, with what a row shows."""
    cases = _narrowed(visible_cases(user), user, queue, filters)
    return cases.select_related(*ROW_RELATIONS).order_by(*_ordering(queue, sort))


def _narrowed(
    cases: QuerySet[Case], user: AnyUser, queue: Queue, filters: CaseFilters | None
) -> QuerySet[Case]:
    cases = cases.filter(queue_condition(user, queue))
    return cases if filters is None else apply_filters(cases, filters)


def _ordering(queue: Queue, sort: str) -> tuple[Any, ...]:
    """The order of a queue's rows (the queue's default for an order it does not offer); every
    order ends with the id, so it is total."""
    if sort not in queue.sorts:
        sort = queue.sorts[0]
    if sort == "due":
        first = F(queue.due_field).asc(nulls_last=True)
        other = "reply_due" if queue.due_field == "accept_due" else "accept_due"
        return (first, F(other).asc(nulls_last=True), "submitted_at", "id")
    return tuple(SORTS[sort])


class WaysIds:
    """The ids of the union of several ways' cases in `ordering`, sliced, and their number.

    A slice [a:b] reads each way's first b ids (a narrow way, a person's own cases, whole: asked
    for its first b, SQLite would read the status index in deadline order instead), and the
    database sorts the union of those few once and cuts [a:b]: every case in the union's first b
    is among the first b of a way that holds it. A case seen two ways is one row (the outer
    query reads cases by id). The order is total (it ends with the id), so the page is the one
    the OR of the ways gives.
    """

    def __init__(self, ways: Sequence[tuple[QuerySet[Case], Way]], ordering: Sequence[Any]) -> None:
        self.ways = ways
        self.ordering = ordering

    def __getitem__(self, index: slice) -> list[int]:
        firsts = []
        for cases, way in self.ways:
            if way.narrow or index.stop is None:
                firsts.append(cases.order_by().values("pk"))
            else:
                # Wrapped: Django (on SQLite) takes no slice inside a UNION's parts.
                first = cases.order_by(*self.ordering).values("pk")[: index.stop]
                firsts.append(Case.objects.filter(pk__in=first).values("pk"))
        # One IN over a UNION, not an OR of INs: PostgreSQL reads an OR of IN subqueries by
        # scanning the whole table against them.
        cases = Case.objects.filter(pk__in=firsts[0].union(*firsts[1:])).order_by(*self.ordering)
        return list(cases.values_list("pk", flat=True)[index])

    def count(self) -> int:
        return _ids_union([cases for cases, _way in self.ways]).count()


def _ids_union(parts: Sequence[QuerySet[Case]]) -> QuerySet[Any]:
    """The ids of the cases of any of `parts`, one index read each (a UNION, not an OR)."""
    ids = [cases.order_by().values("pk") for cases in parts]
    return ids[0].union(*ids[1:])


# Tabs whose count would read the jurisdiction's whole history: shown without a number.
UNCOUNTED = frozenset({"all"})
# Tabs are counted up to this many ("1000+"): a tab is a work list, and an exact count of a very
# long one costs a scan of it on every page view while telling staff nothing more.
COUNT_CAP = 1000


def queue_counts(
    user: AnyUser, queues: Iterable[Queue], *, cap: int | None = COUNT_CAP
) -> dict[str, int | None]:
    """How many cases wait in each queue: one query for all tabs, each count stopping at `cap`.

    Every counted queue is a subset of the open cases and has an index that leads with its
    condition (status, then region, unit or station), so a capped count reads at most `cap`
    index entries whatever the size of the history; "全部" is not counted (None). `cap=None`
    counts exactly (the KPI page).
    """
    counted = [queue for queue in queues if queue.key not in UNCOUNTED]
    ways = visible_ways(user)
    counts = counts_at_once([_tab_cases(user, queue, ways) for queue in counted], cap=cap)
    result: dict[str, int | None] = {queue.key: None for queue in queues}
    result.update({queue.key: count for queue, count in zip(counted, counts, strict=True)})
    return result


def _tab_cases(user: AnyUser, queue: Queue, ways: list[Way]) -> QuerySet[Case]:
    """The cases of a tab, for counting. A user who sees cases in more than one way (a deputy:
    sent to them or assigned to them; a unit: its own and co-handled) is counted over the union
    of one index read per way (`visible_ways`), not an OR the database reads through the
    status index."""
    condition = queue_condition(user, queue)
    if len(ways) <= 1:
        return visible_cases(user).filter(condition)
    return Case.objects.filter(
        pk__in=_ids_union([Case.objects.filter(way.condition, condition) for way in ways])
    )


# --- deadlines on a page ----------------------------------------------------------------------


class _SharedCalendar(WorkingCalendar):
    """A calendar whose overrides come from rows loaded once for a whole page of cases."""

    def __init__(self, code: str, rows: list[tuple[str | None, datetime.date, bool]]) -> None:
        super().__init__(code)
        self._rows = rows

    def _load(self, low: datetime.date, high: datetime.date) -> None:
        best: dict[datetime.date, tuple[int, bool]] = {}
        for code, day, working in self._rows:
            if not low <= day <= high or (code is not None and code not in self._codes):
                continue
            rank = self._rank(code)
            if day not in best or rank > best[day][0]:
                best[day] = (rank, working)
        for day, (_rank, working) in best.items():
            self._overrides[day] = working


# The overrides of a page's regions: read on every queue and case page, changed a few times a
# year (the calendar services clear it; other processes see a change within HOT_CACHE_SECONDS).
_override_rows: HotCache[list[tuple[str | None, datetime.date, bool]]] = HotCache("page_calendars")


class PageCalendars:
    """Working-day calendars for the regions of a page of cases, from one query."""

    def __init__(self, region_codes: Iterable[str], *, start: int, end: int) -> None:

        codes = sorted({a for code in region_codes for a in ancestor_codes(code)})
        self.queries = 0
        self._rows: list[tuple[str | None, datetime.date, bool]] = []
        if codes:
            self._rows = _override_rows.get(
                (tuple(codes), start, end),
                lambda: list(
                    CalendarOverride.objects.filter(
                        Q(region__isnull=True) | Q(region_id__in=codes),
                        date__gte=datetime.date(start, 1, 1),
                        date__lte=datetime.date(end, 12, 31),
                    ).values_list("region_id", "date", "is_working_day")
                ),
            )
            self.queries = 1
        self._years = (start, end)
        self._calendars: dict[str, WorkingCalendar] = {}

    def for_region(self, code: str) -> WorkingCalendar:
        calendar = self._calendars.get(code)
        if calendar is None:
            calendar = _SharedCalendar(code, self._rows)
            # Mark the loaded years so a walk inside them never goes back to the database.
            calendar._loaded_years.update(range(self._years[0], self._years[1] + 1))
            calendar._load(
                datetime.date(self._years[0], 1, 1), datetime.date(self._years[1], 12, 31)
            )
            self._calendars[code] = calendar
        return calendar


def current_due(case: Case) -> datetime.date | None:
    """The deadline that matters now: acceptance before acceptance, reply while assigned."""
    if case.status in (Status.SUBMITTED, Status.FORWARDED):
        return case.accept_due
    if case.status == Status.ASSIGNED:
        return case.reply_due
    return None


@dataclass(frozen=True)
class Countdown:
    due: datetime.date
    days_left: int  # negative = overdue

    @property
    def label(self) -> str:
        from django.utils.translation import gettext

        if self.days_left < 0:
            return gettext("逾期 %(n)d 个工作日") % {"n": -self.days_left}
        return gettext("剩 %(n)d 个工作日") % {"n": self.days_left}

    @property
    def tone(self) -> str:
        return "bad" if self.days_left < 0 else "warn" if self.days_left <= 2 else "ok"


def attach_countdowns(cases: Sequence[Case], *, today: datetime.date | None = None) -> None:
    """Set `case.countdown` (a Countdown or None) on each case, with one query in all."""
    today = today or timezone.localdate()
    dues = [(case, current_due(case)) for case in cases]
    years = [d.year for _c, d in dues if d is not None]
    if not years:
        for case in cases:
            case.countdown = None  # type: ignore[attr-defined]
        return
    start, end = min([*years, today.year]), max([*years, today.year])
    calendars = PageCalendars({c.region_id for c, d in dues if d}, start=start, end=end)
    for case, due in dues:
        countdown = None
        if due is not None:
            calendar = calendars.for_region(case.region_id)
            countdown = Countdown(due, calendar.working_days_between(today, due))
        case.countdown = countdown  # type: ignore[attr-defined]
