"""Who may act on a case, and as what. Predicates over (user, case); no list queries.

- liaison officers and station heads: cases of their station and its sub-stations (station path),
  or of their region when their membership is region-scoped;
- congress staff: cases whose region lies in their region subtree;
- handling-unit staff: cases whose lead unit is theirs (a co-handling unit only gives its view,
  see `co_units_of`);
- deputies: cases addressed to them or assigned to them (`Deputy.user`);
- the three administrators (system, security, auditor) neither see cases nor act on them
  (三权分立: the system administrator manages the system, not the people's matters).
"""

from __future__ import annotations

from typing import Final

from liaison.accounts.capabilities import ROLE_PRECEDENCE, Capability, roles_with
from liaison.accounts.models import Role
from liaison.accounts.scoping import AnyUser, has_role, scope_for
from liaison.cases.actions import CO_UNIT, statuses_for
from liaison.cases.models import Case, CoHandling

# When a user holds several roles on one case, the event records the first the table allows.
ROLE_ORDER: Final = (*ROLE_PRECEDENCE, CO_UNIT)
# The statuses in which a co-handling unit has an action: only there is it worth a query.
_CO_UNIT_STATUSES: Final = statuses_for(CO_UNIT)


def deputy_id_of(user: AnyUser) -> int | None:
    """The id of the user's deputy record (None if not a deputy), cached on the user object."""
    if not user.is_authenticated or not has_role(user, {Role.DEPUTY}):
        return None
    cached = getattr(user, "_liaison_deputy_id", False)
    if cached is False:
        from liaison.deputies.models import Deputy

        cached = Deputy.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
        # A per-request cache on the user object (not a model field, so set in its __dict__).
        vars(user)["_liaison_deputy_id"] = cached
    return cached


def _station_path(case: Case) -> str | None:
    if case.station_id is None:
        return None
    station = case.station
    return station.path if station is not None else None


def _covers(user: AnyUser, roles: frozenset[str], case: Case) -> bool:
    scope = scope_for(user, roles)
    if scope.covers_region(case.region_id):
        return True
    path = _station_path(case)
    return path is not None and any(path.startswith(p) for p in scope.station_paths)


def actor_roles_for(user: AnyUser, case: Case) -> set[str]:
    """The roles with which `user` may act on `case` (empty: not theirs to touch)."""
    if not user.is_authenticated:
        return set()
    roles: set[str] = set()
    # Each working role covers the case in its own scope (a station, a region subtree).
    for role in roles_with(Capability.WORK_CASES):
        if _covers(user, frozenset({role}), case):
            roles.add(role)
    if case.unit_id is not None and case.unit_id in scope_for(user, {Role.HANDLING_UNIT}).unit_ids:
        roles.add(Role.HANDLING_UNIT)
    deputy_id = deputy_id_of(user)
    if deputy_id is not None and deputy_id in (case.deputy_id, case.assigned_deputy_id):
        roles.add(Role.DEPUTY)
    return roles


def case_actors(user: AnyUser, case: Case) -> set[str]:
    """The actors `user` is on `case` for the action table (`cases.actions`): their roles, and
    CO_UNIT when their unit co-handles the case in a status where that gives an action."""
    actors = actor_roles_for(user, case)
    if case.status in _CO_UNIT_STATUSES and co_units_of(user, case):
        actors.add(CO_UNIT)
    return actors


def ordered_roles(roles: set[str]) -> list[str]:
    """`roles` in the order of ROLE_ORDER (the first allowed one is recorded on the event)."""
    return [r for r in ROLE_ORDER if r in roles]


def co_units_of(user: AnyUser, case: Case) -> list[int]:
    """Ids of the case's co-handling units whose staff `user` is (they may send their view)."""
    unit_ids = scope_for(user, {Role.HANDLING_UNIT}).unit_ids
    if not unit_ids:
        return []
    # The case page has loaded the co-handling rows already (`co_list`): no second query.
    loaded: list[CoHandling] | None = getattr(case, "co_list", None)
    if loaded is not None:
        return [co.unit_id for co in loaded if co.unit_id in unit_ids]
    return list(
        CoHandling.objects.filter(case_id=case.pk, unit_id__in=unit_ids).values_list(
            "unit_id", flat=True
        )
    )


def can_reveal_contact(user: AnyUser, case: Case) -> bool:
    """Show the person's name and phone (audited): triage staff, the lead unit, the deputy."""
    return bool(actor_roles_for(user, case))
