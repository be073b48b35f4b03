"""The handling table per unit and the session's handling report (the page); its Word document
and the register are built in the worker (`views_exports.py`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from liaison.accounts.decorators import AuthedHttpRequest
from liaison.suggestions.models import CongressSession, Suggestion
from liaison.suggestions.stats import (
    handling_table,
    session_rows,
    session_summary,
    sessions_visible_to,
)
from liaison.suggestions.views_common import review_view
from liaison.taxonomy.categories import category_choices
from liaison.taxonomy.models import Category


class SessionForm(forms.Form):
    # No blank choice: the pages always show a session, the latest in scope unless one is chosen.
    session = forms.ModelChoiceField(
        label=gettext_lazy("会次"),
        queryset=CongressSession.objects.none(),
        required=False,
        empty_label=None,
    )
    category = forms.TypedChoiceField(
        label=gettext_lazy("分类"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, sessions: QuerySet[CongressSession], **kw: Any) -> None:
        super().__init__(*args, **kw)
        field: Any = self.fields["session"]
        field.queryset = sessions
        category: Any = self.fields["category"]
        category.choices = [("", gettext_lazy("全部")), *category_choices()]


def _session(
    request: AuthedHttpRequest, data: QueryDict | None = None
) -> tuple[SessionForm, CongressSession, Category | None]:
    sessions = sessions_visible_to(request.user)
    data = request.GET if data is None else data
    form = SessionForm(data or None, sessions=sessions)
    cleaned = form.cleaned_data if form.is_valid() else {}
    chosen = cleaned.get("session") or sessions.first()
    if chosen is None:
        raise Http404("no session in scope")
    if not form.is_bound:
        form.fields["session"].initial = chosen.pk  # the select shows the session the page shows
    category_id = cleaned.get("category")
    category = Category.objects.filter(pk=category_id).first() if category_id else None
    return form, chosen, category


def chosen_filters(
    request: AuthedHttpRequest, data: QueryDict
) -> tuple[CongressSession, Category | None]:
    """The session and category a form posted (the session defaults to the latest in scope)."""
    _form, session, category = _session(request, data)
    return session, category


def _rows(
    request: AuthedHttpRequest, session: CongressSession, category: Category | None
) -> QuerySet[Suggestion]:
    return session_rows(request.user, session, category_id=category.pk if category else None)


@review_view
@require_GET
def table(request: AuthedHttpRequest) -> HttpResponse:
    form, session, category = _session(request)
    units = handling_table(_rows(request, session, category))
    context = {"form": form, "session": session, "category": category, "units": units}
    return render(request, "staff/suggestions/table.html", context)


@review_view
@require_GET
def report(request: AuthedHttpRequest) -> HttpResponse:
    form, session, category = _session(request)
    rows = _rows(request, session, category)
    context = {
        "form": form,
        "session": session,
        "category": category,
        "summary": session_summary(rows),
        "units": handling_table(rows),
        "export_kinds": [
            ("report", _("生成 Word 文档")),
            ("register", _("生成建议台账（Excel）")),
        ],
    }
    return render(request, "staff/suggestions/report.html", context)
