"""The two-county, every-role matrix of the export-job tests: a user of every role in each
county, and the job's page and file tried by each of them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from liaison.accounts.models import Role, User
from liaison.accounts.tests.factories import make_member
from liaison.regions.tests.factories import CHANGSHA_COUNTY, YUELU, region

# Every role but the platform admin (who holds no county).
ROLES: Final = [
    Role.DEPUTY, Role.LIAISON_OFFICER, Role.STATION_HEAD, Role.CONGRESS_STAFF,
    Role.HANDLING_UNIT, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR,
]  # fmt: skip
AT_STATION: Final = frozenset({Role.DEPUTY, Role.LIAISON_OFFICER, Role.STATION_HEAD})
# The roles that keep a station's or a region's registers and ledgers.
STAFF: Final = frozenset({Role.LIAISON_OFFICER, Role.STATION_HEAD, Role.CONGRESS_STAFF})
# A township of each county, for a station of it.
TOWNSHIP: Final = {YUELU: "430104002000", CHANGSHA_COUNTY: "430121001000"}


def members_of_every_role(*, county: str, station: Any) -> dict[str, User]:
    """A user of every role of `ROLES` in `county`, named "<role>_<county>": the station roles
    at `station`, the others over the county."""
    return {
        role: make_member(
            role,
            username=f"{role}_{county}",
            **({"station": station} if role in AT_STATION else {"region": region(county)}),
        )
        for role in ROLES
    }


def assert_only_the_requester_opens(
    as_user: Callable[[Any], Any], location: str, owner: Any, users: Mapping[Any, Any]
) -> None:
    """The job page at `location` and its download answer the requester (200) and nobody else
    of `users` (404), each user keyed by what a failure should name (county, role)."""
    for label, user in users.items():
        client = as_user(user)
        expected = 200 if user == owner else 404
        assert client.get(location).status_code == expected, label
        assert client.get(f"{location}download/").status_code == expected, label
