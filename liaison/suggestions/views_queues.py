"""The staff's and the units' queues: by status and deadline, paginated, a fixed query count."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from liaison.accounts.decorators import AuthedHttpRequest
from liaison.common.paging import paginate
from liaison.suggestions.forms import QueueForm
from liaison.suggestions.selectors import QueueFilters, staff_queue, unit_queue
from liaison.suggestions.stats import sessions_visible_to
from liaison.suggestions.views_common import review_view, unit_view


def _filters(form: QueueForm) -> QueueFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return QueueFilters(
        status=data.get("status", ""),
        due_state=data.get("due_state", ""),
        priority=bool(data.get("priority")),
        category_id=data.get("category"),
        q=data.get("q", ""),
    )


@review_view
@require_GET
def queue(request: AuthedHttpRequest) -> HttpResponse:
    form = QueueForm(request.GET or None)
    context = paginate(request, staff_queue(request.user, _filters(form)))
    # The handling table, the report and the register are a session's: staff whose scope holds
    # no congress session (a street's 人大工委) are not offered them (those pages answer 404).
    has_sessions = sessions_visible_to(request.user).exists()
    context.update({"form": form, "heading": "staff", "has_sessions": has_sessions})
    return render(request, "staff/suggestions/queue.html", context)


@unit_view
@require_GET
def units(request: AuthedHttpRequest) -> HttpResponse:
    form = QueueForm(request.GET or None)
    context = paginate(request, unit_queue(request.user, _filters(form)))
    context.update({"form": form, "heading": "unit"})
    return render(request, "staff/suggestions/queue.html", context)
