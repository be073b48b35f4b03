"""The handling table per unit, the session's handling report (page and Word), the register."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.decorators import AuthedHttpRequest
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.common.exports import document_docx, export_filename, export_response, table_xlsx
from liaison.suggestions.exports import register_table, report_document
from liaison.suggestions.models import CongressSession, Suggestion
from liaison.suggestions.stats import handling_table, session_summary, sessions_visible_to
from liaison.suggestions.views_common import review_view


class SessionForm(forms.Form):
    session = forms.ModelChoiceField(
        label=gettext_lazy("会次"), queryset=CongressSession.objects.none(), required=False
    )

    def __init__(self, *args: Any, sessions: QuerySet[CongressSession], **kw: Any) -> None:
        super().__init__(*args, **kw)
        field: Any = self.fields["session"]
        field.queryset = sessions


def _session(request: AuthedHttpRequest) -> tuple[SessionForm, CongressSession]:
    sessions = sessions_visible_to(request.user)
    form = SessionForm(request.GET or None, sessions=sessions)
    chosen = form.cleaned_data.get("session") if form.is_valid() else None
    chosen = chosen or sessions.first()
    if chosen is None:
        raise Http404("no session in scope")
    return form, chosen


def _rows(request: AuthedHttpRequest, session: CongressSession) -> QuerySet[Suggestion]:
    scope = capability_scope(request.user, Capability.REVIEW_SUGGESTIONS)
    return Suggestion.objects.filter(scope.q(region_field="congress_id"), session=session)


@review_view
@require_GET
def table(request: AuthedHttpRequest) -> HttpResponse:
    form, session = _session(request)
    context = {"form": form, "session": session, "units": handling_table(_rows(request, session))}
    return render(request, "staff/suggestions/table.html", context)


@review_view
@require_GET
def report(request: AuthedHttpRequest) -> HttpResponse:
    form, session = _session(request)
    rows = _rows(request, session)
    context = {
        "form": form,
        "session": session,
        "summary": session_summary(rows),
        "units": handling_table(rows),
    }
    return render(request, "staff/suggestions/report.html", context)


@review_view
@require_GET
def report_docx(request: AuthedHttpRequest) -> HttpResponse:
    _form, session = _session(request)
    rows = _rows(request, session)
    document = report_document(session, session_summary(rows), handling_table(rows))
    content = document_docx(document)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=session,
        note=_("导出代表建议办理情况报告"),
    )
    return export_response(
        content, filename=export_filename("代表建议办理情况报告", extension="docx")
    )


@review_view
@require_GET
def register(request: AuthedHttpRequest) -> HttpResponse:
    _form, session = _session(request)
    rows = _rows(request, session).exclude(status__in=("draft", "withdrawn"))
    content, count = table_xlsx(register_table(session, rows))
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=session,
        after={"rows": count},
        note=_("导出代表建议台账"),
    )
    return export_response(content, filename=export_filename("代表建议台账", extension="xlsx"))
