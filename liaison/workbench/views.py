from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from liaison.accounts.decorators import staff_required
from liaison.workbench.dashboard import dashboard_for


@staff_required()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/workbench/home.html", {"cards": dashboard_for(request.user)})
