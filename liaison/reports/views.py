"""Staff pages of the monthly report: list, request, report page, downloads."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from liaison.accounts.capabilities import Capability
from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.common.downloads import file_response
from liaison.common.exports import export_filename
from liaison.common.paging import paginate
from liaison.common.uploads import CONTENT_TYPES
from liaison.reports import services
from liaison.reports.charts import CHARTS, svg_data_uri
from liaison.reports.forms import ReportRequestForm
from liaison.reports.models import ReportStatus
from liaison.reports.selectors import report_get_for_user, reports_visible_to

report_view = staff_required(Capability.ANALYSE_CASES)
PAGE_SIZE = 20


@report_view
@require_http_methods(["GET", "POST"])
def report_list(request: AuthedHttpRequest) -> HttpResponse:
    form = ReportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        report = services.report_request(
            actor=request.user,
            month=data["month"],
            region=data.get("region"),
            station=data.get("station"),
        )
        messages.success(request, _("已提交生成，完成后可在报告页查看和下载。"))
        return redirect("reports:detail", pk=report.pk)
    context = {
        "form": form,
        **paginate(request, reports_visible_to(request.user), per_page=PAGE_SIZE),
    }
    return render(request, "staff/reports/list.html", context)


@report_view
@require_GET
def report_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    report = report_get_for_user(request.user, pk)
    data = report.data or {}
    charts = data.get("charts", {})
    context = {
        "report": report,
        "d": data,
        # As images (data: URIs), not inline SVG: matplotlib's SVG carries <style> and style
        # attributes, which the page's CSP refuses; inside an image they are the image's own.
        "charts": [(title, svg_data_uri(charts[key])) for key, title in CHARTS if key in charts],
        "dimensions": [
            (_("按渠道"), data.get("channel", [])),
            (_("按类型"), data.get("kind", [])),
            (_("按分类"), data.get("category", [])),
            (_("按区域"), data.get("region", [])),
        ],
    }
    return render(request, "staff/reports/detail.html", context)


@report_view
@require_GET
def report_download(request: AuthedHttpRequest, pk: int, fmt: str) -> FileResponse:
    """A report file to staff whose scope covers the report; audited (MEDIA is not served)."""
    report = report_get_for_user(request.user, pk)
    field = {"docx": report.docx, "pdf": report.pdf}.get(fmt)
    if field is None or report.status != ReportStatus.DONE or not field:
        raise Http404
    name = export_filename(f"{report.scope_name}{report.month_label}研判报告", extension=fmt)
    response = file_response(field, content_type=CONTENT_TYPES[fmt], filename=name)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=report,
        region_code=report.region_id or (report.station.region_id if report.station else ""),
        note=f"下载月度研判报告（{fmt}）",
    )
    return response
