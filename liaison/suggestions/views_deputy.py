"""The deputy's pages (phone and desktop): their suggestions, drafting, autosave."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.accounts.capabilities import Capability, has_capability
from liaison.accounts.decorators import AuthedHttpRequest
from liaison.common.paging import paginate
from liaison.deputies.models import Deputy, Seat
from liaison.suggestions import services
from liaison.suggestions.forms import DraftForm, EditForm
from liaison.suggestions.models import CongressSession, Suggestion
from liaison.suggestions.permissions import deputy_of
from liaison.suggestions.pickers import cases_offered, helped_suggestions
from liaison.suggestions.selectors import deputy_suggestions, suggestion_get_for_user
from liaison.suggestions.views_common import SERVICE_ERRORS, error_text, file_view, see_view
from liaison.suggestions.views_sources import sources_context
from liaison.taxonomy.models import Category


def sessions_for(deputy: Deputy | QuerySet[Deputy]) -> QuerySet[CongressSession]:
    """Sessions now receiving suggestions in a congress where the deputy (or one of the
    deputies) sits."""
    today = timezone.localdate()
    deputies = deputy if isinstance(deputy, QuerySet) else Deputy.objects.filter(pk=deputy.pk)
    seats = Seat.objects.filter(deputy__in=deputies).exclude(ends_on__lt=today)
    congresses = set(seats.values_list("congress_id", "level", "term"))
    ids = [
        s.pk
        for s in CongressSession.objects.filter(opens_on__lte=today, closes_on__gte=today)
        if (s.congress_id, s.level, s.term) in congresses
    ]
    return CongressSession.objects.filter(pk__in=ids).select_related("congress")


def category_of(pk: int | None) -> Category | None:
    """The chosen category (an active node), or None."""
    return Category.objects.filter(pk=pk, is_active=True).first() if pk else None


@see_view
@require_GET
def mine(request: AuthedHttpRequest) -> HttpResponse:
    """The deputy's own suggestions and the ones they co-sign, with where each stands; station
    staff see the ones their stations help draft."""
    deputy = deputy_of(request.user)
    helper = deputy is None and has_capability(request.user, Capability.HELP_SUGGESTIONS)
    rows = helped_suggestions(request.user) if helper else deputy_suggestions(request.user)
    context = paginate(request, rows)
    context.update({"deputy": deputy, "helper": helper})
    return render(request, "staff/suggestions/mine.html", context)


@file_view
@require_http_methods(["GET", "POST"])
def new(request: AuthedHttpRequest) -> HttpResponse:
    deputy = deputy_of(request.user)
    if deputy is None:
        raise PermissionDenied
    cases = cases_offered(request.user)
    initial = {"cases": request.GET.getlist("case")}
    form = DraftForm(
        request.POST or None, sessions=sessions_for(deputy), cases=cases, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                suggestion = services.suggestion_create(
                    actor=request.user,
                    session=data["session"],
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
            messages.success(request, _("草稿已保存"))
            return redirect("suggestions:edit", pk=suggestion.pk)
    return render(request, "staff/suggestions/draft.html", {"form": form, "creating": True})


def _edit_form(request: AuthedHttpRequest, suggestion: Suggestion) -> EditForm:
    initial = {
        "title": suggestion.title,
        "kind": suggestion.kind,
        "problem": suggestion.problem,
        "analysis": suggestion.analysis,
        "proposal": suggestion.proposal,
        "category": suggestion.category_id,
        "version": suggestion.version,
    }
    return EditForm(request.POST or None, initial=initial)


def _save(request: AuthedHttpRequest, suggestion: Suggestion, form: EditForm) -> Suggestion:
    data = form.cleaned_data
    return services.suggestion_update(
        suggestion=suggestion,
        actor=request.user,
        expected_version=data.get("version"),
        title=data["title"],
        problem=data["problem"],
        analysis=data["analysis"],
        proposal=data["proposal"],
        kind=data["kind"],
        category=category_of(data.get("category")),
    )


@see_view
@require_http_methods(["GET", "POST"])
def edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    suggestion = suggestion_get_for_user(request.user, pk)
    form = _edit_form(request, suggestion)
    if request.method == "POST" and form.is_valid():
        try:
            suggestion = _save(request, suggestion, form)
        except SERVICE_ERRORS as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("已保存"))
            return redirect("suggestions:detail", pk=suggestion.pk)
    context = {"form": form, "suggestion": suggestion, "creating": False}
    context.update(sources_context(request, suggestion))
    return render(request, "staff/suggestions/draft.html", context)


@see_view
@require_POST
def autosave(request: AuthedHttpRequest, pk: int) -> JsonResponse:
    """The draft page's script posts the form here every few seconds while someone types."""
    suggestion = suggestion_get_for_user(request.user, pk)
    form = _edit_form(request, suggestion)
    if not form.is_valid():
        return JsonResponse({"ok": False, "error": _("请检查填写内容")}, status=400)
    try:
        suggestion = _save(request, suggestion, form)
    except SERVICE_ERRORS as error:
        status = 409 if not isinstance(error, ValidationError) else 400
        return JsonResponse({"ok": False, "error": error_text(error)}, status=status)
    saved = timezone.localtime().strftime("%H:%M:%S")
    return JsonResponse({"ok": True, "version": suggestion.version, "saved": saved})
