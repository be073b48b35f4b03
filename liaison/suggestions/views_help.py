"""Station staff start a draft for a deputy of their station; the deputy finishes and submits."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from liaison.accounts.capabilities import Capability
from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.deputies.models import Deputy
from liaison.suggestions import services
from liaison.suggestions.forms import HelpDraftForm
from liaison.suggestions.pickers import cases_offered, helper_stations
from liaison.suggestions.views_common import SERVICE_ERRORS, error_text
from liaison.suggestions.views_deputy import category_of, sessions_for

help_view = staff_required(Capability.HELP_SUGGESTIONS)


@help_view
@require_http_methods(["GET", "POST"])
def help_new(request: AuthedHttpRequest) -> HttpResponse:
    """起草 for a deputy: the station and deputy, the congress session, the text, cases."""
    stations = helper_stations(request.user)
    if not stations.exists():
        raise PermissionDenied
    today = timezone.localdate()
    deputies = (
        Deputy.objects.filter(assignments__station__in=stations, is_active=True)
        .exclude(assignments__ends_on__lt=today)
        .distinct()
        .order_by("name")
    )
    form = HelpDraftForm(
        request.POST or None,
        stations=stations.order_by("path"),
        deputies=deputies,
        sessions=sessions_for(deputies),
        cases=cases_offered(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                suggestion = services.suggestion_create(
                    actor=request.user,
                    session=data["session"],
                    author=data["author"],
                    station=data["station"],
                    title=data["title"],
                    problem=data["problem"],
                    analysis=data["analysis"],
                    proposal=data["proposal"],
                    kind=data["kind"],
                    category=category_of(data.get("category")),
                )
                for case in data.get("cases") or []:
                    services.source_add_case(suggestion=suggestion, actor=request.user, case=case)
        except SERVICE_ERRORS as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("草稿已保存，请代表确认后提交"))
            return redirect("suggestions:edit", pk=suggestion.pk)
    context = {"form": form, "creating": True, "helping": True}
    return render(request, "staff/suggestions/draft.html", context)
