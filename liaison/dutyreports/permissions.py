"""Who is who on a duty report: predicates over (user, report); no list queries.

- liaison officers, station heads and congress staff: reports of the stations their scope covers
  (SCHEDULE_DUTY_REPORTS);
- the deputy who reports (REPORTER);
- the three administrators neither see nor touch duty reports.
"""

from __future__ import annotations

from typing import Final

from liaison.accounts.capabilities import ROLE_PRECEDENCE, Capability, roles_with
from liaison.accounts.scoping import AnyUser, scope_for
from liaison.cases.permissions import deputy_id_of
from liaison.dutyreports.models import DutyReport
from liaison.dutyreports.workflow import REPORTER
from liaison.stations.models import Station

__all__ = ["ACTOR_ORDER", "deputy_id_of", "report_actors", "staff_roles_on"]

ACTOR_ORDER: Final = (*ROLE_PRECEDENCE, REPORTER)


def staff_roles_on(user: AnyUser, station: Station) -> set[str]:
    """The staff roles with which `user` acts on duty reports at `station`."""
    roles = roles_with(Capability.SCHEDULE_DUTY_REPORTS)
    return {
        role
        for role in roles
        if scope_for(user, {role}).covers_station(region_code=station.region_id, path=station.path)
    }


def report_actors(user: AnyUser, report: DutyReport) -> list[str]:
    """The actors `user` is on `report`, in ACTOR_ORDER (empty: none of their business)."""
    if not user.is_authenticated:
        return []
    actors = staff_roles_on(user, report.station)
    if deputy_id_of(user) == report.deputy_id:
        actors.add(REPORTER)
    return [a for a in ACTOR_ORDER if a in actors]
