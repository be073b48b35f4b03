from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from liaison.common.paging import paginate
from liaison.regions.models import Region

pytestmark = pytest.mark.django_db


def _page(query: str, **kw: Any) -> Any:
    request = RequestFactory().get("/x/" + query)
    return paginate(request, Region.objects.order_by("code"), per_page=10, **kw)


def test_window_page_knows_next_without_counting(
    hunan: None, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        context = _page("?page=2&q=a", count=False)
    page = context["page_obj"]
    assert page.number == 2 and page.has_previous() and page.has_next()
    assert len(page.object_list) == 10
    assert context["query_without_page"] == "q=a"
    assert page.paginator.num_pages is None


def test_window_page_last_and_bad_numbers(hunan: None) -> None:
    last = (Region.objects.count() + 9) // 10
    page = _page(f"?page={last}", count=False)["page_obj"]
    assert not page.has_next() and page.object_list
    assert _page("?page=abc", count=False)["page_obj"].number == 1
    assert _page("?page=999999999", count=False)["page_obj"].object_list == []


def test_counting_pager_is_the_default(hunan: None) -> None:
    page = _page("?page=1")["page_obj"]
    assert page.paginator.num_pages == (Region.objects.count() + 9) // 10
