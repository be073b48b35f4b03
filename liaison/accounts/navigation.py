"""The workbench navigation: each entry is shown to the roles holding its capability.

Entries belong to groups (民意, 代表履职, …). A user who sees few entries (a deputy, a unit's
clerk) gets them as a flat row; one who sees many (congress staff) gets one menu per group, so
the bar stays on one line on a desktop (context_processors.workbench decides)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from liaison.accounts.capabilities import Capability, roles_with
from liaison.accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    # None: every role (the home page).
    capability: Capability | None
    # Roles that hold the capability but do not get the menu entry.
    hidden_from: frozenset[Role] = frozenset()
    # The menu it sits in when the bar is grouped; None: always on the bar itself.
    group: str | Promise | None = None

    @property
    def roles(self) -> frozenset[str]:
        shown = frozenset(Role) if self.capability is None else roles_with(self.capability)
        return frozenset(shown - self.hidden_from)


OPINIONS = _("民意")
SUGGESTIONS = _("代表建议")
DUTIES = _("代表履职")
STATIONS = _("站点单位")
SYSTEM = _("系统")

# Up to this many entries a user's bar is flat (a deputy's nine "my …" pages), above it grouped.
FLAT_MAX = 9

NAV: tuple[NavItem, ...] = (
    NavItem(_("首页"), "workbench:home", None),
    NavItem(_("民意办理"), "cases:queue", Capability.SEE_CASES, group=OPINIONS),
    NavItem(_("热点研判"), "insights:hot_topics", Capability.ANALYSE_CASES, group=OPINIONS),
    NavItem(_("月度研判"), "reports:list", Capability.ANALYSE_CASES, group=OPINIONS),
    NavItem(_("代表"), "deputies:list", Capability.VIEW_DEPUTIES, group=DUTIES),
    NavItem(_("我的值班"), "workbench:duties", Capability.TAKE_RECEPTION_DUTY, group=DUTIES),
    NavItem(_("我的活动"), "activities:mine", Capability.ATTEND_ACTIVITIES, group=DUTIES),
    NavItem(_("履职活动"), "activities:list", Capability.VIEW_ACTIVITIES, group=DUTIES),
    NavItem(_("接待日历"), "workbench:calendar", Capability.VIEW_RECEPTIONS, group=DUTIES),
    NavItem(_("接待安排"), "receptions:schedules", Capability.SCHEDULE_RECEPTIONS, group=DUTIES),
    NavItem(_("网格岗位"), "grids:list", Capability.VIEW_GRIDS, group=DUTIES),
    NavItem(_("履职档案"), "archives:index", Capability.VIEW_ARCHIVES, group=DUTIES),
    NavItem(_("年度台账"), "archives:station_year", Capability.VIEW_ARCHIVES, group=DUTIES),
    NavItem(_("我的履职档案"), "archives:mine", Capability.SEE_OWN_ARCHIVE, group=DUTIES),
    NavItem(_("代表述职"), "dutyreports:list", Capability.VIEW_DUTY_REPORTS, group=DUTIES),
    NavItem(_("我的述职"), "dutyreports:mine", Capability.GIVE_DUTY_REPORTS, group=DUTIES),
    # Duty points (履职积分): the deputy's own, the rankings and the quarterly bulletin.
    NavItem(_("我的积分"), "points:mine", Capability.OWN_POINTS, group=DUTIES),
    NavItem(_("履职积分"), "points:ranking", Capability.VIEW_POINTS, group=DUTIES),
    NavItem(_("积分公示"), "points:bulletin", Capability.VIEW_POINTS, group=DUTIES),
    NavItem(_("代表建议"), "suggestions:mine", Capability.FILE_SUGGESTIONS, group=SUGGESTIONS),
    # Station staff help their deputies draft suggestions (the list of their stations' ones).
    NavItem(_("协助起草建议"), "suggestions:mine", Capability.HELP_SUGGESTIONS, group=SUGGESTIONS),
    NavItem(
        _("建议审查交办"), "suggestions:queue", Capability.REVIEW_SUGGESTIONS, group=SUGGESTIONS
    ),
    NavItem(_("建议办理"), "suggestions:units", Capability.HANDLE_SUGGESTIONS, group=SUGGESTIONS),
    NavItem(_("联络站"), "stations:list", Capability.VIEW_STATIONS, group=STATIONS),
    NavItem(_("承办单位"), "units:list", Capability.MANAGE_UNITS, group=STATIONS),
    # The messages are about cases.
    NavItem(_("消息"), "notifications:inbox", Capability.SEE_CASES),
    # Station heads grant their liaison officers and deputies on this page too.
    NavItem(_("角色授权"), "accounts:memberships", Capability.GRANT_ROLES, group=SYSTEM),
    NavItem(_("辖区设置"), "jurisdiction:settings", Capability.MANAGE_JURISDICTION, group=SYSTEM),
    NavItem(_("工作日历"), "jurisdiction:calendar", Capability.MANAGE_JURISDICTION, group=SYSTEM),
    NavItem(_("审计日志"), "audit:list", Capability.VIEW_AUDIT, group=SYSTEM),
    NavItem(_("安全管理"), "accounts:security", Capability.MANAGE_SECURITY, group=SYSTEM),
    NavItem(_("系统管理"), "admin:index", Capability.ADMINISTER_SYSTEM, group=SYSTEM),
)
