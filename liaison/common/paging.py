"""Pagination shared by every list page (workbench and H5)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

DEFAULT_PER_PAGE = 25


def paginate(
    request: HttpRequest, items: Any, *, per_page: int = DEFAULT_PER_PAGE
) -> dict[str, Any]:
    """Context for `includes/pagination.html`: the page and the query string without `page`."""
    paginator = Paginator(items, per_page)
    page: Page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page_obj": page, "query_without_page": query.urlencode()}
