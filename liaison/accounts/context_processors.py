from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from liaison.accounts.models import Role
from liaison.accounts.navigation import FLAT_MAX, NAV
from liaison.accounts.scoping import roles_of


def _bar(links: list[tuple[Any, dict[str, Any]]]) -> list[dict[str, Any]]:
    """The entries of a grouped bar: a group of one is a plain link, a larger one a menu; groups
    stand where their first entry stood."""
    bar: list[dict[str, Any]] = []
    menus: dict[str, dict[str, Any]] = {}
    for group, link in links:
        if group is None:
            bar.append(link)
            continue
        menu = menus.get(str(group))
        if menu is None:
            menu = {"label": group, "entries": [], "is_menu": True, "active": False}
            menus[str(group)] = menu
            bar.append(menu)
        menu["entries"].append(link)
        menu["active"] = menu["active"] or link["active"]
    return [m["entries"][0] if m.get("is_menu") and len(m["entries"]) == 1 else m for m in bar]


def workbench(request: HttpRequest) -> dict[str, Any]:
    """Navigation and role badges for the staff pages; nothing for the public pages."""
    # The path first: asking a public page's visitor whether they are logged in would read their
    # session and user (two queries) for nothing.
    if not request.path.startswith("/staff/"):
        return {}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = roles_of(user)
    links: list[tuple[Any, dict[str, Any]]] = []
    for item in NAV:
        if not roles & item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        links.append((item.group, {"label": item.label, "url": url, "active": False}))
    # The entry whose address is the longest start of the page's: on 积分公示
    # (/staff/points/bulletin/) that one, not also 履职积分 (/staff/points/).
    matches = [
        link for _group, link in links
        if link["url"] != "/staff/" and request.path.startswith(link["url"])
    ]  # fmt: skip
    if matches:
        max(matches, key=lambda link: len(link["url"]))["active"] = True
    nav = [link for _group, link in links] if len(links) <= FLAT_MAX else _bar(links)
    labels = [Role(r).label for r in sorted(roles)]
    return {"workbench_nav": nav, "workbench_roles": labels}
