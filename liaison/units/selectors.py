"""Scoped reads of handling units, their routing rules and their staff."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from liaison.accounts.capabilities import Capability, capability_scope, roles_with
from liaison.accounts.models import Membership, Role
from liaison.accounts.scoping import AnyUser, memberships_of, scope_for
from liaison.common.hotcache import HotCache
from liaison.regions.models import Region, ancestor_codes
from liaison.taxonomy.models import Category
from liaison.units.models import HandlingUnit, RoutingRule

# Unit staff see their own unit; station staff see the units they can assign to (their region's).


def units_visible_to(user: AnyUser) -> QuerySet[HandlingUnit]:
    """Units in the user's region scope, plus the units the user works for."""
    scope = capability_scope(user, Capability.VIEW_UNITS)
    condition = scope.q(region_field="region_id")
    # A station scope sees the units of the station's township and of every region above it.
    codes: set[str] = set()
    for membership in user_station_memberships(user):
        codes.update(ancestor_codes(membership.region_id))
    if codes:
        condition |= Q(region_id__in=sorted(codes))
    unit_ids = scope_for(user, [Role.HANDLING_UNIT]).unit_ids
    if unit_ids:
        condition |= Q(pk__in=unit_ids)
    return HandlingUnit.objects.filter(condition).select_related("region")


def user_station_memberships(user: AnyUser) -> list[Membership]:

    return [
        m
        for m in memberships_of(user)
        if m.kind == Membership.Kind.STATION and m.role in roles_with(Capability.VIEW_UNITS)
    ]


def unit_get_for_user(user: AnyUser, pk: int) -> HandlingUnit:
    """The unit if the user may see it, else 404."""
    unit = units_visible_to(user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


def units_for_assignment(*, region: Region | str) -> QuerySet[HandlingUnit]:
    """Active units a case in `region` may be assigned to: the region's and its ancestors'."""
    code = region.code if isinstance(region, Region) else region
    return HandlingUnit.objects.filter(region_id__in=ancestor_codes(code), is_active=True).order_by(
        "-region_id", "name"
    )


def _category_chain(category: object | None) -> list[int | None]:
    """Ids of the category and its ancestors, nearest first, then None (= every category)."""
    if category is None:
        return [None]

    assert isinstance(category, Category)
    # The path ("城乡建设/安全生产/事故处理") names the ancestors: one query for all of them.
    parts = category.path.split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts))]
    ancestors = {
        c.path: c.pk
        for c in Category.objects.filter(region_id=category.region_id, path__in=prefixes)
    }
    chain: list[int | None] = [category.pk]
    chain += [ancestors[p] for p in reversed(prefixes) if p in ancestors]
    return [*chain, None]


def suggest_unit(*, region: Region | str, category: object | None) -> HandlingUnit | None:
    """The unit of the most specific routing rule for a case in `region` with `category`.

    Candidates are the rules of the region and its ancestors × the category, its ancestors and
    "every category". The nearest region wins; within a region the nearest category. Inactive
    units are skipped. Two queries: the category's ancestors and the rules.
    """
    code = region.code if isinstance(region, Region) else region
    key = (code, getattr(category, "pk", category))
    # Read on every case page that offers assignment; rules change a few times a year.
    return _suggestions.get(key, lambda: _suggest_unit(code, category))


_suggestions: HotCache[HandlingUnit | None] = HotCache("unit_suggestions")


def _suggest_unit(code: str, category: object | None) -> HandlingUnit | None:
    regions = ancestor_codes(code)
    chain = _category_chain(category)
    ids = [c for c in chain if c is not None]
    rules = (
        RoutingRule.objects.filter(region_id__in=regions, unit__is_active=True)
        .filter(Q(category_id__in=ids) | Q(category__isnull=True))
        .select_related("unit")
    )

    def rank(rule: RoutingRule) -> tuple[int, int]:
        return (-regions.index(rule.region_id), chain.index(rule.category_id))

    ranked = sorted(rules, key=rank)
    return ranked[0].unit if ranked else None


def unit_rules(unit: HandlingUnit) -> QuerySet[RoutingRule]:
    return unit.rules.select_related("region", "category").order_by("region_id", "category__path")


def unit_staff(unit: HandlingUnit) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(
            kind=Membership.Kind.UNIT, unit_ref=unit.pk, role=Role.HANDLING_UNIT
        )
        .select_related("user", "created_by")
        .order_by("user__username")
    )
