"""Who may act on a station's reception days: predicates over (user, row), by capability."""

from __future__ import annotations

from liaison.accounts.capabilities import Capability, capability_scope, has_capability
from liaison.accounts.scoping import AnyUser
from liaison.deputies.models import Deputy
from liaison.receptions.models import ReceptionDay, ReceptionDuty
from liaison.stations.models import Station


def covers_station(user: AnyUser, capability: Capability, station: Station) -> bool:
    """Whether the user holds `capability` in a scope that reaches the station."""
    scope = capability_scope(user, capability)
    return scope.covers_station(region_code=station.region_id, path=station.path)


def can_schedule(user: AnyUser, station: Station) -> bool:
    return covers_station(user, Capability.SCHEDULE_RECEPTIONS, station)


def can_record(user: AnyUser, station: Station) -> bool:
    return covers_station(user, Capability.RECORD_RECEPTIONS, station)


def deputy_of(user: AnyUser) -> Deputy | None:
    """The deputy in office who logs in as `user` (cached on the user object for the request)."""
    if not user.is_authenticated or not has_capability(user, Capability.TAKE_RECEPTION_DUTY):
        return None
    cached = vars(user).get("_reception_deputy", False)
    if cached is False:
        cached = Deputy.objects.filter(user_id=user.pk, is_active=True).first()
        vars(user)["_reception_deputy"] = cached
    return cached  # type: ignore[no-any-return]


def is_own_duty(user: AnyUser, duty: ReceptionDuty) -> bool:
    deputy = deputy_of(user)
    return deputy is not None and duty.deputy_id == deputy.pk


def can_record_day(user: AnyUser, day: ReceptionDay, duties: list[ReceptionDuty]) -> bool:
    """Station staff, or a deputy on duty that day (they may write the record themselves)."""
    if can_record(user, day.station):
        return True
    deputy = deputy_of(user)
    return deputy is not None and any(d.deputy_id == deputy.pk for d in duties)
