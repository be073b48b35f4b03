"""The sources panel of the draft page: what is linked (each with a remove button) and the
pickers that add a case, a hot topic, a reception record or a verified activity."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.accounts.decorators import AuthedHttpRequest
from liaison.cases.models import Case
from liaison.reports.models import MonthlyReport
from liaison.suggestions import actions, services
from liaison.suggestions.forms import SourceForm
from liaison.suggestions.models import SOURCE_FIELDS, SourceKind, Suggestion, SuggestionSource
from liaison.suggestions.permissions import suggestion_actors
from liaison.suggestions.pickers import cases_offered, hot_topics_offered, linked_offered
from liaison.suggestions.selectors import suggestion_get_for_user
from liaison.suggestions.views_common import SERVICE_ERRORS, error_text, see_view


def sources_context(request: AuthedHttpRequest, suggestion: Suggestion) -> dict[str, Any]:
    """The linked sources and, when the user may still edit, the pickers' options."""
    editable = actions.TABLE.may(
        "edit", suggestion_actors(request.user, suggestion), actions.facts_of(suggestion)
    )
    context: dict[str, Any] = {
        "sources": list(suggestion.sources.all()),
        "sources_editable": editable,
    }
    if editable:
        user = request.user
        linked = linked_offered(user)
        cases = [(c.pk, f"{c.tracking_code} {c.title}") for c in cases_offered(user)]
        context["pickers"] = [
            ("case", _("添加群众意见"), cases, _("没有可引用的群众意见")),
            ("hot_topic", _("添加月度研判热点"), hot_topics_offered(user), _("没有可引用的热点")),
            (
                "reception",
                _("添加接待记录"),
                linked[SourceKind.RECEPTION],
                _("没有可引用的接待记录"),
            ),
            (
                "activity",
                _("添加履职活动（已核实）"),
                linked[SourceKind.ACTIVITY],
                _("没有可引用的已核实履职活动"),
            ),
        ]
    return context


def _model_row(kind: str, pk: int) -> Any:
    # The sibling app's model, reached through the foreign key (no import across the layer).
    field = SuggestionSource._meta.get_field(SOURCE_FIELDS[kind])
    model: Any = field.related_model
    return model.objects.filter(pk=pk).first()


def _add(request: AuthedHttpRequest, suggestion: Suggestion, data: dict[str, Any]) -> None:
    actor = request.user
    if data.get("case"):
        case = Case.objects.filter(pk=data["case"]).first()
        if case is None:
            raise ValidationError(_("所选来源不存在"))
        services.source_add_case(suggestion=suggestion, actor=actor, case=case)
    elif data.get("hot_topic"):
        report_id, rank = (int(p) for p in data["hot_topic"].split(":"))
        report = MonthlyReport.objects.filter(pk=report_id).first()
        if report is None:
            raise ValidationError(_("所选来源不存在"))
        services.source_add_hot_topic(suggestion=suggestion, actor=actor, report=report, rank=rank)
    elif data.get("reception") or data.get("activity"):
        kind = SourceKind.RECEPTION if data.get("reception") else SourceKind.ACTIVITY
        row = _model_row(kind, data[kind])
        if row is None:
            raise ValidationError(_("所选来源不存在"))
        if kind == SourceKind.RECEPTION:
            services.source_add_reception(suggestion=suggestion, actor=actor, reception=row)
        else:
            services.source_add_activity(suggestion=suggestion, actor=actor, activity=row)
    else:
        raise ValueError("nothing chosen")


@see_view
@require_POST
def source_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    suggestion = suggestion_get_for_user(request.user, pk)
    form = SourceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要添加的来源"))
        return redirect("suggestions:edit", pk=suggestion.pk)
    try:
        _add(request, suggestion, form.cleaned_data)
    except ValueError:
        messages.error(request, _("请选择要添加的来源"))
    except SERVICE_ERRORS as error:
        messages.error(request, _("未能添加来源：%(e)s") % {"e": error_text(error)})
    else:
        messages.success(request, _("已添加来源"))
    return redirect("suggestions:edit", pk=suggestion.pk)


@see_view
@require_POST
def source_remove(request: AuthedHttpRequest, pk: int, source_id: int) -> HttpResponse:
    suggestion = suggestion_get_for_user(request.user, pk)
    try:
        services.source_remove(suggestion=suggestion, actor=request.user, source_id=source_id)
    except SERVICE_ERRORS as error:
        messages.error(request, _("未能删除来源：%(e)s") % {"e": error_text(error)})
    else:
        messages.success(request, _("已删除来源"))
    return redirect("suggestions:edit", pk=suggestion.pk)
