"""Who may do what: one table from each capability to the roles that hold it.

Every permission check, scoped selector, menu entry and view decorator names a capability here
instead of listing roles, so that a change of who may do something is one line of this table
(and shows in `accounts/tests/test_capabilities.py`). The scope in which a user holds a
capability is the union of the scopes of their memberships in those roles (`capability_scope`).

The three administrators (system, security, auditor) hold separated powers (三权分立): none of
them sees cases or the personal data in them; the system administrator keeps the directory
(stations, deputies' public fields, units, settings) and the admin site.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from liaison.accounts.models import Role
from liaison.accounts.scoping import AnyUser, Scope, has_role, scope_for


class Capability(StrEnum):
    # --- cases ---
    SEE_CASES = "see_cases"  # case lists, the case page, case messages
    WORK_CASES = "work_cases"  # accept, assign, relay, supervise, reveal, import, export
    HANDLE_CASES = "handle_cases"  # reply to a case handed to them (unit, deputy)
    RUN_STATION = "run_station"  # hear of a station's new cases; its reports by station
    OVERSEE_REGION = "oversee_region"  # cases, KPIs and reports of a region subtree
    ANALYSE_CASES = "analyse_cases"  # hot topics and monthly reports
    # --- deputies' suggestions (代表建议) ---
    SEE_SUGGESTIONS = "see_suggestions"  # the suggestion pages at all (menu)
    FILE_SUGGESTIONS = "file_suggestions"  # draft, submit, co-sign, rate their own
    HELP_SUGGESTIONS = "help_suggestions"  # station staff help their deputies draft
    REVIEW_SUGGESTIONS = "review_suggestions"  # review, assign, press, handling table, register
    HANDLE_SUGGESTIONS = "handle_suggestions"  # a unit answers what it is assigned
    # --- the directory of the jurisdiction ---
    VIEW_STATIONS = "view_stations"
    EDIT_STATIONS = "edit_stations"  # station heads inside their own subtree
    ASSESS_STATIONS = "assess_stations"
    VIEW_DEPUTIES = "view_deputies"  # list, detail, public fields
    MANAGE_DEPUTIES = "manage_deputies"  # register, public data, seats, assignments
    SEE_DEPUTY_PERSONAL = "see_deputy_personal"  # private fields, masked
    MANAGE_DEPUTY_PRIVATE = "manage_deputy_private"  # reveal (audited), enter, change
    ASSIGN_DEPUTIES_AT_STATION = "assign_deputies_at_station"  # to their own station
    VIEW_UNITS = "view_units"
    MANAGE_UNITS = "manage_units"  # units, routing rules, unit staff
    MANAGE_JURISDICTION = "manage_jurisdiction"  # settings and the working-day calendar
    # --- duty activities ---
    VIEW_ACTIVITIES = "view_activities"  # activity lists, registers, training gaps
    PLAN_ACTIVITIES = "plan_activities"  # plan, record, submit; the station's work plan
    VERIFY_ACTIVITIES = "verify_activities"  # verify or return records (never one's own)
    ATTEND_ACTIVITIES = "attend_activities"  # a deputy's own: confirm attendance, organise
    # --- governance grids and the posts deputies hold in them (网格岗位) ---
    VIEW_GRIDS = "view_grids"  # grids, posts, coverage, the register
    MANAGE_GRIDS = "manage_grids"  # station heads only for their own station's grids
    # --- reception days (代表接待日) ---
    VIEW_RECEPTIONS = "view_receptions"  # calendar, days, records, attendance, the register
    SCHEDULE_RECEPTIONS = "schedule_receptions"  # schedules, one-off days, rota, swap decisions
    RECORD_RECEPTIONS = "record_receptions"  # the record of a held day, attendance for deputies
    TAKE_RECEPTION_DUTY = "take_reception_duty"  # my duties: confirm, ask for a swap
    # --- accounts and the three powers ---
    GRANT_ROLES = "grant_roles"  # the memberships pages (what each may grant: GRANTABLE)
    CREATE_USERS = "create_users"
    ADMINISTER_SYSTEM = "administer_system"  # the admin site
    MANAGE_SECURITY = "manage_security"  # second factors, lockouts, enrolment codes
    VIEW_AUDIT = "view_audit"
    # --- one file per deputy (一人一档) and the station's registers of a year ---
    VIEW_ARCHIVES = "view_archives"  # deputies' files in scope, the station-year zip
    SEE_OWN_ARCHIVE = "see_own_archive"  # a deputy's own file
    # --- deputies' duty reports to voters (代表述职) ---
    VIEW_DUTY_REPORTS = "view_duty_reports"  # lists, a report with its ratings, who has not
    SCHEDULE_DUTY_REPORTS = "schedule_duty_reports"  # schedule, record, publish, cancel, sheets
    GIVE_DUTY_REPORTS = "give_duty_reports"  # a deputy's own reports and their ratings
    # --- duty points (履职积分) ---
    VIEW_POINTS = "view_points"  # rankings, deputies' ledgers, the quarterly bulletin
    CORRECT_POINTS = "correct_points"  # a correction entry with its reason (audited)
    OWN_POINTS = "own_points"  # a deputy's own points and how each entry arose


_LO, _SH, _CS = Role.LIAISON_OFFICER, Role.STATION_HEAD, Role.CONGRESS_STAFF
_HU, _DEP = Role.HANDLING_UNIT, Role.DEPUTY
_SA, _SEC, _AUD = Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR

CAPABILITIES: Final[Mapping[Capability, frozenset[Role]]] = MappingProxyType(
    {
        Capability.SEE_CASES: frozenset({_LO, _SH, _CS, _HU, _DEP}),
        Capability.WORK_CASES: frozenset({_LO, _SH, _CS}),
        Capability.HANDLE_CASES: frozenset({_HU, _DEP}),
        Capability.RUN_STATION: frozenset({_LO, _SH}),
        Capability.OVERSEE_REGION: frozenset({_CS}),
        Capability.ANALYSE_CASES: frozenset({_LO, _SH, _CS}),
        Capability.SEE_SUGGESTIONS: frozenset({_LO, _SH, _CS, _HU, _DEP}),
        Capability.FILE_SUGGESTIONS: frozenset({_DEP}),
        Capability.HELP_SUGGESTIONS: frozenset({_LO, _SH}),
        Capability.REVIEW_SUGGESTIONS: frozenset({_CS}),
        Capability.HANDLE_SUGGESTIONS: frozenset({_HU}),
        Capability.VIEW_STATIONS: frozenset({_LO, _SH, _CS, _SA}),
        Capability.EDIT_STATIONS: frozenset({_SH, _CS, _SA}),
        Capability.ASSESS_STATIONS: frozenset({_CS, _SA}),
        Capability.VIEW_DEPUTIES: frozenset({_LO, _SH, _CS, _SA}),
        Capability.MANAGE_DEPUTIES: frozenset({_CS, _SA}),
        Capability.SEE_DEPUTY_PERSONAL: frozenset({_LO, _SH, _CS}),
        Capability.MANAGE_DEPUTY_PRIVATE: frozenset({_CS}),
        Capability.ASSIGN_DEPUTIES_AT_STATION: frozenset({_SH}),
        Capability.VIEW_UNITS: frozenset({_LO, _SH, _CS, _SA}),
        Capability.MANAGE_UNITS: frozenset({_CS, _SA}),
        Capability.MANAGE_JURISDICTION: frozenset({_CS, _SA}),
        Capability.VIEW_ACTIVITIES: frozenset({_LO, _SH, _CS}),
        Capability.PLAN_ACTIVITIES: frozenset({_LO, _SH}),
        Capability.VERIFY_ACTIVITIES: frozenset({_CS}),
        Capability.ATTEND_ACTIVITIES: frozenset({_DEP}),
        Capability.VIEW_GRIDS: frozenset({_LO, _SH, _CS}),
        Capability.MANAGE_GRIDS: frozenset({_SH, _CS}),
        Capability.VIEW_RECEPTIONS: frozenset({_LO, _SH, _CS}),
        Capability.SCHEDULE_RECEPTIONS: frozenset({_LO, _SH, _CS}),
        Capability.RECORD_RECEPTIONS: frozenset({_LO, _SH, _CS}),
        Capability.TAKE_RECEPTION_DUTY: frozenset({_DEP}),
        Capability.GRANT_ROLES: frozenset({_CS, _SA, _SH, _SEC}),
        Capability.CREATE_USERS: frozenset({_SA}),
        Capability.ADMINISTER_SYSTEM: frozenset({_SA}),
        Capability.MANAGE_SECURITY: frozenset({_SEC}),
        Capability.VIEW_AUDIT: frozenset({_AUD}),
        Capability.VIEW_ARCHIVES: frozenset({_LO, _SH, _CS}),
        Capability.SEE_OWN_ARCHIVE: frozenset({_DEP}),
        Capability.VIEW_DUTY_REPORTS: frozenset({_LO, _SH, _CS}),
        Capability.SCHEDULE_DUTY_REPORTS: frozenset({_LO, _SH, _CS}),
        Capability.GIVE_DUTY_REPORTS: frozenset({_DEP}),
        Capability.VIEW_POINTS: frozenset({_LO, _SH, _CS}),
        Capability.CORRECT_POINTS: frozenset({_CS}),
        Capability.OWN_POINTS: frozenset({_DEP}),
    }
)

# The three separated administrative powers: one account holds at most one of them, and only the
# security administrator grants them.
ADMIN_ROLES: Final = frozenset({_SA, _SEC, _AUD})
BUSINESS_ROLES: Final = frozenset({_DEP, _LO, _SH, _CS, _HU})

# When a user acts on one thing with several business roles, the first of them in this order is
# the one recorded (a case event names one role).
ROLE_PRECEDENCE: Final[tuple[Role, ...]] = (_LO, _SH, _CS, _HU, _DEP)

# Which roles each granting role may hand out (the keys hold GRANT_ROLES). The three admin powers
# are granted only by the security administrator, so a system administrator can never make
# himself his own auditor.
GRANTABLE: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        _CS: BUSINESS_ROLES,
        _SA: BUSINESS_ROLES,
        _SH: frozenset({_LO, _DEP}),
        _SEC: ADMIN_ROLES,
    }
)


def roles_with(*capabilities: Capability) -> frozenset[Role]:
    """The roles holding any of `capabilities`."""
    return frozenset().union(*(CAPABILITIES[c] for c in capabilities))


def has_capability(user: AnyUser, *capabilities: Capability) -> bool:
    """Whether the user holds a role with any of `capabilities` (memberships cached per request)."""
    return has_role(user, roles_with(*capabilities))


def capability_scope(user: AnyUser, *capabilities: Capability) -> Scope:
    """Where the user holds any of `capabilities`: the union of those memberships' scopes."""
    return scope_for(user, roles_with(*capabilities))
