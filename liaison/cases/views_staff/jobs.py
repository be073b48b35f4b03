"""Bulk import, the ledger's form (built as an export job, `cases/jobs.py`) and KPI pages."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from liaison.accounts.decorators import AuthedHttpRequest
from liaison.cases import importing, kpis
from liaison.cases.forms_staff import ExportForm, ImportForm, KpiForm
from liaison.cases.jobs import LEDGER, ledger_export_request
from liaison.cases.models import CaseImport
from liaison.cases.models import JobStatus as ImportStatus
from liaison.cases.views_staff.common import triage_view, work_view
from liaison.common.exports import export_filename, export_response
from liaison.jobs.models import ExportJob, JobStatus

MAX_UPLOAD = importing.MAX_BYTES


@triage_view
@require_http_methods(["GET", "POST"])
def case_import(request: AuthedHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", _("文件过大（上限 20 MB），请分批导入。"))
        else:
            job = importing.import_start(actor=request.user, name=upload.name, data=upload.read())
            return redirect("cases:import_result", pk=job.pk)
    recent = CaseImport.objects.filter(created_by=request.user.pk)[:10]
    context = {"form": form, "columns": importing.COLUMNS, "recent": recent,
               "background_rows": importing.BACKGROUND_ROWS}  # fmt: skip
    return render(request, "staff/cases/import.html", context)


@triage_view
@require_GET
def case_import_result(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(CaseImport, pk=pk, created_by=request.user)
    report = job.report or []
    context = {
        "job": job,
        "errors": [p for p in report if p.get("level") == "error"],
        "skipped": [p for p in report if p.get("level") == "skipped"],
        "waiting": job.status in (ImportStatus.PENDING, ImportStatus.RUNNING),
    }
    return render(request, "staff/cases/import_result.html", context)


@triage_view
@require_GET
def case_import_template(request: AuthedHttpRequest, fmt: str) -> HttpResponse:
    builders: dict[str, Callable[[], bytes | str]] = {
        "csv": importing.template_csv,
        "xlsx": importing.template_xlsx,
    }
    if fmt not in builders:
        raise Http404
    # A Chinese file name (RFC 6266 filename*), so the download says what it is.
    filename = export_filename(importing.TEMPLATE_NAME, extension=fmt)
    return export_response(builders[fmt](), filename=filename)


@work_view
@require_http_methods(["GET", "POST"])
def case_export(request: AuthedHttpRequest) -> HttpResponse:
    """The ledger's form (GET) and its request (POST: queued for the worker, then the job's
    page); the requester's recent ledgers below, an expired one offered again as it was."""
    today = timezone.localdate()
    # The usual ledger is this month's; the dates are there to change.
    initial = {"mask_person": True, "date_from": today.replace(day=1), "date_to": today}
    # A POST is always bound: an empty one is answered with the fields' errors, never the form.
    form = ExportForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = ledger_export_request(
                actor=request.user,
                date_from=data["date_from"],
                date_to=data["date_to"],
                region=data.get("region"),
                mask_person=data.get("mask_person", False),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("jobs:detail", pk=job.pk)
    mine = ExportJob.objects.filter(created_by=request.user.pk, kind=LEDGER)
    context = {
        "form": form,
        "jobs": [(job, job.status == JobStatus.DONE and not job.file) for job in mine[:20]],
        "retention_hours": settings.EXPORT_RETENTION_HOURS,
    }
    return render(request, "staff/cases/export.html", context, status=400 if form.errors else 200)


@work_view
@require_GET
def case_kpis(request: AuthedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    regions = kpis.kpi_region_choices(request.user)
    start = today.replace(month=1, day=1)
    # One form: the defaults are its initial values, which a bound form ignores.
    form = KpiForm(
        request.GET or None, initial={"date_from": start, "date_to": today}, regions=regions
    )
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    date_from = data.get("date_from") or start
    date_to = data.get("date_to") or today
    if form.is_bound and not form.errors and date_from > date_to:
        # One end given, on the wrong side of the other end's default (today, 1 January).
        form.add_error(None, _("结束日期不能早于开始日期。"))
    # Bad input computes nothing: numbers beside an error would look like an answer.
    result = (
        None
        if form.errors
        else kpis.kpis_for(
            request.user, date_from=date_from, date_to=date_to, region=data.get("region")
        )
    )
    return render(
        request,
        "staff/cases/kpis.html",
        {
            "form": form,
            "k": result,
            "date_from": date_from,
            "date_to": date_to,
            "region": data.get("region"),
        },
    )
