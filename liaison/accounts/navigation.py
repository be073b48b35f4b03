"""The workbench navigation: each entry is shown to the roles holding its capability."""

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

    @property
    def roles(self) -> frozenset[str]:
        shown = frozenset(Role) if self.capability is None else roles_with(self.capability)
        return frozenset(shown - self.hidden_from)


NAV: tuple[NavItem, ...] = (
    NavItem(_("首页"), "workbench:home", None),
    NavItem(_("民意办理"), "cases:queue", Capability.SEE_CASES),
    NavItem(_("代表建议"), "suggestions:mine", Capability.FILE_SUGGESTIONS),
    NavItem(_("建议审查交办"), "suggestions:queue", Capability.REVIEW_SUGGESTIONS),
    NavItem(_("建议办理"), "suggestions:units", Capability.HANDLE_SUGGESTIONS),
    NavItem(_("热点研判"), "insights:hot_topics", Capability.ANALYSE_CASES),
    NavItem(_("月度研判"), "reports:list", Capability.ANALYSE_CASES),
    NavItem(_("联络站"), "stations:list", Capability.VIEW_STATIONS),
    NavItem(_("代表"), "deputies:list", Capability.VIEW_DEPUTIES),
    NavItem(_("履职活动"), "activities:list", Capability.VIEW_ACTIVITIES),
    NavItem(_("我的活动"), "activities:mine", Capability.ATTEND_ACTIVITIES),
    NavItem(_("网格岗位"), "grids:list", Capability.VIEW_GRIDS),
    NavItem(_("承办单位"), "units:list", Capability.MANAGE_UNITS),
    NavItem(_("接待日历"), "workbench:calendar", Capability.VIEW_RECEPTIONS),
    NavItem(_("接待安排"), "receptions:schedules", Capability.SCHEDULE_RECEPTIONS),
    NavItem(_("我的值班"), "workbench:duties", Capability.TAKE_RECEPTION_DUTY),
    # The messages are about cases.
    NavItem(_("消息"), "notifications:inbox", Capability.SEE_CASES),
    # Duty points (履职积分): the deputy's own, the rankings and the quarterly bulletin.
    NavItem(_("我的积分"), "points:mine", Capability.OWN_POINTS),
    NavItem(_("履职积分"), "points:ranking", Capability.VIEW_POINTS),
    NavItem(_("积分公示"), "points:bulletin", Capability.VIEW_POINTS),
    # Station heads may grant on these pages (their liaison officers and deputies) but have never
    # had the menu entry; kept so, as it was before the capability table.
    NavItem(
        _("角色授权"),
        "accounts:memberships",
        Capability.GRANT_ROLES,
        hidden_from=frozenset({Role.STATION_HEAD}),
    ),
    NavItem(_("辖区设置"), "jurisdiction:settings", Capability.MANAGE_JURISDICTION),
    NavItem(_("工作日历"), "jurisdiction:calendar", Capability.MANAGE_JURISDICTION),
    NavItem(_("审计日志"), "audit:list", Capability.VIEW_AUDIT),
    NavItem(_("安全管理"), "accounts:security", Capability.MANAGE_SECURITY),
    NavItem(_("系统管理"), "admin:index", Capability.ADMINISTER_SYSTEM),
)
