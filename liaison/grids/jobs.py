"""The grids files as export jobs built in the task worker (网格岗位台账 and the coverage lists):
at province scope the register holds tens of thousands of rows, too many for a request."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.common.exports import export_filename
from liaison.grids import coverage, exports
from liaison.grids.forms import GridFilterForm
from liaison.grids.selectors import GridFilters
from liaison.jobs.models import ExportJob
from liaison.jobs.registry import Built, JobKind, Progress, job_kind_register

REGISTER: Final = "grids.register"
COVERAGE: Final = "grids.coverage"

# The coverage lists by the `show` parameter: (title, rows, file builder).
COVERAGE_LISTS: Final[dict[str, tuple[str, Callable[..., Any], Callable[..., Any]]]] = {
    "posts": ("缺少代表的岗位", coverage.posts_short_of_deputies, exports.short_posts_xlsx),
    "grids": ("无代表在岗的网格", coverage.grids_without_deputies, exports.empty_grids_xlsx),
    "deputies": ("未上岗的代表", coverage.deputies_without_post, exports.idle_deputies_xlsx),
}


def filters_from_query(query: str) -> GridFilters:
    """The list filters a page's query string asks for (the same reading as the pages')."""
    return GridFilterForm(QueryDict(query)).filters()


def subtitle(filters: GridFilters) -> str:
    place = filters.region.name if filters.region is not None else _("管辖范围内")
    return _("%(place)s · 截至 %(day)s") % {"place": place, "day": timezone.localdate().isoformat()}


def _counted(rows: Iterable[Any], total: int, progress: Progress) -> Iterator[Any]:
    """The rows, reporting the share written every 500 rows."""
    for number, row in enumerate(rows, start=1):
        if number % 500 == 0 and total:
            progress(number * 100 // total)
        yield row


def _build(job: ExportJob, progress: Progress, name: str, rows: Any, build: Any) -> Built:
    filters = filters_from_query(job.params.get("query", ""))
    queryset = rows(job.created_by, filters=filters)
    total = queryset.count()
    content, count = build(
        _counted(queryset.iterator(chunk_size=500), total, progress), subtitle=subtitle(filters)
    )
    day = timezone.localdate()
    return Built(content, export_filename(name, extension="xlsx", date_to=day), count)


def _build_register(job: ExportJob, progress: Progress) -> Built:
    return _build(job, progress, "网格岗位台账", coverage.register_rows, exports.register_xlsx)


def _build_coverage(job: ExportJob, progress: Progress) -> Built:
    name, rows, build = COVERAGE_LISTS[job.params["show"]]
    return _build(job, progress, name, rows, build)


def downloadable(job: ExportJob, user: Any) -> bool:
    """The requester, while the region asked for (or any grids at all) is still in their view."""
    scope = capability_scope(user, Capability.VIEW_GRIDS)
    if scope.is_empty:
        return False
    if job.region_code and scope.regions and not scope.station_paths:
        return scope.covers_region(job.region_code)
    # Station staff: the rows were those of their stations when built; they still hold them.
    return True


def register_kinds() -> None:
    job_kind_register(
        REGISTER, JobKind(_("网格岗位台账"), _build_register, downloadable, back="grids:list")
    )
    job_kind_register(
        COVERAGE, JobKind(_("网格覆盖清单"), _build_coverage, downloadable, back="grids:coverage")
    )
