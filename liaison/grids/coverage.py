"""Coverage of the grids (who is missing where) and the register of who held which post."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from liaison.accounts.scoping import AnyUser
from liaison.deputies.models import Deputy, Seat
from liaison.deputies.selectors import deputies_visible_to
from liaison.grids.models import Grid, Post, PostAssignment
from liaison.grids.selectors import (
    GridFilters,
    current_q,
    filter_grids,
    filter_posts,
    grid_counts,
    grids_visible_to,
    on_duty_q,
    posts_visible_to,
    with_levels,
)
from liaison.regions.selectors import region_subtree_q

# --- coverage ----------------------------------------------------------------------------------


def posts_short_of_deputies(
    user: AnyUser, *, filters: GridFilters, today: datetime.date | None = None
) -> QuerySet[Post]:
    """Active posts of active grids with fewer deputies on duty today than they need."""
    posts = filter_posts(posts_visible_to(user), filters).filter(
        is_active=True, grid__is_active=True
    )
    today = today or timezone.localdate()
    posts = posts.annotate(
        on_duty=Count("assignments", filter=on_duty_q(today, "assignments__"), distinct=True)
    ).filter(on_duty__lt=F("needed"))
    return posts.select_related("grid__region", "grid__station").order_by(
        "grid__region_id", "grid__name", "grid_id", "name", "id"
    )


def grids_without_deputies(
    user: AnyUser, *, filters: GridFilters, today: datetime.date | None = None
) -> QuerySet[Grid]:
    """Active grids where nobody holds an active post today (grids without posts included)."""
    today = today or timezone.localdate()
    on_duty = PostAssignment.objects.filter(on_duty_q(today), post__is_active=True).values(
        "post__grid_id"
    )
    grids = grid_counts(filter_grids(grids_visible_to(user), filters), today)
    return (
        grids.exclude(pk__in=on_duty)
        .select_related("region", "station")
        .order_by("region_id", "name", "id")
    )


def deputies_without_post(
    user: AnyUser, *, filters: GridFilters, today: datetime.date | None = None
) -> QuerySet[Deputy]:
    """Deputies in office in the user's scope who hold no active post today."""
    today = today or timezone.localdate()
    holding = PostAssignment.objects.filter(
        current_q(today), post__is_active=True, post__grid__is_active=True
    ).values("deputy_id")
    deputies = deputies_visible_to(user).filter(is_active=True).exclude(pk__in=holding)
    if filters.unknown_region:
        return deputies.none()
    if filters.region is not None:
        deputies = deputies.filter(region_subtree_q(filters.region, field="home_region_id"))
    current_seats = Seat.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    return (
        deputies.select_related("home_region")
        .prefetch_related(Prefetch("seats", queryset=current_seats, to_attr="current_seats"))
        .order_by("name", "id")
    )


# --- the register ------------------------------------------------------------------------------


def register_rows(user: AnyUser, *, filters: GridFilters) -> QuerySet[PostAssignment]:
    """Every assignment (history included) of the posts in scope, for 网格岗位台账."""
    posts = filter_posts(posts_visible_to(user), filters)
    rows = PostAssignment.objects.filter(post__in=posts.values("pk"))
    return (
        with_levels(rows, timezone.localdate())
        .select_related("post__grid")
        .order_by(
            "post__grid__region_id",
            "post__grid__name",
            "post__grid_id",
            "post__name",
            "post_id",
            "starts_on",
            "id",
        )
    )
