"""Chinese working days: statutory holidays, make-up working days (调休) and local overrides.

Deadlines in the platform (受理 2 个工作日, 答复 15 个工作日, …) are counted in working days.
A day's status comes from, in order of precedence:

1. a `CalendarOverride` of the region or its nearest ancestor (a local extra holiday, a local
   make-up day), then a national override (region empty);
2. the `chinese_calendar` package, which follows the State Council's yearly notice;
3. for a year the package does not know yet: Monday–Friday less the holidays whose dates the law
   fixes (元旦 1.1, 劳动节 5.1–5.2, 国庆 10.1–10.3, and 清明 on its solar term); a warning is
   logged once per year, so a deployment keeps working and staff add the lunar holidays (春节,
   端午, 中秋) and the make-up days of the State Council's notice as national overrides.

Overrides are read from the database once per `WorkingCalendar` (one query for the date range a
call needs, more only if a walk runs past it); nothing is cached across calls or requests, so an
override added on the calendar page applies at once. The package's own data is static and cached.

For many computations in one region (a nightly escalation job) build one `WorkingCalendar` and
reuse it; the module-level functions build a fresh one per call.
"""

from __future__ import annotations

import datetime
import functools
import logging
from dataclasses import dataclass

import chinese_calendar
from django.db.models import Q
from django.utils import timezone

from liaison.jurisdiction.models import CalendarOverride
from liaison.regions.models import Region, ancestor_codes

logger = logging.getLogger(__name__)

_NATIONAL_RANK = -1
_ONE_DAY = datetime.timedelta(days=1)
# Longest run of consecutive non-working days we expect (a 9-day Spring Festival plus weekends);
# used only to size the first query so that one query usually covers a whole walk.
_SLACK_DAYS = 20
_warned_years: set[int] = set()


@dataclass(frozen=True)
class StatutoryDay:
    """A day the national calendar treats specially: a holiday or a make-up working day."""

    date: datetime.date
    is_working_day: bool
    name: str  # Chinese holiday name, e.g. "春节"


def _as_date(day: datetime.date) -> datetime.date:
    if isinstance(day, datetime.datetime):
        return timezone.localdate(day) if timezone.is_aware(day) else day.date()
    return day


def _chinese_name(english: str | None) -> str:
    if not english:
        return ""
    try:
        return str(chinese_calendar.Holiday(english).chinese)
    except ValueError:
        return english


@functools.lru_cache(maxsize=16384)
def _statutory_working(day: datetime.date) -> bool | None:
    """The package's answer for `day`, or None when it has no data for that year."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def statutory_year_known(year: int) -> bool:
    """Whether the chinese_calendar package has the State Council's data for `year`."""
    return _statutory_working(datetime.date(year, 6, 1)) is not None


def statutory_days(year: int) -> list[StatutoryDay]:
    """The package's holidays and make-up working days of `year` (empty if it does not know it).

    Ordinary weekends are not listed; weekend days inside a holiday period are.
    """
    if not statutory_year_known(year):
        return []
    days = [
        StatutoryDay(day, False, _chinese_name(name))
        for day, name in chinese_calendar.holidays.items()
        if day.year == year
    ]
    days += [
        StatutoryDay(day, True, _chinese_name(name))
        for day, name in chinese_calendar.workdays.items()
        if day.year == year
    ]
    return sorted(days, key=lambda d: d.date)


# Holidays whose dates the law fixes (全国年节及纪念日放假办法, revised 2024), by (month, day).
_FIXED_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})


@functools.lru_cache(maxsize=64)
def _qingming(year: int) -> datetime.date | None:
    """清明 of `year` (the solar term, computed by the package for years it has no notice for)."""
    try:
        terms = chinese_calendar.get_solar_terms(
            datetime.date(year, 4, 1), datetime.date(year, 4, 10)
        )
    except Exception:  # outside the package's astronomical range: no guess
        return None
    return next((d for d, name in terms if name == "清明"), None)


def fixed_holiday(day: datetime.date) -> bool:
    """Whether `day` is a statutory holiday whatever the year's notice says (not 春节, 端午 and
    中秋, which follow the lunar calendar, nor the make-up days of the notice)."""
    return (day.month, day.day) in _FIXED_HOLIDAYS or day == _qingming(day.year)


def _default_working(day: datetime.date) -> bool:
    known = _statutory_working(day)
    if known is not None:
        return known
    if day.year not in _warned_years:
        _warned_years.add(day.year)
        logger.warning(
            "chinese_calendar has no holiday data for %s: counting Monday–Friday less the fixed "
            "holidays as working days, plus calendar overrides; add the year's lunar holidays and "
            "make-up days as national overrides or upgrade the package.",
            day.year,
        )
    return day.weekday() < 5 and not fixed_holiday(day)


class WorkingCalendar:
    """Working-day arithmetic for one region (or the nation when `region` is None)."""

    def __init__(self, region: Region | str | None = None) -> None:
        code = region.code if isinstance(region, Region) else region
        self._codes: list[str] = ancestor_codes(code) if code else []
        self._overrides: dict[datetime.date, bool] = {}
        self._loaded_years: set[int] = set()
        self.queries = 0  # how many times overrides were loaded; for tests and benchmarks

    # --- loading overrides -------------------------------------------------------------------

    def _rank(self, code: str | None) -> int:
        return _NATIONAL_RANK if code is None else self._codes.index(code)

    def _load(self, low: datetime.date, high: datetime.date) -> None:
        scope = Q(region__isnull=True)
        if self._codes:
            scope |= Q(region_id__in=self._codes)
        rows = CalendarOverride.objects.filter(scope, date__gte=low, date__lte=high).values_list(
            "region_id", "date", "is_working_day"
        )
        self.queries += 1
        best: dict[datetime.date, tuple[int, bool]] = {}
        for code, day, working in rows:
            rank = self._rank(code)
            if day not in best or rank > best[day][0]:
                best[day] = (rank, working)
        for day, (_rank, working) in best.items():
            self._overrides[day] = working

    def ensure_loaded(self, start: datetime.date, end: datetime.date) -> None:
        """Make sure overrides for every day between `start` and `end` are in memory.

        Whole calendar years are loaded (a region has a few dozen overrides a year at most), in one
        query for all the years still missing, so a walk rarely needs a second query.
        """
        first, last = sorted((start.year, end.year))
        missing = [y for y in range(first, last + 1) if y not in self._loaded_years]
        if not missing:
            return
        self._load(datetime.date(min(missing), 1, 1), datetime.date(max(missing), 12, 31))
        self._loaded_years.update(range(min(missing), max(missing) + 1))

    # --- questions ---------------------------------------------------------------------------

    def is_working_day(self, day: datetime.date) -> bool:
        """Whether staff work on `day` in this region."""
        day = _as_date(day)
        if day.year not in self._loaded_years:
            self.ensure_loaded(day, day)
        override = self._overrides.get(day)
        if override is not None:
            return override
        return _default_working(day)

    def _walk(self, day: datetime.date, step: datetime.timedelta) -> datetime.date:
        """The first working day strictly after (or before, for a negative step) `day`."""
        while True:
            day += step
            if self.is_working_day(day):
                return day

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """The first working day strictly after `day` (Friday → Monday, Sep 30 → Oct 9)."""
        day = _as_date(day)
        self.ensure_loaded(day, day + datetime.timedelta(days=_SLACK_DAYS))
        return self._walk(day, _ONE_DAY)

    def previous_working_day(self, day: datetime.date) -> datetime.date:
        """The last working day strictly before `day`."""
        day = _as_date(day)
        self.ensure_loaded(day - datetime.timedelta(days=_SLACK_DAYS), day)
        return self._walk(day, -_ONE_DAY)

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        """The n-th working day after `start`; `start` itself is never counted.

        - n > 0: walk forward from the day after `start`, counting working days, and return the
          n-th (a case accepted on a Friday with n=2 is due on Tuesday; the days of a holiday are
          skipped and make-up Saturdays count).
        - n = 0: `start` if it is a working day, else the next working day.
        - n < 0: the |n|-th working day before `start`, walking backward from the day before.

        For n >= 0, `working_days_between(start, add_working_days(start, n)) == n`; for n < 0
        the same holds with -n when `start` is itself a working day.
        """
        start = _as_date(start)
        span = datetime.timedelta(days=abs(n) * 2 + _SLACK_DAYS)
        if n >= 0:
            self.ensure_loaded(start, start + span)
            if n == 0:
                return start if self.is_working_day(start) else self._walk(start, _ONE_DAY)
            step = _ONE_DAY
        else:
            self.ensure_loaded(start - span, start)
            step = -_ONE_DAY
        day = start
        for _i in range(abs(n)):
            day = self._walk(day, step)
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days in (start, end]: `start` excluded, `end` included.

        Negative when `end` is before `start`: -working_days_between(end, start). Zero when equal.
        "How many working days has this case been waiting" is working_days_between(accepted, today).
        """
        start, end = _as_date(start), _as_date(end)
        if end < start:
            return -self.working_days_between(end, start)
        self.ensure_loaded(start, end)
        count = 0
        day = start
        while day < end:
            day += _ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count


def is_working_day(day: datetime.date, region: Region | str | None = None) -> bool:
    """Whether `day` is a working day in `region` (nearest override, then the national calendar)."""
    return WorkingCalendar(region).is_working_day(day)


def next_working_day(day: datetime.date, region: Region | str | None = None) -> datetime.date:
    """The first working day strictly after `day` in `region`."""
    return WorkingCalendar(region).next_working_day(day)


def previous_working_day(day: datetime.date, region: Region | str | None = None) -> datetime.date:
    """The last working day strictly before `day` in `region`."""
    return WorkingCalendar(region).previous_working_day(day)


def add_working_days(
    start: datetime.date, n: int, region: Region | str | None = None
) -> datetime.date:
    """The n-th working day after `start` (see `WorkingCalendar.add_working_days` for n <= 0)."""
    return WorkingCalendar(region).add_working_days(start, n)


def working_days_between(
    start: datetime.date, end: datetime.date, region: Region | str | None = None
) -> int:
    """Working days in (start, end] in `region`; negative when `end` is before `start`."""
    return WorkingCalendar(region).working_days_between(start, end)
