"""Deadlines of a case in Chinese working days, from the settings of the case's jurisdiction.

- accept: `case_accept_working_days` after submission (受理时限, default 2);
- reply: `case_reply_working_days` after assignment (答复时限, default 15);
- warning: a case is yellow when at most `case_accept_warning_working_days` (accept stage,
  default 1) or `case_warning_working_days` (reply stage, default 2) working days are left, red
  when its due date has passed. The warning window is capped at one working day less than the
  stage's own deadline, so that a case is never yellow on arrival whatever the settings say
  (the settings page also refuses such pairs: liaison.jurisdiction.services).

Working days come from `liaison.jurisdiction.calendar` (statutory holidays, make-up working days
and the jurisdiction's own overrides). A due date is a `date`: the case is on time through that
whole day.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.common.hotcache import HotCache
from liaison.jurisdiction.calendar import WorkingCalendar, add_working_days, working_days_between
from liaison.jurisdiction.models import CalendarOverride, JurisdictionSetting
from liaison.jurisdiction.registry import SETTINGS
from liaison.jurisdiction.selectors import setting_value
from liaison.regions.models import Region, ancestor_codes

RegionLike = Region | str

ACCEPT_DAYS_KEY = "case_accept_working_days"
REPLY_DAYS_KEY = "case_reply_working_days"
EXTENSION_MAX_KEY = "case_extension_max_working_days"
WARNING_DAYS_KEY = "case_warning_working_days"
ACCEPT_WARNING_DAYS_KEY = "case_accept_warning_working_days"

# For each watched stage: (its warning setting, its deadline setting).
STAGE_WARNING_KEYS: dict[str, tuple[str, str]] = {
    "accept": (ACCEPT_WARNING_DAYS_KEY, ACCEPT_DAYS_KEY),
    "reply": (WARNING_DAYS_KEY, REPLY_DAYS_KEY),
}


def _code(region: RegionLike) -> str:
    return region.code if isinstance(region, Region) else region


def _local_date(moment: datetime.datetime | datetime.date) -> datetime.date:
    if isinstance(moment, datetime.datetime):
        return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    return moment


def accept_due_for(
    *, region: RegionLike, submitted_at: datetime.datetime | datetime.date
) -> datetime.date:
    """The last day to accept or decline a case submitted at `submitted_at` in `region`."""
    days = int(setting_value(key=ACCEPT_DAYS_KEY, region=_code(region)))
    return add_working_days(_local_date(submitted_at), days, _code(region))


_accept_dues: HotCache[datetime.date] = HotCache("accept_due")


def accept_due_cached(*, region: RegionLike, submitted_at: datetime.datetime) -> datetime.date:
    """`accept_due_for`, remembered per region and day for intake (see liaison.common.hotcache:
    a settings or calendar change reaches other processes within HOT_CACHE_SECONDS)."""
    code, day = _code(region), _local_date(submitted_at)
    return _accept_dues.get((code, day), lambda: accept_due_for(region=code, submitted_at=day))


def reply_due_for(*, region: RegionLike, assigned_at: datetime.datetime) -> datetime.date:
    """The last day for the handler to reply to a case assigned at `assigned_at` in `region`."""
    days = int(setting_value(key=REPLY_DAYS_KEY, region=_code(region)))
    return add_working_days(_local_date(assigned_at), days, _code(region))


def working_days_left(
    *, due: datetime.date, region: RegionLike, today: datetime.date | None = None
) -> int:
    """Working days from today to `due` (today excluded, `due` included); negative = overdue."""
    today = today or timezone.localdate()
    return working_days_between(today, due, _code(region))


def extend_due(*, due: datetime.date, region: RegionLike, days: int) -> datetime.date:
    """`due` pushed back by `days` working days (an approved extension)."""
    return add_working_days(due, days, _code(region))


def check_new_due(*, due: datetime.date, region: RegionLike, field: str = "due") -> None:
    """Raise ValidationError unless `due` is a working day after today in `region`."""
    today = timezone.localdate()
    if due <= today:
        raise ValidationError({field: _("期限须晚于今天")})
    if not WorkingCalendar(_code(region)).is_working_day(due):
        raise ValidationError(
            {field: _("期限须为工作日（%(day)s 为休息日）") % {"day": due.isoformat()}}
        )


# --- many regions at once (the escalation job) ------------------------------------------------


def _nearest_setting(key: str, rows: dict[str, Any], chain: list[str]) -> Any:

    definition = SETTINGS[key]
    for code in reversed(chain):
        if code in rows:
            try:
                return definition.from_json(rows[code])
            except ValidationError:
                continue
    return definition.clean(definition.default)


def warning_cutoffs(
    *, region_codes: Iterable[str], today: datetime.date, stage: str = "reply"
) -> dict[str, datetime.date]:
    """For each region code, the first due date that is *not* in the yellow window of `stage`
    ("accept" or "reply").

    A case of that region with `due < cutoff` has at most the stage's warning days left; the
    window is never as long as the stage itself (see the module docstring). Two queries for any
    number of regions (settings and which regions have calendar overrides), plus one calendar per
    distinct local calendar and warning length — so the cost grows with the number of
    jurisdictions that customize, never with the number of cases.
    """

    warning_key, deadline_key = STAGE_WARNING_KEYS[stage]
    codes = set(region_codes)
    chains = {code: ancestor_codes(code) for code in codes}
    ancestors = sorted({a for chain in chains.values() for a in chain})
    if not ancestors:
        return {}
    rows: dict[str, dict[str, Any]] = {warning_key: {}, deadline_key: {}}
    for region_id, setting_key, value in JurisdictionSetting.objects.filter(
        key__in=(warning_key, deadline_key), region_id__in=ancestors
    ).values_list("region_id", "key", "value"):
        rows[setting_key][region_id] = value
    horizon = today + datetime.timedelta(days=200)
    calendar_regions = set(
        CalendarOverride.objects.filter(region_id__in=ancestors, date__gte=today, date__lte=horizon)
        .values_list("region_id", flat=True)
        .distinct()
    )
    computed: dict[tuple[str | None, int], datetime.date] = {}
    result: dict[str, datetime.date] = {}
    for code, chain in chains.items():
        warning = int(_nearest_setting(warning_key, rows[warning_key], chain))
        length = int(_nearest_setting(deadline_key, rows[deadline_key], chain))
        days = max(0, min(warning, length - 1))
        local = [a for a in chain if a in calendar_regions]
        # The deepest region with overrides has every other one of `local` among its ancestors.
        key = (local[-1] if local else None, days)
        if key not in computed:
            computed[key] = WorkingCalendar(key[0]).add_working_days(today, days + 1)
        result[code] = computed[key]
    return result


def extension_days_granted(case: Any, requests: Iterable[Any] | None = None) -> int:
    """Working days already granted in the current round of handling (since the assignment).
    `requests`: the case's extension requests when the caller has them (the case page), else
    one query."""
    from liaison.cases.models import ExtensionRequest  # the models import this module

    approved = ExtensionRequest.Decision.APPROVED
    since = case.assigned_at
    if requests is not None:
        return sum(
            r.requested_days
            for r in requests
            if r.decision == approved and (since is None or r.requested_at >= since)
        )
    granted = ExtensionRequest.objects.filter(case=case, decision=approved)
    if since is not None:
        granted = granted.filter(requested_at__gte=since)
    return sum(granted.values_list("requested_days", flat=True))


def extension_days_available(case: Any, requests: Iterable[Any] | None = None) -> int:
    """How many more working days the handler may still ask for."""
    limit = int(setting_value(key=EXTENSION_MAX_KEY, region=case.region_id))
    return max(0, limit - extension_days_granted(case, requests))
