"""The quarterly bulletin's files (积分公示, xlsx and docx) as export jobs built in the task
worker: heavy work stays out of the request (decision 0044), even for a county's few hundred
deputies."""

from __future__ import annotations

from typing import Any, Final

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from liaison.common.exports import document_docx, export_filename, table_xlsx
from liaison.jobs.models import ExportJob
from liaison.jobs.registry import Built, JobKind, Progress, job_kind_register
from liaison.points import exports, selectors
from liaison.points.scoping import RankScope, bulletin_scope_held

# One kind for both files: the format is a parameter, as the coverage list is for grids.
BULLETIN: Final = "points.bulletin"
FORMATS: Final = ("xlsx", "docx")


def bulletin_params(*, scope: RankScope, year: int, quarter: int, fmt: str) -> dict[str, Any]:
    """What the builder reads back: the scope by its form value, so that it is checked again."""
    return {"scope": scope.value, "year": year, "quarter": quarter, "format": fmt}


def scope_region_code(scope: RankScope) -> str:
    """The region the audit rows name: the region's, or the station's region."""
    if scope.region is not None:
        return scope.region.code
    return scope.station.region_id if scope.station is not None else ""


def _build(job: ExportJob, progress: Progress) -> Built:
    params = job.params
    # The rows as the requester sees them now: a scope taken from them since is refused.
    scope = bulletin_scope_held(job.created_by, params["scope"])
    if scope is None:
        raise PermissionDenied("the bulletin's scope is no longer the requester's")
    year, quarter, fmt = int(params["year"]), int(params["quarter"]), params["format"]
    if fmt not in FORMATS:
        raise ValueError(f"unknown bulletin format {fmt!r}")
    rows = selectors.bulletin_rows(scope=scope, year=year, quarter=quarter)
    progress(50)
    title = exports.bulletin_title(scope_label=scope.label, year=year, quarter=quarter)
    if fmt == "xlsx":
        content, _count = table_xlsx(exports.bulletin_table(rows, title=title))
    else:
        content = document_docx(exports.bulletin_document(rows, title=title))
    return Built(content, export_filename(title, extension=fmt), len(rows))


def downloadable(job: ExportJob, user: Any) -> bool:
    """The requester, while the bulletin's scope is still theirs."""
    return user.pk == job.created_by_id and (
        bulletin_scope_held(user, str(job.params.get("scope", ""))) is not None
    )


def register_kinds() -> None:
    job_kind_register(
        BULLETIN, JobKind(_("积分公示"), _build, downloadable, back="points:bulletin")
    )
