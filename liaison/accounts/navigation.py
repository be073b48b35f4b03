"""The workbench navigation: each entry is shown to the roles that can use it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str]


# Case work (queues, analysis, messages about cases): not the system administrator's (三权分立).
_WORK = frozenset({Role.LIAISON_OFFICER, Role.STATION_HEAD, Role.CONGRESS_STAFF})
# What the system administrator keeps: stations and deputies (public fields) of the jurisdiction.
_DIRECTORY = _WORK | {Role.SYSTEM_ADMIN}

NAV: tuple[NavItem, ...] = (
    NavItem(_("首页"), "workbench:home", frozenset(Role.values)),
    NavItem(_("民意办理"), "cases:queue", _WORK | {Role.HANDLING_UNIT, Role.DEPUTY}),
    NavItem(_("热点研判"), "insights:hot_topics", _WORK),
    NavItem(_("月度研判"), "reports:list", _WORK),
    NavItem(_("联络站"), "stations:list", _DIRECTORY),
    NavItem(_("代表"), "deputies:list", _DIRECTORY),
    NavItem(_("承办单位"), "units:list", frozenset({Role.CONGRESS_STAFF, Role.SYSTEM_ADMIN})),
    NavItem(_("消息"), "notifications:inbox", _WORK | {Role.HANDLING_UNIT, Role.DEPUTY}),
    NavItem(
        _("角色授权"),
        "accounts:memberships",
        frozenset({Role.CONGRESS_STAFF, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}),
    ),
    NavItem(
        _("辖区设置"), "jurisdiction:settings", frozenset({Role.CONGRESS_STAFF, Role.SYSTEM_ADMIN})
    ),
    NavItem(
        _("工作日历"), "jurisdiction:calendar", frozenset({Role.CONGRESS_STAFF, Role.SYSTEM_ADMIN})
    ),
    NavItem(_("审计日志"), "audit:list", frozenset({Role.AUDITOR})),
    NavItem(_("安全管理"), "accounts:security", frozenset({Role.SECURITY_ADMIN})),
    NavItem(_("系统管理"), "admin:index", frozenset({Role.SYSTEM_ADMIN})),
)
