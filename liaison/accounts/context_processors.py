from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language

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


# The bar depends only on the user's roles, the language, the script prefix and which entry the
# page sits under; it is built once per such key and kept (a handful of role sets × languages ×
# entries), instead of ~25 reverse() calls and a template loop on every staff page.
_links: dict[tuple[frozenset[str], str, str], list[tuple[Any, dict[str, Any]]]] = {}
_bars: dict[tuple[frozenset[str], str, str, str], SafeString] = {}
_BARS_MAX = 4096


def _entries(roles: frozenset[str]) -> list[tuple[Any, dict[str, Any]]]:
    links: list[tuple[Any, dict[str, Any]]] = []
    for item in NAV:
        if not roles & item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        links.append((item.group, {"label": item.label, "url": url, "active": False}))
    return links


def _active_url(links: list[tuple[Any, dict[str, Any]]], path: str) -> str:
    """The entry whose address is the longest start of the page's: on 积分公示
    (/staff/points/bulletin/) that one, not also 履职积分 (/staff/points/)."""
    urls = [link["url"] for _group, link in links if link["url"] != "/staff/"]
    return max((url for url in urls if path.startswith(url)), key=len, default="")


def _link_html(link: dict[str, Any]) -> SafeString:
    if link["active"]:
        return format_html(
            '<a href="{}" class="active" aria-current="page">{}</a>', link["url"], link["label"]
        )
    return format_html('<a href="{}">{}</a>', link["url"], link["label"])


def _menu_html(menu: dict[str, Any]) -> SafeString:
    entries = format_html_join("", "{}", ((_link_html(link),) for link in menu["entries"]))
    summary = '<summary class="active">{}</summary>' if menu["active"] else "<summary>{}</summary>"
    return format_html(
        '<details class="navgroup" name="mainnav">{}<div class="navmenu">{}</div></details>',
        format_html(summary, menu["label"]),
        entries,
    )


def _bar_html(links: list[tuple[Any, dict[str, Any]]]) -> SafeString:
    """Every label and address escaped by format_html; nothing is marked safe by hand."""
    nav = [link for _group, link in links] if len(links) <= FLAT_MAX else _bar(links)
    return format_html_join(
        "", "{}", ((_menu_html(i) if i.get("is_menu") else _link_html(i),) for i in nav)
    )


def workbench_bar(roles: frozenset[str], path: str) -> SafeString:
    """The bar's HTML for these roles on this page (escaped; cached, see `_bars`)."""
    base = (roles, get_language() or "", get_script_prefix())
    links = _links.get(base)
    if links is None:
        links = _links[base] = _entries(roles)
    active = _active_url(links, path)
    key = (*base, active)
    html = _bars.get(key)
    if html is None:
        if len(_bars) >= _BARS_MAX:
            _bars.clear()
        marked = [(group, {**link, "active": link["url"] == active}) for group, link in links]
        html = _bars[key] = _bar_html(marked)
    return html


def workbench(request: HttpRequest) -> dict[str, Any]:
    """Navigation and role badges for the staff pages; nothing for the public pages."""
    # The path first: asking a public page's visitor whether they are logged in would read their
    # session and user (two queries) for nothing.
    if not request.path.startswith("/staff/"):
        return {}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = frozenset(roles_of(user))
    labels = [Role(r).label for r in sorted(roles)]
    return {
        "workbench_bar": workbench_bar(roles, request.path),
        "workbench_roles": labels,
    }
