"""A user's jurisdiction: the union of the scopes of their memberships in some roles.

Selectors in every app turn a `Scope` into a filter with `scope_q`, so that "what may this user
see" is decided in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from liaison.accounts.models import Membership, User
from liaison.audit.services import common_region_code
from liaison.regions.models import Region

AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class Scope:
    regions: tuple[Region, ...] = ()
    # Materialized paths of stations; a station scope covers its sub-stations too.
    station_paths: tuple[str, ...] = ()
    # Handling units whose cases the user works on (role handling_unit).
    unit_ids: tuple[int, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.regions and not self.station_paths and not self.unit_ids

    def q(self, *, region_field: str, station_path_field: str | None = None) -> Q:
        """Filter rows whose region code (and, if given, station path) lies in this scope."""
        condition = Q(pk__in=[])
        for region in self.regions:
            low, high = region.bounds
            condition |= Q(**{f"{region_field}__gte": low, f"{region_field}__lte": high})
        if station_path_field:
            for path in self.station_paths:
                condition |= Q(**{f"{station_path_field}__startswith": path})
        return condition

    def covers_region(self, code: str) -> bool:
        return any(r.bounds[0] <= code <= r.bounds[1] for r in self.regions)

    def covers_station(self, *, region_code: str, path: str) -> bool:
        return self.covers_region(region_code) or any(
            path.startswith(p) for p in self.station_paths
        )


def memberships_of(user: AnyUser) -> list[Membership]:
    """The user's memberships, loaded once per request and cached on the user object."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[Membership] | None = getattr(user, "_liaison_memberships", None)
    if cached is None:
        memberships = Membership.objects.filter(user=user)
        cached = list(memberships.select_related("region"))
        # Cached per request: the user object lives as long as the request. Not a model field,
        # so it is set in the instance's __dict__.
        vars(user)["_liaison_memberships"] = cached
    return cached


def roles_of(user: AnyUser) -> set[str]:
    return {m.role for m in memberships_of(user)}


def has_role(user: AnyUser, roles: Iterable[str]) -> bool:
    wanted = set(roles)
    return any(m.role in wanted for m in memberships_of(user))


def scope_for(user: AnyUser, roles: Iterable[str]) -> Scope:
    """The union of the user's scopes in any of `roles`."""
    wanted = set(roles)
    regions: list[Region] = []
    paths: list[str] = []
    units: list[int] = []
    for membership in memberships_of(user):
        if membership.role not in wanted:
            continue
        if membership.kind == Membership.Kind.REGION:
            regions.append(membership.region)
        elif membership.kind == Membership.Kind.STATION:
            paths.append(membership.station_path)
        elif membership.unit_ref is not None:
            units.append(membership.unit_ref)
    return Scope(tuple(regions), tuple(paths), tuple(units))


def user_region_code(user: User, cached: bool) -> str:
    """The nearest region holding all of the user's roles: where their audit rows belong.

    `cached` reads the per-request memberships; a locked account still belongs where its roles
    are (memberships_of skips it), and an account that is the object of an event is read fresh
    (an account being set up would otherwise keep the empty list of its first audit row).
    """
    if user.is_active and cached:
        memberships = memberships_of(user)
    else:
        memberships = list(Membership.objects.filter(user=user))
    return common_region_code(m.scope_region_code for m in memberships)
