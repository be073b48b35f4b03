"""The report page's buttons for its Word document and its register: a POST queues an export
job (`jobs.py`) and opens the job's page, where the file is fetched when ready."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.accounts.decorators import AuthedHttpRequest
from liaison.suggestions import jobs
from liaison.suggestions.forms import FileForm
from liaison.suggestions.stats import sessions_visible_to
from liaison.suggestions.views_common import review_view
from liaison.taxonomy.models import Category


@review_view
@require_POST
def export_new(request: AuthedHttpRequest, kind: str) -> HttpResponse:
    """Queue the file of the session (and category) chosen on the page; bad input goes back to
    the report page with a Chinese message and nothing queued."""
    sessions = sessions_visible_to(request.user)
    if not sessions.exists():
        raise Http404("no session in scope")  # as the report page itself
    form = FileForm(request.POST, sessions=sessions)
    if kind not in jobs.FILES:
        messages.error(request, _("请选择要生成的文件"))
        return redirect("suggestions:report")
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(str(error) for error in errors))
        return redirect("suggestions:report")
    session, category_id = form.cleaned_data["session"], form.cleaned_data["category"]
    category = Category.objects.filter(pk=category_id).first() if category_id else None
    job = jobs.suggestion_file_request(
        actor=request.user, file=kind, session=session, category=category
    )
    return redirect("jobs:detail", pk=job.pk)
