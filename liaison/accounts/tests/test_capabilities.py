"""The capability table, written out: any change to who may do what shows in this file's diff."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from liaison.accounts.capabilities import (
    CAPABILITIES,
    GRANTABLE,
    ROLE_PRECEDENCE,
    Capability,
    capability_scope,
    has_capability,
    roles_with,
)
from liaison.accounts.models import Role

# One line per capability: the roles holding it, in the order of Role.
EXPECTED = """
see_cases: deputy liaison_officer station_head congress_staff handling_unit
work_cases: liaison_officer station_head congress_staff
handle_cases: deputy handling_unit
run_station: liaison_officer station_head
oversee_region: congress_staff
analyse_cases: liaison_officer station_head congress_staff
see_suggestions: deputy liaison_officer station_head congress_staff handling_unit
file_suggestions: deputy
help_suggestions: liaison_officer station_head
review_suggestions: congress_staff
handle_suggestions: handling_unit
view_stations: liaison_officer station_head congress_staff system_admin
edit_stations: station_head congress_staff system_admin
assess_stations: congress_staff system_admin
view_deputies: liaison_officer station_head congress_staff system_admin
manage_deputies: congress_staff system_admin
see_deputy_personal: liaison_officer station_head congress_staff
manage_deputy_private: congress_staff
assign_deputies_at_station: station_head
view_units: liaison_officer station_head congress_staff system_admin
manage_units: congress_staff system_admin
manage_jurisdiction: congress_staff system_admin
view_activities: liaison_officer station_head congress_staff
plan_activities: liaison_officer station_head
verify_activities: congress_staff
attend_activities: deputy
view_grids: liaison_officer station_head congress_staff
manage_grids: station_head congress_staff
view_receptions: liaison_officer station_head congress_staff
schedule_receptions: liaison_officer station_head congress_staff
record_receptions: liaison_officer station_head congress_staff
take_reception_duty: deputy
grant_roles: station_head congress_staff system_admin security_admin
create_users: system_admin
administer_system: system_admin
manage_security: security_admin
view_audit: auditor
view_archives: liaison_officer station_head congress_staff
see_own_archive: deputy
view_duty_reports: liaison_officer station_head congress_staff
schedule_duty_reports: liaison_officer station_head congress_staff
give_duty_reports: deputy
view_points: liaison_officer station_head congress_staff
correct_points: congress_staff
own_points: deputy
"""


def _table() -> str:
    lines = [
        f"{c.value}: " + " ".join(r.value for r in Role if r in CAPABILITIES[c]) for c in Capability
    ]
    return "\n" + "\n".join(lines) + "\n"


def test_the_table_is_as_written_out() -> None:
    assert _table() == EXPECTED


def test_every_capability_has_a_row() -> None:
    assert set(CAPABILITIES) == set(Capability)


def test_no_administrator_sees_cases_or_personal_data() -> None:
    # 三权分立: the three administrators stay away from the people's matters.
    admins = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR}
    for capability in (
        Capability.SEE_CASES,
        Capability.WORK_CASES,
        Capability.ANALYSE_CASES,
        Capability.SEE_DEPUTY_PERSONAL,
        Capability.MANAGE_DEPUTY_PRIVATE,
    ):
        assert not roles_with(capability) & admins, capability


def test_granting_roles_are_the_keys_of_grantable() -> None:
    assert set(GRANTABLE) == roles_with(Capability.GRANT_ROLES)


def test_role_precedence_orders_the_business_roles() -> None:
    assert set(ROLE_PRECEDENCE) == roles_with(Capability.SEE_CASES)
    assert len(ROLE_PRECEDENCE) == len(set(ROLE_PRECEDENCE))


def test_roles_with_several_capabilities_is_the_union() -> None:
    assert roles_with(Capability.MANAGE_DEPUTIES, Capability.ASSIGN_DEPUTIES_AT_STATION) == {
        Role.CONGRESS_STAFF,
        Role.SYSTEM_ADMIN,
        Role.STATION_HEAD,
    }
    assert roles_with() == frozenset()


@pytest.mark.django_db
def test_a_user_holds_a_capability_in_the_scope_of_its_memberships(
    station_officer, county_staff
) -> None:
    assert has_capability(station_officer, Capability.RUN_STATION)
    assert not has_capability(station_officer, Capability.OVERSEE_REGION)
    assert capability_scope(station_officer, Capability.RUN_STATION).station_paths
    assert has_capability(county_staff, Capability.OVERSEE_REGION)
    assert capability_scope(county_staff, Capability.OVERSEE_REGION).regions
    assert capability_scope(county_staff, Capability.RUN_STATION).is_empty


def test_no_module_keeps_its_own_role_set() -> None:
    """Role sets live in the capability table only: no `X_ROLES = …` and no literal set of roles
    outside `accounts/capabilities.py` (single roles and the case transition rows stay)."""
    root = Path(__file__).resolve().parents[2]
    own_set = re.compile(r"^\s*_?[A-Z_]*ROLES(: [^=]+)? = ", re.M)
    literal_set = re.compile(r"frozenset\(\{Role\.\w+, Role\.|\(Role\.\w+, Role\.\w+")
    offenders = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        if "/tests/" in relative or "/migrations/" in relative or relative.startswith("tests_"):
            continue
        if relative == "accounts/capabilities.py":
            continue
        text = path.read_text(encoding="utf-8")
        if own_set.search(text) or literal_set.search(text):
            offenders.append(relative)
    assert offenders == []
