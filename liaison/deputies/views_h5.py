"""The public 亮身份 page a constituent opens by scanning a deputy's QR code."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from liaison.deputies.selectors import deputy_public_get


@require_GET
def deputy_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        deputy = deputy_public_get(code.upper())
    except Http404:
        return render(request, "h5/deputies/not_found.html", {"code": code}, status=404)
    return render(request, "h5/deputies/detail.html", {"deputy": deputy})
