from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from liaison.accounts.models import Role
from liaison.accounts.navigation import NAV
from liaison.accounts.scoping import roles_of


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
    items = []
    for item in NAV:
        if not roles & item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = url != "/staff/" and request.path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active})
    labels = [Role(r).label for r in sorted(roles)]
    return {"workbench_nav": items, "workbench_roles": labels}
