"""Public pages: a published report, its photos, and the rating page its QR code opens."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from liaison.common import ratelimit
from liaison.common.downloads import file_response
from liaison.dutyreports import public
from liaison.dutyreports.forms import RatingForm
from liaison.dutyreports.models import DutyReportPhoto
from liaison.dutyreports.services import duty_report_rate
from liaison.stations.forms import apply_service_errors

# A phone may rate for a few people of a family, never try codes by the hundred.
RATE = ratelimit.Limit("duty_report_rate", 10, 600)


@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = public.report_public_get(pk)
    context = {
        "report": report,
        "photos": list(report.photos.all()),
        "results": public.results_public(report),
    }
    return render(request, "h5/dutyreports/detail.html", context)


@require_GET
def report_photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """A photo of a published report (the public page shows it; nothing else is served)."""
    report = public.report_public_get(pk)
    photo = get_object_or_404(DutyReportPhoto, pk=photo_pk, report=report)
    return file_response(
        photo.file,
        content_type=photo.content_type,
        filename=f"dutyreport-{report.pk}-{photo.pk}.{photo.content_type.split('/')[-1]}",
        inline=True,
        cache="public, max-age=3600",
    )


@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str) -> HttpResponse:
    report = public.report_for_rating(token)
    form = RatingForm(request.POST or None)
    done = False
    refused: ratelimit.Verdict | None = None
    if request.method == "POST":
        verdict = ratelimit.hit(request, RATE)
        if not verdict.allowed:
            form.is_valid()
            form.add_error(None, verdict.message)
            refused = verdict
        elif form.is_valid():
            try:
                duty_report_rate(report=report, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                done = True
    context = {
        "report": report,
        "form": form,
        "done": done,
        "open": report.rating_open(timezone.now()),
    }
    response = render(
        request, "h5/dutyreports/rate.html", context, status=429 if refused is not None else 200
    )
    if refused is not None:
        for header, value in ratelimit.too_many_headers(refused).items():
            response[header] = value
    return response
