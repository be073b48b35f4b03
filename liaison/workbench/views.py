from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.workbench.dashboard import dashboard_for


@staff_required()
def home(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "staff/workbench/home.html", {"cards": dashboard_for(request.user)})
