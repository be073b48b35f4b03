"""Reads of grids, posts and assignments, scoped for staff; the post's work-log hook."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.scoping import AnyUser
from liaison.deputies.models import Deputy, DeputyLevel, Seat
from liaison.grids.duty_kinds import DutyKindNames
from liaison.grids.models import Grid, Post, PostAssignment
from liaison.regions.models import Region
from liaison.regions.selectors import region_subtree_q


def current_q(today: datetime.date, prefix: str = "") -> Q:
    """Assignments held on `today` (both ends included)."""
    return Q(**{f"{prefix}starts_on__lte": today}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": today})
    )


def on_duty_q(today: datetime.date, prefix: str = "") -> Q:
    """Held today by a deputy still in office: what the counts and coverage count. A deputy who
    left office keeps the assignment (the post page asks to end it) but covers nothing."""
    return current_q(today, prefix) & Q(**{f"{prefix}deputy__is_active": True})


# --- scoped lookups ----------------------------------------------------------------------------


def grids_visible_to(user: AnyUser) -> QuerySet[Grid]:
    """Grids in the user's scope: a region subtree, or the grids of the user's stations."""
    scope = capability_scope(user, Capability.VIEW_GRIDS)
    return Grid.objects.filter(
        scope.q(region_field="region_id", station_path_field="station__path")
    )


def posts_visible_to(user: AnyUser) -> QuerySet[Post]:
    scope = capability_scope(user, Capability.VIEW_GRIDS)
    return Post.objects.filter(
        scope.q(region_field="grid__region_id", station_path_field="grid__station__path")
    )


def grid_get_for_user(user: AnyUser, pk: int) -> Grid:
    """One grid in the user's scope, or Http404."""
    try:
        return grids_visible_to(user).select_related("region", "station").get(pk=pk)
    except Grid.DoesNotExist:
        raise Http404("grid not in scope") from None


def post_get_for_user(user: AnyUser, pk: int) -> Post:
    """One post of a grid in the user's scope, or Http404."""
    try:
        return posts_visible_to(user).select_related("grid__region", "grid__station").get(pk=pk)
    except Post.DoesNotExist:
        raise Http404("post not in scope") from None


def assignment_get_for_user(user: AnyUser, pk: int) -> PostAssignment:
    scope = capability_scope(user, Capability.VIEW_GRIDS)
    condition = scope.q(
        region_field="post__grid__region_id", station_path_field="post__grid__station__path"
    )
    found = (
        PostAssignment.objects.filter(condition)
        .select_related("deputy", "post__grid__region", "post__grid__station")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("assignment not in scope")
    return found


# --- lists -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridFilters:
    region: Region | None = None
    # A region code that matched nothing: every list is empty rather than unfiltered.
    unknown_region: bool = False
    station_id: int | None = None
    duty_kind: str = ""
    text: str = ""
    include_inactive: bool = False


def filter_grids(grids: QuerySet[Grid], filters: GridFilters) -> QuerySet[Grid]:
    if filters.unknown_region:
        return grids.none()
    if filters.region is not None:
        grids = grids.filter(region_subtree_q(filters.region, field="region_id"))
    if filters.station_id is not None:
        grids = grids.filter(station_id=filters.station_id)
    if filters.duty_kind:
        kind = Post.objects.filter(duty_kind=filters.duty_kind, is_active=True)
        grids = grids.filter(pk__in=kind.values("grid_id"))
    if filters.text.strip():
        grids = grids.filter(name__contains=filters.text.strip())
    if not filters.include_inactive:
        grids = grids.filter(is_active=True)
    return grids


def filter_posts(posts: QuerySet[Post], filters: GridFilters) -> QuerySet[Post]:
    if filters.unknown_region:
        return posts.none()
    if filters.region is not None:
        posts = posts.filter(region_subtree_q(filters.region, field="grid__region_id"))
    if filters.station_id is not None:
        posts = posts.filter(grid__station_id=filters.station_id)
    if filters.duty_kind:
        posts = posts.filter(duty_kind=filters.duty_kind)
    if filters.text.strip():
        text = filters.text.strip()
        posts = posts.filter(Q(name__contains=text) | Q(grid__name__contains=text))
    return posts


def _count_subquery(queryset: QuerySet[Any, Any], column: str) -> Coalesce:
    """A correlated COUNT/SUM that does not multiply the outer rows (unlike two joined Counts)."""
    return Coalesce(Subquery(queryset.values(column)[:1], output_field=IntegerField()), 0)


def grid_counts(grids: QuerySet[Grid], today: datetime.date) -> QuerySet[Grid]:
    posts = (
        Post.objects.filter(grid=OuterRef("pk"), is_active=True)
        .order_by()
        .values("grid")
        .annotate(n=Count("pk"), needed_sum=Sum("needed"))
    )
    on_duty = (
        PostAssignment.objects.filter(
            on_duty_q(today), post__grid=OuterRef("pk"), post__is_active=True
        )
        .order_by()
        .values("post__grid")
        .annotate(n=Count("deputy", distinct=True))
    )
    return grids.annotate(
        post_count=_count_subquery(posts, "n"),
        needed_total=_count_subquery(posts, "needed_sum"),
        deputy_count=_count_subquery(on_duty, "n"),
    )


def grid_list_for_user(
    user: AnyUser, *, filters: GridFilters, today: datetime.date | None = None
) -> QuerySet[Grid]:
    """The grid list: scoped, filtered, with posts, places needed and deputies on duty counted."""
    grids = filter_grids(grids_visible_to(user), filters)
    grids = grid_counts(grids, today or timezone.localdate())
    return grids.select_related("region", "station").order_by("region_id", "name", "id")


def post_counts(posts: QuerySet[Post], today: datetime.date) -> QuerySet[Post]:
    return posts.annotate(
        on_duty=Count("assignments", filter=on_duty_q(today, "assignments__"), distinct=True)
    )


def grid_posts(grid: Grid, *, today: datetime.date | None = None) -> QuerySet[Post]:
    """A grid's posts, active first, each with the number of deputies on duty today."""
    posts = post_counts(Post.objects.filter(grid=grid), today or timezone.localdate())
    return posts.order_by("-is_active", "name", "id")


def grid_active_post_count(grid: Grid) -> int:
    return Post.objects.filter(grid=grid, is_active=True).count()


def with_levels(
    assignments: QuerySet[PostAssignment], today: datetime.date
) -> QuerySet[PostAssignment]:
    current_seats = Seat.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    return assignments.select_related("deputy").prefetch_related(
        Prefetch("deputy__seats", queryset=current_seats, to_attr="current_seats")
    )


def deputy_levels(deputy: Deputy) -> list[str]:
    """The labels of a deputy's current levels, highest first (seats prefetched by the caller
    as `current_seats`)."""
    order = list(DeputyLevel.values)
    prefetched: list[Seat] | None = getattr(deputy, "current_seats", None)
    seats: Iterable[Seat] = deputy.seats.all() if prefetched is None else prefetched
    levels = sorted({s.level for s in seats}, key=order.index)
    return [str(DeputyLevel(level).label) for level in levels]


Holder = tuple[PostAssignment, list[str]]  # an assignment and its deputy's level labels


@dataclass(frozen=True)
class PostHolders:
    current: list[Holder]
    upcoming: list[Holder]
    past: list[Holder]

    @property
    def on_duty(self) -> int:
        """Current holders still in office (one who left office covers nothing)."""
        return sum(1 for assignment, _levels in self.current if assignment.deputy.is_active)


def post_holders(
    post: Post, *, today: datetime.date | None = None, past_limit: int = 50
) -> PostHolders:
    """Who holds the post today, who is due to start, and the latest who left (one query each
    plus their seats)."""
    today = today or timezone.localdate()
    rows = with_levels(post.assignments.all(), today)

    def labelled(assignments: QuerySet[PostAssignment]) -> list[Holder]:
        return [(a, deputy_levels(a.deputy)) for a in assignments]

    return PostHolders(
        current=labelled(rows.filter(current_q(today)).order_by("deputy__name", "id")),
        upcoming=labelled(rows.filter(starts_on__gt=today).order_by("starts_on", "id")),
        past=labelled(rows.filter(ends_on__lt=today).order_by("-ends_on", "-id")[:past_limit]),
    )


# --- other faces: the API and the deputy's public page ----------------------------------------


def grids_for_api(user: AnyUser, *, today: datetime.date | None = None) -> QuerySet[Grid]:
    """Active grids in scope with their active posts, each post with who holds it today (a fixed
    number of queries for any page)."""
    today = today or timezone.localdate()
    holders = (
        PostAssignment.objects.filter(on_duty_q(today))
        .select_related("deputy")
        .order_by("deputy__name", "id")
    )
    posts = (
        Post.objects.filter(is_active=True)
        .prefetch_related(Prefetch("assignments", queryset=holders, to_attr="holders"))
        .order_by("name", "id")
    )
    return (
        grids_visible_to(user)
        .filter(is_active=True)
        .select_related("region", "station")
        .prefetch_related(Prefetch("posts", queryset=posts, to_attr="active_posts"))
        .order_by("region_id", "name", "id")
    )


def deputy_post_labels(deputy: Deputy, today: datetime.date) -> list[str]:
    """ "网格 · 岗位（职责类型）" for each active post the deputy holds today: the public page's
    line (names of grids and posts are public, like the stations a deputy sits at)."""
    held = (
        PostAssignment.objects.filter(
            current_q(today), deputy=deputy, post__is_active=True, post__grid__is_active=True
        )
        .select_related("post__grid")
        .order_by("post__grid__name", "post__name")
    )
    names = DutyKindNames()
    labels = []
    for a in held:
        kind = names.name(a.post.duty_kind, a.post.grid.region_id)
        labels.append(f"{a.post.grid.name} · {a.post.name}（{kind}）")
    return labels


# --- a post's work log -------------------------------------------------------------------------
# A post's work log is the duty activities of its kind, which the activities app (above grids)
# owns. It hands in, from its AppConfig.ready, how to read them: `fn(post, limit)` gives the number
# of entries and the `limit` most recent. Without it (no activities app) a post has no work log.


@dataclass(frozen=True)
class WorkLogRow:
    date: datetime.date
    title: str
    kind: str  # the label shown to people, e.g. "安全巡查"
    url: str = ""


@dataclass(frozen=True)
class PostWorkLog:
    count: int = 0
    rows: list[WorkLogRow] = field(default_factory=list)
    # The page listing the whole log (the provider's), when there is one.
    full_url: str = ""


PostWorkLogProvider = Callable[[Post, int], PostWorkLog]
_post_work_log: PostWorkLogProvider | None = None


def post_work_log_provider_set(fn: PostWorkLogProvider | None) -> PostWorkLogProvider | None:
    """Register how to read a post's work log; returns the one it replaces (tests put it back)."""
    global _post_work_log
    previous, _post_work_log = _post_work_log, fn
    return previous


def post_work_log(post: Post, *, limit: int = 10) -> PostWorkLog:
    """The post's work log: its number of entries and the latest `limit` (empty if no provider)."""
    if _post_work_log is None:
        return PostWorkLog()
    return _post_work_log(post, limit)


def deputy_posts_in_year(*, deputy_id: int, year: int) -> QuerySet[PostAssignment]:
    """The posts the deputy held at some time in `year`, with grid and station, oldest first."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (
        PostAssignment.objects.filter(deputy_id=deputy_id, starts_on__lte=last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        .select_related("post__grid__station")
        .order_by("starts_on", "id")
    )


def station_post_assignments_in_year(*, station_id: int, year: int) -> QuerySet[PostAssignment]:
    """Who held the posts of the station's grids at some time in `year` (the station's part of
    the 网格岗位台账), in the register's order."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (
        PostAssignment.objects.filter(post__grid__station_id=station_id, starts_on__lte=last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        .select_related("post__grid", "deputy")
        .prefetch_related("deputy__seats")
        .order_by("post__grid__name", "post__name", "starts_on", "id")
    )
