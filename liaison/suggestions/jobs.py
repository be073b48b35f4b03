"""The session's handling report (Word) and register (xlsx) as export jobs built in the task
worker (decisions 0040 and 0044): the report page posts the session (and category) it shows; the
worker reads the suggestions as the requester, asking again whether the session is still in their
review scope; the jobs app shows, serves, audits and expires the file."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any, Final

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.models import User
from liaison.common.exports import document_docx, export_filename, table_xlsx
from liaison.jobs.models import ExportJob
from liaison.jobs.registry import Built, JobKind, Progress, job_kind_register
from liaison.jobs.services import export_job_request
from liaison.suggestions.exports import register_table, report_document
from liaison.suggestions.models import CongressSession, Status
from liaison.suggestions.stats import handling_table, session_rows, session_summary
from liaison.taxonomy.models import Category

REPORT: Final = "suggestions.report"
REGISTER: Final = "suggestions.register"
# The file by the report page's URL slug (`exports/<file>/new/`): its job kind and its name.
FILES: Final = {
    "report": (REPORT, gettext_lazy("代表建议办理情况报告")),
    "register": (REGISTER, gettext_lazy("代表建议台账")),
}
PROGRESS_EVERY = 500


def suggestion_file_request(
    *, actor: User, file: str, session: CongressSession, category: Category | None = None
) -> ExportJob:
    """Queue the report or the register of a session the actor reviews (the form chose it among
    the actor's sessions; the scope is asked again here and when the file is built)."""
    kind, name = FILES[file]
    if not capability_scope(actor, Capability.REVIEW_SUGGESTIONS).covers_region(
        session.congress_id
    ):
        raise PermissionDenied
    place = f"{session} · {category.name}" if category is not None else str(session)
    return export_job_request(
        actor=actor,
        kind=kind,
        params={"session": session.pk, "category": category.pk if category is not None else None},
        title=f"{name}（{place}）",
        region_code=session.congress_id,
    )


def _session_held(job: ExportJob, user: Any) -> CongressSession | None:
    """The job's session while it is still in the user's review scope; None otherwise."""
    session = (
        CongressSession.objects.select_related("congress")
        .filter(pk=job.params.get("session"))
        .first()
    )
    if session is None:
        return None
    scope = capability_scope(user, Capability.REVIEW_SUGGESTIONS)
    return session if scope.covers_region(session.congress_id) else None


def _counted[T](rows: Iterable[T], total: int, progress: Progress) -> Iterator[T]:
    """The rows, moving the progress from 10 % to 90 % as the writer reads them."""
    for n, row in enumerate(rows, start=1):
        if total and n % PROGRESS_EVERY == 0:
            progress(10 + int(80 * n / total))
        yield row


def _rows(job: ExportJob) -> tuple[CongressSession, Any]:
    session = _session_held(job, job.created_by)
    if session is None:
        raise PermissionDenied("the session is no longer in the requester's review scope")
    category = job.params.get("category")
    return session, session_rows(job.created_by, session, category_id=category)


def _build_register(job: ExportJob, progress: Progress) -> Built:
    session, rows = _rows(job)
    rows = rows.exclude(status__in=(Status.DRAFT, Status.WITHDRAWN))
    table = register_table(session, rows)
    total = rows.count()
    progress(10)
    content, count = table_xlsx(
        dataclasses.replace(table, rows=_counted(table.rows, total, progress))
    )
    return Built(content, export_filename(str(FILES["register"][1]), extension="xlsx"), count)


def _build_report(job: ExportJob, progress: Progress) -> Built:
    session, rows = _rows(job)
    summary = session_summary(rows)
    progress(50)
    content = document_docx(report_document(session, summary, handling_table(rows)))
    name = export_filename(str(FILES["report"][1]), extension="docx")
    return Built(content, name, summary.received)


def downloadable(job: ExportJob, user: Any) -> bool:
    """The requester, while the session's congress (the job's region, written when it was
    asked for) is still in their review scope."""
    scope = capability_scope(user, Capability.REVIEW_SUGGESTIONS)
    return getattr(user, "pk", None) == job.created_by_id and (
        bool(job.region_code) and scope.covers_region(job.region_code)
    )


def register_kinds() -> None:
    back = "suggestions:report"
    job_kind_register(REPORT, JobKind(FILES["report"][1], _build_report, downloadable, back))
    job_kind_register(REGISTER, JobKind(FILES["register"][1], _build_register, downloadable, back))
