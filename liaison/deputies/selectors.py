"""Scoped reads of deputies, their seats and station assignments."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.scoping import AnyUser, Scope
from liaison.common.codes import is_well_formed
from liaison.common.hotcache import HotCache
from liaison.deputies.models import Deputy, DeputyLevel, Seat, StationDeputy
from liaison.deputies.photos import deputy_public_photo_url, deputy_public_url
from liaison.deputies.reach import current_q as _current_q
from liaison.deputies.reach import or_q, scope_q
from liaison.regions.models import Level, Region, ancestor_codes
from liaison.regions.selectors import region_subtree_q
from liaison.stations.models import Station, StationStatus
from liaison.stations.selectors import PublicReceptions, StationDeputyRow

DEPUTY_CODE_PREFIX = "D"

# Seats are listed from the national congress down to the township.
SEAT_RANK = Case(
    *[When(level=level, then=Value(rank)) for rank, level in enumerate(DeputyLevel.values)],
    output_field=IntegerField(),
)


def _scope_q(scope: Scope) -> Q:
    """Deputies reached by `scope`: home region, any seat's congress, or a current station
    (`reach.or_q`, decision 0042). The list pages use `reach.scope_q`, the same set written
    cheaply for a province (decision 0047); a lookup of one deputy or of a county's deputies
    is cheap with the OR and would only pay `scope_q`'s extra query."""
    return or_q(scope)


def deputies_of_county(region_code: str) -> QuerySet[Deputy]:
    """Deputies reached from the county of `region_code` (home, seat or current station there):
    whom a case of that county may be handed to. At province scope all visible deputies were
    50,000 options on the case page (issue 16)."""
    # Unsaved: only its code range is read (the county's bounds), so no query for it.
    county = Region(code=region_code, level=Level.COUNTY)
    return Deputy.objects.filter(_scope_q(Scope(regions=(county,))))


def with_related(qs: QuerySet[Deputy]) -> QuerySet[Deputy]:
    """Prefetch seats (with congress) and assignments (with station): a fixed number of queries."""
    return qs.select_related("home_region").prefetch_related(
        Prefetch(
            "seats",
            queryset=Seat.objects.select_related("congress").order_by(SEAT_RANK, "-starts_on"),
        ),
        Prefetch(
            "assignments",
            queryset=StationDeputy.objects.select_related("station").order_by("-starts_on", "-id"),
        ),
    )


def deputies_visible_to(user: AnyUser) -> QuerySet[Deputy]:
    """Deputies in the scope where the user may view deputies (the rule of every deputy page)."""
    return Deputy.objects.filter(_scope_q(capability_scope(user, Capability.VIEW_DEPUTIES)))


def deputies_in_scope(scope: Scope) -> QuerySet[Deputy]:
    """Deputies reached by `scope` by the rule of the deputy pages (for apps with their own
    capability over deputies, such as the deputies' files)."""
    return Deputy.objects.filter(_scope_q(scope))


def deputy_assignments_in_year(*, deputy: Deputy, year: int) -> QuerySet[StationDeputy]:
    """The deputy's station assignments that overlap `year`, oldest first."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (
        StationDeputy.objects.filter(deputy=deputy, starts_on__lte=last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        .select_related("station")
        .order_by("starts_on", "id")
    )


@dataclass(frozen=True)
class DeputyFilters:
    level: str = ""
    region: Region | None = None
    station: Station | None = None
    active: bool | None = None
    name: str = ""


def deputy_list(user: AnyUser, filters: DeputyFilters | None = None) -> QuerySet[Deputy]:
    """The workbench list: visible deputies, filtered, with seats and assignments prefetched."""
    filters = filters or DeputyFilters()
    qs = Deputy.objects.filter(scope_q(capability_scope(user, Capability.VIEW_DEPUTIES)))
    if filters.level:
        qs = qs.filter(Exists(Seat.objects.filter(deputy=OuterRef("pk"), level=filters.level)))
    if filters.region is not None:
        in_region = Seat.objects.filter(
            region_subtree_q(filters.region, "congress_id"), deputy=OuterRef("pk")
        )
        qs = qs.filter(region_subtree_q(filters.region, "home_region_id") | Exists(in_region))
    if filters.station is not None:
        at_station = StationDeputy.objects.filter(
            _current_q(), station=filters.station, deputy=OuterRef("pk")
        )
        qs = qs.filter(Exists(at_station))
    if filters.active is not None:
        qs = qs.filter(is_active=filters.active)
    if filters.name.strip():
        qs = qs.filter(name__contains=filters.name.strip())
    return with_related(qs).order_by("name", "id")


# Totals of the deputy list and the home page's card, per scope, filters and day: at province
# scope an exact count reads 50,000 index entries (6–25 ms) on every view. The deputy services
# clear it; other processes see a change within HOT_CACHE_SECONDS. A number only, keyed by the
# scope itself, so it never carries one scope's rows to another.
_counts: HotCache[int] = HotCache("deputy_list_counts", max_entries=2_000)


def deputy_list_count(
    user: AnyUser, filters: DeputyFilters | None = None, listed: QuerySet[Deputy] | None = None
) -> int:
    """How many deputies `deputy_list(user, filters)` lists (remembered, see `_counts`);
    `listed` is that list when the caller has it already (it is counted on a miss)."""
    filters = filters or DeputyFilters()
    scope = capability_scope(user, Capability.VIEW_DEPUTIES)
    key = (_scope_key(scope), _filters_key(filters), timezone.localdate())

    def count() -> int:
        return (listed if listed is not None else deputy_list(user, filters)).order_by().count()

    return _counts.get(key, count)


def _scope_key(scope: Scope) -> tuple[object, ...]:
    return (
        tuple(sorted((r.code, r.level) for r in scope.regions)),
        tuple(sorted(scope.station_paths)),
        tuple(sorted(scope.unit_ids)),
    )


def _filters_key(filters: DeputyFilters) -> tuple[object, ...]:
    region = filters.region
    return (
        filters.level,
        (region.code, region.level) if region is not None else None,
        filters.station.pk if filters.station is not None else None,
        filters.active,
        filters.name.strip(),
    )


def deputy_get_for_user(user: AnyUser, pk: int) -> Deputy:
    """One deputy the user may see, with related rows prefetched; Http404 outside scope."""
    deputy = with_related(deputies_visible_to(user)).filter(pk=pk).first()
    if deputy is None:
        raise Http404("deputy not found")
    return deputy


def deputies_public() -> QuerySet[Deputy]:
    """Deputies whose public profile may be shown (in office), for the public API."""
    return Deputy.objects.filter(is_active=True)


def deputy_public_photo_get(code: str) -> Deputy:
    """A deputy in office with a portrait, by public code (the public portrait); else Http404."""
    if not is_well_formed(code, DEPUTY_CODE_PREFIX):
        raise Http404("malformed deputy code")
    deputy = deputies_public().filter(code=code).exclude(photo="").only("code", "photo").first()
    if deputy is None:
        raise Http404("no public photo")
    return deputy


def deputy_public_get(code: str) -> Deputy:
    """An active deputy by public code, for the 亮身份 page; Http404 for unknown or bad codes."""
    if not is_well_formed(code, DEPUTY_CODE_PREFIX):
        raise Http404("malformed deputy code")
    deputy = (
        Deputy.objects.filter(code=code, is_active=True)
        .prefetch_related(
            Prefetch(
                "seats",
                queryset=Seat.objects.filter(_current_q())
                .select_related("congress")
                .order_by(SEAT_RANK, "-starts_on"),
                to_attr="public_seats",
            ),
            Prefetch(
                "assignments",
                queryset=StationDeputy.objects.filter(
                    _current_q(), station__status=StationStatus.ACTIVE
                )
                .select_related("station")
                .order_by("station__name"),
                to_attr="public_assignments",
            ),
        )
        .first()
    )
    if deputy is None:
        raise Http404("deputy not found")
    return deputy


def regions_manageable_by(user: AnyUser) -> QuerySet[Region]:
    """Regions (province to township) inside the user's management scope."""
    scope = capability_scope(user, Capability.MANAGE_DEPUTIES)
    return Region.objects.filter(scope.q(region_field="code")).exclude(level=Level.VILLAGE)


def congress_regions_for(user: AnyUser) -> QuerySet[Region]:
    """Congresses a seat may belong to: regions in the user's scope and the ones above them."""
    scope = capability_scope(user, Capability.MANAGE_DEPUTIES)
    above = {code for region in scope.regions for code in ancestor_codes(region.code)}
    return Region.objects.filter(scope.q(region_field="code") | Q(code__in=above)).exclude(
        level=Level.VILLAGE
    )


def regions_visible_to(user: AnyUser) -> QuerySet[Region]:
    """Regions offered in the list filter: province to township inside the viewing scope."""
    scope = capability_scope(user, Capability.VIEW_DEPUTIES)
    return Region.objects.filter(scope.q(region_field="code")).exclude(level=Level.VILLAGE)


def stations_visible_to(user: AnyUser) -> QuerySet[Station]:
    """Stations offered in the list filter."""
    scope = capability_scope(user, Capability.VIEW_DEPUTIES)
    return Station.objects.filter(scope.q(region_field="region_id", station_path_field="path"))


def stations_assignable_by(user: AnyUser) -> QuerySet[Station]:
    """Open stations the user may assign deputies to."""
    scope = capability_scope(
        user, Capability.MANAGE_DEPUTIES, Capability.ASSIGN_DEPUTIES_AT_STATION
    )
    condition = scope.q(region_field="region_id", station_path_field="path")
    return Station.objects.filter(condition).exclude(status=StationStatus.CLOSED)


# --- the station pages' list of deputies (handed to the stations app, deputies/apps.py) --------


def station_deputy_rows(station: Station, today: datetime.date) -> list[StationDeputyRow]:
    """Deputies currently assigned to the station, with their current levels (public fields)."""
    current_seats = Seat.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    assignments = (
        StationDeputy.objects.filter(station=station, deputy__is_active=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today), starts_on__lte=today)
        .select_related("deputy")
        .prefetch_related(Prefetch("deputy__seats", queryset=current_seats, to_attr="current"))
        .order_by("deputy__name", "deputy_id")
    )
    order = list(DeputyLevel.values)
    rows: list[StationDeputyRow] = []
    for assignment in assignments:
        deputy = assignment.deputy
        levels = sorted({s.level for s in deputy.current}, key=order.index)  # type: ignore[attr-defined]
        rows.append(
            StationDeputyRow(
                code=deputy.code,
                name=deputy.name,
                photo_url=deputy_public_photo_url(deputy.code, deputy.photo.name or ""),
                levels=[str(DeputyLevel(level).label) for level in levels],
                kind_label=str(assignment.get_kind_display()),
                rota=assignment.rota,
                url=deputy_public_url(deputy.code),
            )
        )
    return rows


def deputy_code_is_public(code: str) -> bool:
    """A deputy's sign code leads somewhere only while the deputy is in office."""
    return Deputy.objects.filter(code=code, is_active=True).exists()


# --- the posts a deputy holds in grids ----------------------------------------------------------
# Grids sit above deputies (a post names a deputy), so the public page cannot ask the grids app:
# it hands in, when the apps are ready, how to name the posts a deputy holds today
# (`liaison.grids.apps`). Without it a deputy simply shows none.

DeputyPostsProvider = Callable[[Deputy, datetime.date], list[str]]
_deputy_posts: DeputyPostsProvider = lambda deputy, today: []  # noqa: E731


def deputy_posts_provider_set(provider: DeputyPostsProvider) -> DeputyPostsProvider:
    """Register how to name a deputy's current posts; returns the one it replaces."""
    global _deputy_posts
    previous, _deputy_posts = _deputy_posts, provider
    return previous


def deputy_public_posts(deputy: Deputy, *, today: datetime.date | None = None) -> list[str]:
    """The posts the deputy holds today, as public labels ("桃花岭社区网格 · 安全巡查岗")."""
    return _deputy_posts(deputy, today or timezone.localdate())


# --- the deputy's upcoming reception days (handed in by liaison.receptions.apps) ---------------

DeputyReceptionsProvider = Callable[[Deputy, datetime.date], PublicReceptions]
_deputy_receptions: DeputyReceptionsProvider = lambda deputy, today: PublicReceptions()  # noqa: E731


def deputy_receptions_provider_set(provider: DeputyReceptionsProvider) -> None:
    global _deputy_receptions
    _deputy_receptions = provider


def deputy_receptions(deputy: Deputy, *, today: datetime.date | None = None) -> PublicReceptions:
    """The deputy's upcoming published reception days (none without the receptions app)."""
    return _deputy_receptions(deputy, today or timezone.localdate())


# --- sections of the public page from the apps above --------------------------------------


@dataclass(frozen=True)
class PublicItem:
    """One public entry on a deputy's page (already cleared for publication by its app)."""

    title: str
    meta: str
    text: str
    url: str = ""  # a page of its own (a duty report), when the item has one


@dataclass(frozen=True)
class PublicSection:
    heading: str
    items: tuple[PublicItem, ...]


PublicSectionProvider = Callable[[Deputy], PublicSection | None]
_public_section_providers: list[PublicSectionProvider] = []


def public_section_provider_add(provider: PublicSectionProvider) -> None:
    """Add a section to the public deputy page (suggestions adds the published suggestions)."""
    if provider not in _public_section_providers:
        _public_section_providers.append(provider)


def deputy_public_sections(deputy: Deputy) -> list[PublicSection]:
    """The sections the apps above give for this deputy (those with something to show)."""
    sections = [provider(deputy) for provider in _public_section_providers]
    return [s for s in sections if s is not None and s.items]
