"""The one function that keeps the ledger true: facts → expected points → appended difference.

`ledger_sync` asks every registered source for the facts of some deputies in a year, prices
them with the rules of each deputy's region (caps in a fixed order), compares the result with
the net of the stored entries per (deputy, rule, source, quarter) and, when asked to write,
appends one entry per difference (a grant, an adjustment or a reversal) and rewrites those
deputies' totals in the same transaction. The live sync after a source changes, the worker's
sweep and `manage.py points_rebuild` all call it; the rebuild without `--fix` only reports.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Final

from django.db import transaction
from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from liaison.deputies.models import Deputy, StationDeputy
from liaison.points.models import EntryKind, PointEntry, PointTotal
from liaison.points.rules import RuleValues, apply_rules, quarter_of, rule_values
from liaison.points.sources import Fact, facts_for, point_sources

logger = logging.getLogger(__name__)

BATCH: Final = 500
ZERO: Final = Decimal(0)
# (deputy, rule, source kind, source id, quarter): the unit whose net the ledger keeps true.
Key = tuple[int, str, str, int, int]


@dataclass(frozen=True)
class Difference:
    key: Key
    stored: Decimal
    expected: Decimal


@dataclass
class SyncResult:
    differences: list[Difference] = field(default_factory=list)
    totals_differing: int = 0  # totals rows missing, wrong, or placed in another region
    written: int = 0  # entries appended

    @property
    def clean(self) -> bool:
        return not self.differences and not self.totals_differing


def placements(deputy_ids: Collection[int]) -> dict[int, str]:
    """Where each deputy ranks and whose rules apply: the region of the station where they do
    their duty now (their most recent current one), else their home region.

    The station first: a national or provincial deputy's home region is the province, yet the
    points they earn are for reception days and activities at a county's station, and that
    county's and township's rankings and bulletin are where people look for them."""
    today = timezone.localdate()
    result: dict[int, str] = {}
    current = StationDeputy.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today), deputy_id__in=deputy_ids
    ).order_by("deputy_id", "-starts_on", "-id")
    for deputy_id, code in current.values_list("deputy_id", "station__region_id"):
        if code and deputy_id not in result:
            result[deputy_id] = code
    missing = [pk for pk in deputy_ids if pk not in result]
    if missing:
        homes = Deputy.objects.filter(pk__in=missing).values_list("pk", "home_region_id")
        result.update({pk: code or "" for pk, code in homes})
    return result


def expected_entries(
    facts: Iterable[Fact], place: dict[int, str], year: int
) -> dict[Key, tuple[Decimal, Fact]]:
    """What the ledger should hold for these facts: points per key, with the fact it came from."""
    by_deputy: dict[int, list[Fact]] = defaultdict(list)
    for fact in facts:
        if fact.on.year == year and fact.deputy_id in place:
            by_deputy[fact.deputy_id].append(fact)
    values: dict[str, RuleValues] = {}
    expected: dict[Key, tuple[Decimal, Fact]] = {}
    for deputy_id, own in by_deputy.items():
        region = place[deputy_id]
        if region not in values:
            values[region] = rule_values(region or None)
        for fact, points in apply_rules(own, values[region]):
            key = (deputy_id, fact.rule, fact.source_kind, fact.source_id, quarter_of(fact.on))
            previous = expected.get(key)
            expected[key] = ((previous[0] if previous else ZERO) + points, fact)
    return expected


def _stored(deputy_ids: Collection[int], year: int) -> dict[Key, tuple[Decimal, datetime.date]]:
    rows = (
        PointEntry.objects.filter(deputy_id__in=deputy_ids, year=year)
        .exclude(kind=EntryKind.CORRECTION)
        .values("deputy_id", "rule", "source_kind", "source_id", "quarter")
        .annotate(net=Sum("points"), on=Min("occurred_on"))
        .order_by()
    )
    return {
        (r["deputy_id"], r["rule"], r["source_kind"], r["source_id"] or 0, r["quarter"]): (
            r["net"], r["on"],
        )
        for r in rows
    }  # fmt: skip


def _entry(diff: Difference, fact: Fact | None, on: datetime.date, year: int) -> PointEntry:
    deputy_id, rule, source_kind, source_id, quarter = diff.key
    if diff.stored == ZERO:
        kind = EntryKind.GRANT
    elif diff.expected == ZERO:
        kind = EntryKind.REVERSAL
    else:
        kind = EntryKind.ADJUST
    return PointEntry(
        deputy_id=deputy_id, kind=kind, rule=rule, source_kind=source_kind, source_id=source_id,
        source_label=(fact.label if fact else "")[:200], occurred_on=on, year=year,
        quarter=quarter, points=diff.expected - diff.stored,
    )  # fmt: skip


def _totals(deputy_ids: Collection[int], year: int, place: dict[int, str], write: bool) -> int:
    """Rewrite (or only compare) the quarter and year totals of the deputies from the ledger."""
    sums: dict[tuple[int, int], tuple[Decimal, int]] = {}
    sums_rows = (
        PointEntry.objects.filter(deputy_id__in=deputy_ids, year=year)
        .values("deputy_id", "quarter")
        .annotate(points=Sum("points"), entries=Count("id"))
        .order_by()
    )
    for sums_row in sums_rows:
        sums[(sums_row["deputy_id"], sums_row["quarter"])] = (
            sums_row["points"], sums_row["entries"],
        )  # fmt: skip
    wanted: dict[tuple[int, int], tuple[Decimal, int, str]] = {}
    for deputy_id in deputy_ids:
        year_points, year_entries = ZERO, 0
        for quarter in (1, 2, 3, 4):
            points, entries = sums.get((deputy_id, quarter), (ZERO, 0))
            wanted[(deputy_id, quarter)] = (points, entries, place[deputy_id])
            year_points, year_entries = year_points + points, year_entries + entries
        wanted[(deputy_id, 0)] = (year_points, year_entries, place[deputy_id])
    existing = {
        (t.deputy_id, t.quarter): t
        for t in PointTotal.objects.filter(deputy_id__in=deputy_ids, year=year)
    }
    changed: list[PointTotal] = []
    created: list[PointTotal] = []
    for key, (points, entries, region) in wanted.items():
        row = existing.get(key)
        if row is None:
            created.append(
                PointTotal(
                    deputy_id=key[0], year=year, quarter=key[1], points=points,
                    entries=entries, region_code=region,
                )
            )  # fmt: skip
        elif (row.points, row.entries, row.region_code) != (points, entries, region):
            row.points, row.entries, row.region_code = points, entries, region
            changed.append(row)
    if write:
        PointTotal.objects.bulk_create(created, batch_size=BATCH)
        PointTotal.objects.bulk_update(
            changed, ["points", "entries", "region_code"], batch_size=BATCH
        )
    return len(changed) + len(created)


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def ledger_sync(*, deputy_ids: Collection[int] | None, year: int, write: bool) -> SyncResult:
    """Bring the ledger and totals of the deputies (None: every deputy) for `year` in line with
    the sources, or with `write=False` only report how they differ."""
    ids = sorted(
        Deputy.objects.values_list("pk", flat=True) if deputy_ids is None else set(deputy_ids)
    )
    result = SyncResult()
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    for chunk in _chunks(ids):
        with transaction.atomic():
            if write:
                # Two syncs of one deputy at once would both append the same difference.
                list(Deputy.objects.select_for_update().filter(pk__in=chunk).order_by("pk")
                     .values_list("pk", flat=True))  # fmt: skip
            place = placements(chunk)
            expected = expected_entries(facts_for(chunk, start, end), place, year)
            stored = _stored(chunk, year)
            entries = []
            for key in sorted(expected.keys() | stored.keys()):
                want, fact = expected.get(key, (ZERO, None))
                have, first_on = stored.get(key, (ZERO, None))
                if want == have:
                    continue
                diff = Difference(key=key, stored=have, expected=want)
                result.differences.append(diff)
                on = fact.on if fact is not None else first_on
                assert on is not None  # a stored key always has its date
                entries.append(_entry(diff, fact, on, year))
            if write:
                PointEntry.objects.bulk_create(entries, batch_size=BATCH)
                result.written += len(entries)
            result.totals_differing += _totals(chunk, year, place, write)
    return result


def points_sync(*, deputy_ids: Collection[int], year: int) -> SyncResult:
    """The live sync: write what the sources now say for these deputies and year."""
    return ledger_sync(deputy_ids=deputy_ids, year=year, write=True)


def _sync_quietly(deputy_ids: list[int], years: list[int]) -> None:
    for year in years:
        try:
            points_sync(deputy_ids=deputy_ids, year=year)
        except Exception:  # the worker's sweep and the rebuild command catch up
            logger.exception("points sync failed for %d deputies in %d", len(deputy_ids), year)


def points_sync_on_commit(*, deputy_ids: Iterable[int], on: datetime.date | None) -> None:
    """Called by a source app's service inside its transaction: once it commits, sync the
    deputies for the year of `on` (a rolled back change syncs nothing)."""
    ids = sorted(set(deputy_ids))
    if not ids or on is None:
        return
    transaction.on_commit(partial(_sync_quietly, ids, [on.year]))


SWEEP_LOOKBACK: Final = datetime.timedelta(days=2)


def points_sweep(*, now: datetime.datetime | None = None) -> int:
    """The worker's periodic job: sync deputies whose facts changed without their app telling
    points (cases closed after a reception). Returns how many (deputy, year) pairs it synced."""
    since = (now or timezone.now()) - SWEEP_LOOKBACK
    pairs: set[tuple[int, int]] = set()
    for source in point_sources():
        if source.changed_since is not None:
            pairs.update(source.changed_since(since))
    by_year: dict[int, list[int]] = defaultdict(list)
    for deputy_id, year in pairs:
        by_year[year].append(deputy_id)
    for year, ids in sorted(by_year.items()):
        points_sync(deputy_ids=ids, year=year)
    return len(pairs)
