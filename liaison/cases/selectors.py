"""Scoped reads of cases, their public timeline, and who should hear about a case.

Every staff list starts from `cases_visible_to(user)` and every case page from
`case_get_for_user(user, pk)`; the rules are those of `liaison.cases.permissions`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability, capability_scope, roles_with
from liaison.accounts.models import Membership, Role, User
from liaison.accounts.scoping import AnyUser, scope_for
from liaison.cases.models import Case, CaseEvent, CoHandling, EventKind, Supervision
from liaison.cases.permissions import actor_roles_for, deputy_id_of
from liaison.regions.models import ancestor_codes
from liaison.stations.models import Station

__all__ = [
    "actor_roles_for",
    "case_get_for_user",
    "cases_visible_to",
    "public_timeline",
]


def _scope_condition(
    user: AnyUser,
    capability: Capability,
    *,
    region_field: str = "region_id",
    station_field: str = "station_id",
) -> Q:
    scope = capability_scope(user, capability)
    condition = scope.q(region_field=region_field)
    for path in scope.station_paths:
        # A subquery on the small station table keeps the filter on cases an indexed IN.
        stations = Station.objects.filter(path__startswith=path).values("pk")
        condition |= Q(**{f"{station_field}__in": stations})
    return condition


class Way(NamedTuple):
    """One way a user sees cases (`visible_ways`)."""

    condition: Q
    # A person's own cases (a deputy's as sender or as assignee, a unit's co-handled ones written
    # out as ids): few whatever the size of the history, so a list reads them whole through their
    # own index. Asked for them sorted and cut, SQLite (no statistics) reads the status index in
    # deadline order instead and tests every case of the status (0.3 s at 1M cases).
    narrow: bool = False


# A unit's co-handled cases are read first, as ids, when there are at most this many.
CO_HANDLED_MAX = 500


def _co_handled_way(user: AnyUser, unit_ids: tuple[int, ...]) -> Way | None:
    """The cases the user's units co-handle, as a literal id list (None when there are none).

    `unit_id IN … OR pk IN (SELECT case_id FROM cases_cohandling …)` made the database drop the
    unit index and scan every case of the queue's status (83 ms for a unit's count at 1M cases,
    issue 16). Co-handled cases are few: with their ids written out (none, most often, and then
    no term at all) the unit's queues are read from the unit's indexes. Read once per request
    (remembered on the user object, as the memberships are); a unit with more than
    CO_HANDLED_MAX co-handled cases keeps the subquery (not a narrow way). Decision 0047.
    """
    memo: dict[tuple[int, ...], Way | None] = vars(user).setdefault("_liaison_co_handled", {})
    if unit_ids not in memo:
        rows = CoHandling.objects.filter(unit_id__in=unit_ids).order_by("case_id")
        ids = list(rows.values_list("case_id", flat=True)[: CO_HANDLED_MAX + 1])
        if len(ids) > CO_HANDLED_MAX:
            memo[unit_ids] = Way(Q(pk__in=rows.values("case_id")))
        else:
            memo[unit_ids] = Way(Q(pk__in=ids), narrow=True) if ids else None
    return memo[unit_ids]


def cases_visible_to(user: AnyUser, *, co_handled_ids: bool = False) -> QuerySet[Case]:
    """Cases the user may see: by station, region, handling unit or as the deputy concerned.

    `co_handled_ids=True` (the queues) reads a unit's co-handled cases first and writes their ids
    out (`_co_handled_way`). Elsewhere they stay a subquery: a case page or a check of a few cases
    probes it cheaply, and reading the ids first would be one query more on pages at budget.
    """
    if not user.is_authenticated:
        return Case.objects.none()
    condition = _scope_condition(user, Capability.WORK_CASES)
    for way in _other_ways(user, co_handled_ids=co_handled_ids):
        condition |= way.condition
    return Case.objects.filter(condition)


def _other_ways(user: AnyUser, *, co_handled_ids: bool) -> list[Way]:
    """The ways besides the place scope: a unit's own and co-handled cases, a deputy's as sender
    and as assignee (a co-handled list known to be empty left out)."""
    ways: list[Way] = []
    unit_ids = scope_for(user, {Role.HANDLING_UNIT}).unit_ids
    if unit_ids:
        ways.append(Way(Q(unit_id__in=unit_ids)))
        if co_handled_ids:
            co_handled = _co_handled_way(user, unit_ids)
            ways += [co_handled] if co_handled else []
        else:
            co = CoHandling.objects.filter(unit_id__in=unit_ids).values("case_id")
            ways.append(Way(Q(pk__in=co)))
    deputy_id = deputy_id_of(user)
    if deputy_id is not None:
        ways += [
            Way(Q(deputy_id=deputy_id), narrow=True),
            Way(Q(assigned_deputy_id=deputy_id), narrow=True),
        ]
    return ways


def visible_ways(user: AnyUser) -> list[Way]:
    """The ways `cases_visible_to(user, co_handled_ids=True)` joins with OR (the place scope, the
    unit's cases, its co-handled ones, the deputy's as sender and as assignee), those that can
    match anything; a case is visible when it meets any of them.

    For counting and listing: given `(a OR b) AND status = …`, SQLite (no statistics) reads every
    case of the status through its index and tests a and b on each (a deputy's 办理中 tab: 80 ms
    at 1M cases); each way with the status is one short index read of its own.
    """
    if not user.is_authenticated:
        return []
    ways: list[Way] = []
    if not capability_scope(user, Capability.WORK_CASES).is_empty:
        ways.append(Way(_scope_condition(user, Capability.WORK_CASES)))
    return ways + _other_ways(user, co_handled_ids=True)


def cases_visible_by_place(
    user: AnyUser, *, region_field: str = "region_id", station_field: str = "station_id"
) -> Q | None:
    """`cases_visible_to(user)` as a filter on the region code and the station id alone (it
    fits the KPI rollup's rows too), or None when the user also sees a unit's or a deputy's own
    cases, which no place describes."""
    if not user.is_authenticated:
        return None
    if scope_for(user, {Role.HANDLING_UNIT}).unit_ids or deputy_id_of(user) is not None:
        return None
    return _scope_condition(
        user, Capability.WORK_CASES, region_field=region_field, station_field=station_field
    )


def open_supervisions_visible_to(user: AnyUser) -> QuerySet[Supervision]:
    """Supervisions not yet resolved on cases in the user's view, newest first."""
    return (
        Supervision.objects.filter(
            resolved_at__isnull=True, case__in=cases_visible_to(user).values("pk")
        )
        .select_related("case", "case__unit", "case__assigned_deputy", "opened_by")
        .order_by("-opened_at", "-id")
    )


def case_get_for_user(user: AnyUser, pk: int) -> Case:
    """One case in the user's view with what its page shows, or Http404.

    The case it was merged into is not joined (`merged_into_code` reads it for the few merged
    cases): a second cases_case in the join took PostgreSQL 6 of the 8 ms it spent planning this
    query, for every case page (28 indexes to weigh twice, decision 0055)."""
    try:
        return (
            cases_visible_to(user)
            .select_related("region", "station", "unit", "deputy", "assigned_deputy", "category")
            .get(pk=pk)
        )
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("case not in scope") from None


# What the timelines said of every answer before the note followed who answered.
_UNIT_REPLY_NOTE = "承办单位已答复，请查看答复内容并评价"


def reply_note(role: str) -> str:
    """The timeline's words for an answer, naming who gave it (a deputy is no 承办单位)."""
    if role == Role.DEPUTY:
        return _("代表已答复，请查看答复内容并评价")
    if role == Role.HANDLING_UNIT:
        return _("承办单位已答复，请查看答复内容并评价")
    return _("已答复，请查看答复内容并评价")


def _relabel(events: list[CaseEvent]) -> list[CaseEvent]:
    """Answers recorded before `reply_note` said 承办单位 whoever answered: say who did."""
    for event in events:
        if (
            event.kind == EventKind.REPLIED
            and event.note == _UNIT_REPLY_NOTE
            and event.actor_role != Role.HANDLING_UNIT
        ):
            event.note = reply_note(event.actor_role)
    return events


def public_timeline(case: Case) -> list[CaseEvent]:
    """The events the constituent sees on the tracking page, oldest first: only the columns it
    and the public API show (`_relabel` reads the role), not the JSON `data`."""
    events = case.events.filter(is_public=True).only("at", "kind", "note", "actor_role")
    return _relabel(list(events.order_by("at", "id")))


def staff_timeline(case: Case) -> list[CaseEvent]:
    """Every event of the case with its actor, oldest first (the staff case page)."""
    return _relabel(list(case.events.select_related("actor").order_by("at", "id")))


def merged_into_code(case: Case) -> str:
    """The tracking code of the case `case` was merged into; "" when it was not merged."""
    if case.merged_into_id is None:
        return ""
    code = Case.objects.filter(pk=case.merged_into_id).values_list("tracking_code", flat=True)
    return code.first() or ""


def merged_into_visible(user: AnyUser, case: Case) -> tuple[list[Case], int]:
    """The cases merged into `case` that the user may open, and how many others there are."""
    # One query: every merged case, each marked whether the user may open it.
    rows = list(
        Case.objects.filter(merged_into=case)
        .annotate(may_open=Exists(cases_visible_to(user).filter(pk=OuterRef("pk"))))
        .only("pk", "tracking_code", "title", "submitted_at")
        .order_by("submitted_at", "pk")
    )
    visible: list[Case] = [row for row in rows if row.may_open]
    return visible, len(rows) - len(visible)


# --- recipients ---------------------------------------------------------------------------------


def _station_prefixes(path: str) -> list[str]:
    """'/A/B/' → ['/A/', '/A/B/']: the paths of the station and of every station above it."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def users_by_keys(
    *,
    unit_ids: Iterable[int] = (),
    station_paths: Iterable[str] = (),
    region_codes: Iterable[str] = (),
) -> dict[tuple[str, Any], set[int]]:
    """User ids to notify, keyed ("unit", id) / ("station", path) / ("region", code).

    - a unit's staff;
    - the officers and heads of a station or of any station above it;
    - congress staff whose region covers the region code.
    Three queries at most, whatever the number of keys (the escalation job calls it per batch).
    """
    result: dict[tuple[str, Any], set[int]] = {}
    unit_set = set(unit_ids)
    if unit_set:
        rows = Membership.objects.filter(
            role=Role.HANDLING_UNIT, unit_ref__in=unit_set, user__is_active=True
        ).values_list("unit_ref", "user_id")
        for unit_id, user_id in rows:
            result.setdefault(("unit", unit_id), set()).add(user_id)
    paths = set(station_paths)
    if paths:
        prefixes = {prefix for path in paths for prefix in _station_prefixes(path)}
        station_rows = Membership.objects.filter(
            role__in=roles_with(Capability.RUN_STATION),
            station_path__in=prefixes,
            user__is_active=True,
        ).values_list("station_path", "user_id")
        for member_path, user_id in station_rows:
            for path in paths:
                if path.startswith(member_path):
                    result.setdefault(("station", path), set()).add(user_id)
    codes = set(region_codes)
    if codes:
        chains = {code: ancestor_codes(code) for code in codes}
        all_codes = {a for chain in chains.values() for a in chain}
        region_rows = Membership.objects.filter(
            role=Role.CONGRESS_STAFF,
            kind=Membership.Kind.REGION,
            region_id__in=all_codes,
            user__is_active=True,
        ).values_list("region_id", "user_id")
        by_region: dict[str, set[int]] = {}
        for region_id, user_id in region_rows:
            by_region.setdefault(region_id, set()).add(user_id)
        for code, chain in chains.items():
            for ancestor in chain:
                if ancestor in by_region:
                    result.setdefault(("region", code), set()).update(by_region[ancestor])
    return result


def unit_staff(unit_ids: Iterable[int]) -> list[User]:
    """Active staff of the given handling units."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.HANDLING_UNIT,
            memberships__unit_ref__in=list(unit_ids),
        ).distinct()
    )


def cases_taken_by(*, deputy_id: int, year: int) -> QuerySet[Case]:
    """Cases handed to the deputy to handle and submitted in `year`, oldest first (the deputy's
    file: how each ended and how the person rated it)."""
    low = timezone.make_aware(datetime.datetime(year, 1, 1))
    high = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    return (
        Case.objects.filter(
            assigned_deputy_id=deputy_id, submitted_at__gte=low, submitted_at__lt=high
        )
        .select_related("station")
        .order_by("submitted_at", "id")
    )
