"""Cards on the workbench home page, by role."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability, has_capability
from liaison.cases.kpis import kpi_cards
from liaison.deputies.selectors import DeputyFilters, deputy_list_count
from liaison.grids.coverage import posts_short_of_deputies
from liaison.grids.selectors import GridFilters
from liaison.stations.models import StationStatus
from liaison.stations.selectors import StationFilters, station_list_for_user
from liaison.suggestions.selectors import suggestion_cards


def dashboard_for(user: Any) -> list[dict[str, Any]]:
    """A few counts within the user's scope; two queries at most per card."""

    cards: list[dict[str, Any]] = []
    # The system administrator keeps these directory cards, while the case cards (kpi_cards) are
    # for case work only (三权分立).
    if has_capability(user, Capability.VIEW_STATIONS):
        # Each directory card counts with the selector and filters of the list it links to, and
        # the link carries those filters: the card's number is the number of rows on that page.
        stations = station_list_for_user(user, filters=StationFilters(status=StationStatus.ACTIVE))
        cards.append(
            {
                "label": _("辖区内联络站"),
                "value": stations.count(),
                "help": _("运行中"),
                "url": reverse("stations:list") + f"?status={StationStatus.ACTIVE}",
            }
        )
        cards.append(
            {
                "label": _("辖区内代表"),
                # Remembered per scope for HOT_CACHE_SECONDS (decision 0047): the list's total.
                "value": deputy_list_count(user, DeputyFilters(active=True)),
                "help": _("在任"),
                "url": reverse("deputies:list") + "?active=1",
            }
        )

    if has_capability(user, Capability.VIEW_GRIDS):
        # Counted with the coverage page's own selector: the card's number is its first tab.
        short = posts_short_of_deputies(user, filters=GridFilters())
        cards.append(
            {
                "label": _("缺少代表的岗位"),
                "value": short.count(),
                "help": _("网格岗位在岗代表少于所需人数"),
                "url": reverse("grids:coverage"),
            }
        )

    cards += kpi_cards(user)
    cards += suggestion_cards(user)
    if has_capability(user, Capability.VIEW_AUDIT):
        from liaison.accounts.selectors import audit_events_visible_to

        cards.append(
            {
                "label": _("审计记录"),
                "value": audit_events_visible_to(user).count(),
                "help": _("可查看的全部记录"),
                "url": reverse("audit:list"),
            }
        )
    if has_capability(user, Capability.MANAGE_SECURITY):
        from liaison.accounts.security import login_pauses_visible_to

        cards.append(
            {
                "label": _("登录失败记录"),
                "value": login_pauses_visible_to(user).count(),
                "help": _("辖区内账号，含暂停登录的"),
                "url": reverse("accounts:security"),
            }
        )
    return cards
