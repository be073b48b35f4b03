"""What the grids forms offer: regions and stations to place a grid, deputies to put on a post."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.scoping import AnyUser
from liaison.deputies.models import Deputy, Seat
from liaison.deputies.selectors import deputies_visible_to
from liaison.grids.models import Post
from liaison.grids.selectors import grids_visible_to
from liaison.regions.models import LEVEL_DEPTH, Level, Region
from liaison.regions.selectors import region_subtree_q
from liaison.stations.models import Station, StationStatus


def regions_for_grids(user: AnyUser) -> QuerySet[Region]:
    """Regions where the user may place a grid: their region subtrees, or the subtrees of their
    stations' regions. Villages are offered (a grid is often one community) unless the user's
    scope is a city or wider, where they would make the list tens of thousands long."""
    scope = capability_scope(user, Capability.MANAGE_GRIDS)
    condition = scope.q(region_field="code")
    if scope.station_paths:
        paths = Q(pk__in=[])
        for path in scope.station_paths:
            paths |= Q(path__startswith=path)
        station_regions = Region.objects.filter(
            code__in=Station.objects.filter(paths).values("region_id")
        )
        for region in station_regions:
            condition |= region_subtree_q(region, field="code")
    regions = Region.objects.filter(condition)
    if any(r.depth < LEVEL_DEPTH[Level.COUNTY] for r in scope.regions):
        regions = regions.exclude(level=Level.VILLAGE)
    return regions.order_by("code")


def stations_for_grids(user: AnyUser) -> QuerySet[Station]:
    """Stations a grid of the user's may be run from (closed ones excluded)."""
    scope = capability_scope(user, Capability.MANAGE_GRIDS)
    return (
        Station.objects.filter(scope.q(region_field="region_id", station_path_field="path"))
        .exclude(status=StationStatus.CLOSED)
        .select_related("region")
        .order_by("region_id", "name")
    )


def assignable_deputies(user: AnyUser, *, text: str = "") -> QuerySet[Deputy]:
    """Deputies in office the user may put on a post, by name or code, with their levels."""
    deputies = deputies_visible_to(user).filter(is_active=True)
    text = text.strip()
    if text:
        deputies = deputies.filter(Q(name__contains=text) | Q(code=text.upper()))
    current_seats = Seat.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate())
    )
    return (
        deputies.select_related("home_region")
        .prefetch_related(Prefetch("seats", queryset=current_seats, to_attr="current_seats"))
        .order_by("name", "id")
    )


def deputy_by_pk(pk: int) -> Deputy | None:
    """Any deputy by key: the assign service decides whether the actor may use them."""
    return Deputy.objects.filter(pk=pk).first()


def deputies_on_post(post: Post, *, today: datetime.date | None = None) -> set[int]:
    """Keys of the deputies holding (or due to hold) the post: the search marks them."""
    today = today or timezone.localdate()
    open_ones = post.assignments.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    return set(open_ones.values_list("deputy_id", flat=True))


def stations_with_grids(user: AnyUser) -> QuerySet[Station]:
    """Stations that run a grid the user sees: the station filter's choices."""
    return Station.objects.filter(pk__in=grids_visible_to(user).values("station_id")).order_by(
        "region_id", "name"
    )
