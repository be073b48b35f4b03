"""民意台账 as an export job built in the task worker (decision 0044): the request checks and
records the period, the region and the masking choice; the worker reads the cases as the
requester, asking again whether the scope is still theirs; the jobs app shows, serves, audits
and expires the file."""

from __future__ import annotations

import datetime
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.accounts.capabilities import Capability, capability_scope, has_capability, roles_with
from liaison.accounts.models import User
from liaison.accounts.scoping import memberships_of
from liaison.cases.exports import ledger_cases, ledger_title, ledger_xlsx
from liaison.common.exports import export_filename
from liaison.jobs.models import ExportJob
from liaison.jobs.registry import Built, JobKind, Progress, job_kind_register
from liaison.jobs.services import export_job_request
from liaison.regions.models import Region

LEDGER: Final = "cases.ledger"


def ledger_params(
    *, date_from: datetime.date, date_to: datetime.date, region: Region | None, mask_person: bool
) -> dict[str, Any]:
    """What the builder reads back (the region by its code, checked again when it builds)."""
    return {
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "region": region.code if region is not None else "",
        "mask_person": mask_person,
    }


def _job_title(*, scope: str, date_from: datetime.date, date_to: datetime.date, mask: bool) -> str:
    # The masking choice is in the job's title, so the jobs app's audit rows (built, fetched)
    # say whether the file holds full names and phones, as the ledger's own rows did.
    person = _("反映人已脱敏") if mask else _("含完整反映人信息")
    return f"{ledger_title(scope=scope, date_from=date_from, date_to=date_to)}（{person}）"


def ledger_export_request(
    *,
    actor: User,
    date_from: datetime.date,
    date_to: datetime.date,
    region: Region | None = None,
    mask_person: bool = True,
) -> ExportJob:
    """Queue the ledger of a period and a scope. ValidationError (nothing recorded) for a period
    that ends before it starts, a region outside the actor's jurisdiction, or full names and
    phones asked for by someone whose roles may not see them."""
    if date_from > date_to:
        raise ValidationError({"date_to": _("结束日期不能早于开始日期。")}, code="period")
    if region is not None and not capability_scope(actor, Capability.WORK_CASES).covers_region(
        region.code
    ):
        raise ValidationError({"region": _("该区划不在您的辖区。")}, code="out_of_scope")
    # Only the staff who may reveal a person's contact on a case may export it in clear; never
    # an administrator (三权分立), whatever else the form says.
    if not mask_person and not has_capability(actor, Capability.WORK_CASES):
        raise ValidationError(
            {"mask_person": _("您的角色不能导出完整的反映人信息，请勾选“反映人信息脱敏”。")},
            code="unmasked_not_allowed",
        )
    scope = region.name if region is not None else _("全部辖区")
    return export_job_request(
        actor=actor,
        kind=LEDGER,
        params=ledger_params(
            date_from=date_from, date_to=date_to, region=region, mask_person=mask_person
        ),
        title=_job_title(scope=scope, date_from=date_from, date_to=date_to, mask=mask_person),
        region_code=region.code if region is not None else "",
    )


def _scope_held(job: ExportJob, user: Any) -> bool:
    """Whether the ledger's scope is still the user's.

    A ledger of one region needs that region in the user's current jurisdiction. A ledger of
    "all my jurisdiction" holds whatever the user saw when asking: it is refused once the user
    holds no work role any more, or holds one granted after the request (a change of post)."""
    code = str(job.params.get("region") or "")
    if code:
        return capability_scope(user, Capability.WORK_CASES).covers_region(code)
    work = [m for m in memberships_of(user) if m.role in roles_with(Capability.WORK_CASES)]
    return bool(work) and all(m.created_at <= job.created_at for m in work)


def _build(job: ExportJob, progress: Progress) -> Built:
    user = job.created_by
    if not _scope_held(job, user):
        raise PermissionDenied("the ledger's scope is no longer the requester's")
    params = job.params
    date_from = datetime.date.fromisoformat(params["date_from"])
    date_to = datetime.date.fromisoformat(params["date_to"])
    code = str(params.get("region") or "")
    region = Region.objects.get(pk=code) if code else None
    scope = region.name if region is not None else _("全部辖区")
    cases = ledger_cases(user, date_from=date_from, date_to=date_to, region=region)
    content, count = ledger_xlsx(
        cases,
        mask=bool(params.get("mask_person", True)),
        title=ledger_title(scope=scope, date_from=date_from, date_to=date_to),
        progress=progress,
    )
    filename = export_filename("民意台账", extension="xlsx", date_from=date_from, date_to=date_to)
    return Built(content, filename, count)


def downloadable(job: ExportJob, user: Any) -> bool:
    """The requester, while the ledger's scope is still theirs."""
    return getattr(user, "pk", None) == job.created_by_id and _scope_held(job, user)


def register_kinds() -> None:
    job_kind_register(
        LEDGER, JobKind(gettext_lazy("民意台账"), _build, downloadable, back="cases:export")
    )
