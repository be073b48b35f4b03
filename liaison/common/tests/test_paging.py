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
    assert page.number == 2
    assert page.has_previous()
    assert page.has_next()
    assert len(page.object_list) == 10
    assert context["query_without_page"] == "q=a"
    assert page.paginator.num_pages is None


def test_window_page_last_and_bad_numbers(hunan: None) -> None:
    last = (Region.objects.count() + 9) // 10
    page = _page(f"?page={last}", count=False)["page_obj"]
    assert not page.has_next()
    assert page.object_list
    assert _page("?page=abc", count=False)["page_obj"].number == 1
    assert _page("?page=999999999", count=False)["page_obj"].object_list == []


def test_counting_pager_is_the_default(hunan: None) -> None:
    page = _page("?page=1")["page_obj"]
    assert page.paginator.num_pages == (Region.objects.count() + 9) // 10


@pytest.mark.django_db
def test_late_rows_sort_on_ids_and_load_one_page(hunan: None) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from liaison.common.paging import LateRows

    regions = Region.objects.filter(code__startswith="4301").order_by("-code")
    loaded: list[list[str]] = []

    def load(pks: list[str]) -> list[Region]:
        loaded.append(pks)
        return list(Region.objects.filter(pk__in=pks).order_by("code"))  # any order

    rows = LateRows(regions.values_list("pk", flat=True), load)
    assert rows.count() == regions.count() == len(rows)
    with CaptureQueriesContext(connection) as queries:
        page = rows[2:5]
    assert [r.pk for r in page] == list(regions.values_list("pk", flat=True)[2:5])
    assert len(queries) == 2
    assert loaded == [[r.pk for r in page]]
    with pytest.raises(TypeError):
        rows[0]  # type: ignore[index]


def test_late_rows_over_sorted_ids_take_the_count_given() -> None:
    """Ids from a SortedIds (not a queryset) are sliced as given, the rows loaded in any order
    come back in the ids' order, and the total is the count passed."""
    from types import SimpleNamespace

    from liaison.common.paging import LateRows

    ids = [5, 3, 9, 1]
    rows = LateRows(
        ids, lambda pks: [SimpleNamespace(pk=pk) for pk in sorted(pks)], count=lambda: 4
    )
    assert rows.count() == len(rows) == 4
    assert [row.pk for row in rows[1:3]] == [3, 9]
