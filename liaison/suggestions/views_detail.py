"""The suggestion page: what it says, where it stands, and the actions the table offers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from liaison.accounts.decorators import AuthedHttpRequest
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.common.downloads import file_response
from liaison.common.uploads import clean_pdf
from liaison.deputies.models import Deputy
from liaison.suggestions import actions, services
from liaison.suggestions.forms import (
    AllowForm,
    AnswerForm,
    AssignForm,
    ConfirmForm,
    ContactForm,
    EmptyForm,
    InviteForm,
    MergeForm,
    NoteForm,
    PriorityForm,
    RateForm,
    ReasonForm,
    ViewForm,
)
from liaison.suggestions.models import ReturnRequest, Suggestion
from liaison.suggestions.permissions import suggestion_actors
from liaison.suggestions.selectors import similar_suggestions, suggestion_get_for_user
from liaison.suggestions.views_common import SERVICE_ERRORS, error_text, see_view
from liaison.units.models import HandlingUnit
from liaison.units.selectors import units_visible_to

Handler = Callable[[AuthedHttpRequest, Suggestion, dict[str, Any]], object]


@dataclass(frozen=True)
class Action:
    label: Any
    form: Callable[..., forms.Form]
    run: Handler
    multipart: bool = False


def _answer(request: AuthedHttpRequest, s: Suggestion, d: dict[str, Any]) -> object:
    upload = d.get("letter")
    letter = clean_pdf(upload) if upload else None
    return services.suggestion_answer(
        suggestion=s,
        actor=request.user,
        grade=d["grade"],
        answer=d["answer"],
        letter=letter,
        promised_on=d.get("promised_on"),
        reason=d.get("reason", ""),
    )


def _assign(request: AuthedHttpRequest, s: Suggestion, d: dict[str, Any]) -> object:
    return services.suggestion_assign(
        suggestion=s, actor=request.user, lead=d["lead"], co_units=list(d["co_units"])
    )


def _merge(request: AuthedHttpRequest, s: Suggestion, d: dict[str, Any]) -> object:
    into = suggestion_get_for_user(request.user, d["into"])
    return services.suggestion_merge(suggestion=s, actor=request.user, into=into)


def _invite(request: AuthedHttpRequest, s: Suggestion, d: dict[str, Any]) -> object:
    return services.cosigner_invite(suggestion=s, actor=request.user, deputy=d["deputy"])


A = Action
ACTIONS: dict[str, Action] = {
    "submit": A(
        gettext_lazy("提交建议"),
        EmptyForm,
        lambda r, s, d: services.suggestion_submit(suggestion=s, actor=r.user),
    ),
    "withdraw": A(
        gettext_lazy("撤回"),
        EmptyForm,
        lambda r, s, d: services.suggestion_withdraw(suggestion=s, actor=r.user),
    ),
    "edit": A(gettext_lazy("邀请附议代表"), InviteForm, _invite),
    "cosign": A(
        gettext_lazy("附议确认"),
        ConfirmForm,
        lambda r, s, d: services.cosign_answer(suggestion=s, actor=r.user, confirm=d["confirm"]),
    ),
    "accept": A(
        gettext_lazy("审查通过（立案）"),
        EmptyForm,
        lambda r, s, d: services.suggestion_accept(suggestion=s, actor=r.user),
    ),
    "return": A(
        gettext_lazy("退回代表修改"),
        ReasonForm,
        lambda r, s, d: services.suggestion_return(suggestion=s, actor=r.user, reason=d["reason"]),
    ),
    "merge": A(gettext_lazy("并案"), MergeForm, _merge),
    "assign": A(gettext_lazy("交办承办单位"), AssignForm, _assign),
    "return_request": A(
        gettext_lazy("申请退回（交办有误）"),
        ReasonForm,
        lambda r, s, d: services.return_request_create(
            suggestion=s, actor=r.user, reason=d["reason"]
        ),
    ),
    "return_refuse": A(
        gettext_lazy("不同意退回"),
        NoteForm,
        lambda r, s, d: services.return_request_refuse(suggestion=s, actor=r.user, note=d["note"]),
    ),
    "complex": A(
        gettext_lazy("批准为复杂建议（答复期限六个月）"),
        EmptyForm,
        lambda r, s, d: services.suggestion_complex_approve(suggestion=s, actor=r.user),
    ),
    "co_view": A(
        gettext_lazy("提交协办意见"),
        ViewForm,
        lambda r, s, d: services.co_view_send(suggestion=s, actor=r.user, view=d["view"]),
    ),
    "contact": A(
        gettext_lazy("记录与代表沟通"),
        ContactForm,
        lambda r, s, d: services.contact_record(
            suggestion=s, actor=r.user, method=d["method"], on=d["on"]
        ),
    ),
    "answer": A(gettext_lazy("答复"), AnswerForm, _answer, multipart=True),
    "rate": A(
        gettext_lazy("评价答复"),
        RateForm,
        lambda r, s, d: services.suggestion_rate(
            suggestion=s, actor=r.user, rating=d["rating"], comment=d["comment"]
        ),
    ),
    "priority": A(
        gettext_lazy("列为重点督办"),
        PriorityForm,
        lambda r, s, d: services.suggestion_priority_set(
            suggestion=s, actor=r.user, leader=d["leader"], deputies=d["deputies"]
        ),
    ),
    "publish_deputy": A(
        gettext_lazy("代表：公开设置"),
        AllowForm,
        lambda r, s, d: services.suggestion_publication_set(
            suggestion=s, actor=r.user, allow=d["allow"], side="deputy"
        ),
    ),
    "publish_congress": A(
        gettext_lazy("人大：公开设置"),
        AllowForm,
        lambda r, s, d: services.suggestion_publication_set(
            suggestion=s, actor=r.user, allow=d["allow"], side="congress"
        ),
    ),
}


def _form_for(
    request: AuthedHttpRequest, name: str, s: Suggestion, data: Any = None, files: Any = None
) -> forms.Form:
    kwargs: dict[str, Any] = {}
    if name == "assign":
        units = units_visible_to(request.user).filter(is_active=True)
        kwargs["units"] = units.filter(pk__in=_congress_units(s)).order_by("name")
    if name == "edit":
        kwargs["deputies"] = (
            Deputy.objects.filter(
                is_active=True,
                seats__congress_id=s.session.congress_id,
                seats__level=s.session.level,
                seats__term=s.session.term,
            )
            .exclude(pk=s.author_id)
            .distinct()
        )
    form = ACTIONS[name].form(data, files, **kwargs)
    form.prefix = name
    return form


def _congress_units(s: Suggestion) -> Any:
    low, high = s.congress.bounds
    return HandlingUnit.objects.filter(region_id__gte=low, region_id__lte=high).values("pk")


def offered(request: AuthedHttpRequest, s: Suggestion) -> list[str]:
    """The actions the table allows this person now, in the table's order."""
    pending = ReturnRequest.objects.filter(
        suggestion=s, decision=ReturnRequest.Decision.PENDING
    ).exists()
    actors = suggestion_actors(request.user, s)
    allowed = actions.TABLE.available(actors, actions.facts_of(s, pending_return=pending))
    return [name for name in ACTIONS if name in allowed]


def render_detail(
    request: AuthedHttpRequest, s: Suggestion, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    names = offered(request, s)
    bound = bound or {}
    action_forms = [
        {
            "name": n,
            "label": ACTIONS[n].label,
            "multipart": ACTIONS[n].multipart,
            "form": bound.get(n) or _form_for(request, n, s),
        }
        for n in names
    ]
    context = {
        "s": s,
        "actions": action_forms,
        "sources": list(s.sources.all()),
        "cosigners": list(s.cosigners.select_related("deputy")),
        "units": list(s.units.select_related("unit").order_by("-is_current", "-is_lead")),
        "returns": list(s.returns.select_related("unit").order_by("-requested_at")),
        "events": list(s.events.select_related("actor")),
        "similar": similar_suggestions(s, user=request.user) if "merge" in names else [],
    }
    return render(request, "staff/suggestions/detail.html", context)


@see_view
@require_GET
def detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, suggestion_get_for_user(request.user, pk))


@see_view
@require_POST
def act(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("no such action")
    s = suggestion_get_for_user(request.user, pk)
    form = _form_for(request, action, s, request.POST, request.FILES)
    if form.is_valid():
        try:
            ACTIONS[action].run(request, s, form.cleaned_data)
        except SERVICE_ERRORS as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("已完成：%(a)s") % {"a": ACTIONS[action].label})
            return redirect("suggestions:detail", pk=s.pk)
    # The reasons also go in the message: a refused action may not be on the page any more.
    reasons = "；".join(str(e) for e in form.non_field_errors())
    label = ACTIONS[action].label
    messages.error(
        request, _("未能完成：%(a)s") % {"a": label} + (f"（{reasons}）" if reasons else "")
    )
    return render_detail(request, s, {action: form})


@see_view
@require_GET
def letter(request: AuthedHttpRequest, pk: int) -> FileResponse:
    """The official answer letter, to whoever may see the suggestion (audited)."""
    s = suggestion_get_for_user(request.user, pk)
    if not s.letter:
        raise Http404("no letter")
    audit_record(actor=request.user, action=AuditAction.EXPORT, obj=s, note=_("下载答复函"))
    return file_response(
        s.letter, content_type="application/pdf", filename=f"答复函_{s.number or s.pk}.pdf"
    )
