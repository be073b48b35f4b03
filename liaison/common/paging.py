"""Pagination shared by every list page (workbench and H5)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

DEFAULT_PER_PAGE = 25
MAX_PAGE = 10_000


def paginate(
    request: HttpRequest, items: Any, *, per_page: int = DEFAULT_PER_PAGE, count: bool = True
) -> dict[str, Any]:
    """Context for `includes/pagination.html`: the page and the query string without `page`.

    `count=False` skips the COUNT(*) of the whole list (previous/next links only), for public
    lists that grow without bound, where the count costs more than the page itself.
    """
    query = request.GET.copy()
    query.pop("page", None)
    page: Page[Any] | WindowPage
    if count:
        page = Paginator(items, per_page).get_page(request.GET.get("page"))
    else:
        page = WindowPage.of(items, number=_page_number(request), per_page=per_page)
    return {"page_obj": page, "query_without_page": query.urlencode()}


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return min(max(int(raw), 1), MAX_PAGE) if raw.isdigit() else 1


@dataclass
class _NoCount:
    # The template shows "第 n 页" without a total when num_pages is None.
    num_pages: None = None
    count: None = None


@dataclass
class WindowPage:
    """A page fetched as one slice of per_page + 1 rows: enough to know whether more follow."""

    object_list: list[Any]
    number: int
    more: bool
    paginator: _NoCount = field(default_factory=_NoCount)

    @classmethod
    def of(cls, items: Any, *, number: int, per_page: int) -> WindowPage:
        start = (number - 1) * per_page
        rows = list(items[start : start + per_page + 1])
        return cls(object_list=rows[:per_page], number=number, more=len(rows) > per_page)

    def has_next(self) -> bool:
        return self.more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.more or self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


class SortedIds(Protocol):
    """Ids in a list's order that can be sliced, when no single queryset reads them well (the
    queue of a user who sees cases several ways, `cases.queues`)."""

    def __getitem__(self, index: slice) -> Iterable[Any]: ...


class LateRows:
    """A list for `paginate` that sorts, counts and slices the narrow id query and loads the wide
    rows (with their joins) for one page only.

    Sorting a few thousand (id, due date) tuples from an index is cheap; sorting the same number of
    full rows joined to five tables is not, and the database does the joins before the sort.
    """

    def __init__(
        self,
        ids: QuerySet[Any, Any] | SortedIds,
        load: Callable[[list[Any]], Iterable[Any]],
        *,
        count: Callable[[], int] | None = None,
    ) -> None:
        self.ids = ids  # ordered, `values_list("pk", flat=True)`, or any SortedIds
        self.load = load  # pks -> rows, in any order
        # Without `count`, the total is the id queryset's own COUNT(*).
        self._count = count

    def count(self) -> int:
        if self._count is not None:
            return self._count()
        assert isinstance(self.ids, QuerySet), "LateRows over SortedIds needs a count"
        return self.ids.order_by().count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Any]:
        if not isinstance(index, slice):
            raise TypeError("LateRows only supports slices")
        pks = list(self.ids[index])
        rows = {row.pk: row for row in self.load(pks)}
        return [rows[pk] for pk in pks if pk in rows]


class CountedRows:
    """A queryset for `paginate` whose total comes from elsewhere (a remembered count): the
    paginator slices the queryset for the page and never runs its COUNT(*)."""

    def __init__(self, items: QuerySet[Any, Any], count: Callable[[], int]) -> None:
        self.items = items
        self._count = count

    def count(self) -> int:
        return self._count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Any]:
        if not isinstance(index, slice):
            raise TypeError("CountedRows only supports slices")
        return list(self.items[index])
