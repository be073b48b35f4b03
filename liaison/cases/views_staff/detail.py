"""The case page: facts, the whole timeline, masked personal data and the forms for this user."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from liaison.accounts.decorators import AuthedHttpRequest, post_stash_pop
from liaison.accounts.models import Role
from liaison.cases import queues, services
from liaison.cases.actions import available, facts_of
from liaison.cases.deadlines import extension_days_available
from liaison.cases.free_text import case_texts_masked, case_texts_original
from liaison.cases.hooks import case_mentions
from liaison.cases.models import Case, EventKind, ExtensionRequest, Status
from liaison.cases.permissions import can_reveal_contact, case_actors
from liaison.cases.selectors import (
    actor_roles_for,
    case_get_for_user,
    merged_into_code,
    merged_into_visible,
    staff_timeline,
)
from liaison.cases.similar import similar_open_cases
from liaison.cases.views_staff.actions import build_forms
from liaison.cases.views_staff.common import SERVICE_ERRORS, case_view, error_text
from liaison.common.masking import mask_name, mask_phone


def available_actions(user: Any, case: Case) -> set[str]:
    """The names of the actions this user may take on this case now: the action table read
    with the user's roles on the case (the services check the same rows)."""
    requests: list[ExtensionRequest] = case.extension_list  # type: ignore[attr-defined]
    facts = facts_of(
        case,
        pending_extension=_pending_extension(case) is not None,
        extension_left=extension_days_available(case, requests) >= 1,
    )
    return available(case_actors(user, case), facts)


def _pending_extension(case: Case) -> ExtensionRequest | None:
    requests: list[ExtensionRequest] = case.extension_list  # type: ignore[attr-defined]
    for request in requests:
        if request.decision == ExtensionRequest.Decision.PENDING:
            return request
    return None


def _has_merge_note(timeline: list[Any]) -> bool:
    return any(
        event.kind == EventKind.NOTE and isinstance(event.data, dict) and "merged" in event.data
        for event in timeline
    )


def _load(user: Any, pk: int) -> Case:
    case = case_get_for_user(user, pk)
    labels = dict(Status.choices)
    roles = {**dict(Role.choices), "constituent": _("群众"), "system": _("系统")}
    timeline = staff_timeline(case)
    for event in timeline:
        event.role_label = roles.get(event.actor_role, event.actor_role)  # type: ignore[attr-defined]
        event.from_label = labels.get(event.from_status, "")  # type: ignore[attr-defined]
        event.to_label = labels.get(event.to_status, "")  # type: ignore[attr-defined]
        # 受理备注, 交办意见, 转交说明, 办结备注: typed by staff for staff, kept in the event's
        # data because the public note is what the constituent reads.
        remark = event.data.get("note") if isinstance(event.data, dict) else None
        event.staff_note = remark if isinstance(remark, str) and remark != event.note else ""  # type: ignore[attr-defined]
    case.timeline = timeline  # type: ignore[attr-defined]
    # Cases are merged into this one only by `case_merge`, which writes a note with "merged" on
    # this case's timeline: without one there is nothing to look up (one query less per page).
    merged, merged_hidden = (
        merged_into_visible(user, case) if _has_merge_note(timeline) else ([], 0)
    )
    case.merged_list = merged  # type: ignore[attr-defined]
    case.merged_hidden = merged_hidden  # type: ignore[attr-defined]
    case.attachment_list = list(case.attachments.order_by("uploaded_at"))  # type: ignore[attr-defined]
    case.co_list = list(case.co_handlings.select_related("unit"))  # type: ignore[attr-defined]
    case.supervision_list = list(case.supervisions.select_related("opened_by"))  # type: ignore[attr-defined]
    case.extension_list = list(  # type: ignore[attr-defined]
        case.extension_requests.select_related("requested_by", "decided_by").order_by(
            "-requested_at"
        )
    )
    return case


def render_case(
    request: HttpRequest,
    case: Case,
    *,
    revealed: dict[str, str] | None = None,
    bound: dict[str, Any] | None = None,
    new_pin: str | None = None,
    restored: dict[str, dict[str, Any]] | None = None,
) -> HttpResponse:
    user = request.user
    offered = available_actions(user, case)
    queues.attach_countdowns([case])
    # None while the county's index is first being built in the background.
    similar = similar_open_cases(case, user=user) if case.is_open else []
    context = {
        "case": case,
        "masked_name": mask_name(case.contact_name or ""),
        "masked_phone": mask_phone(case.contact_phone) if case.contact_phone else "",
        # Personal data written into the text is masked as on the public pages until revealed
        # (the reveal is audited and shows the text as typed).
        "texts": case_texts_original(case) if revealed else case_texts_masked(case),
        "revealed": revealed,
        "can_reveal": can_reveal_contact(user, case) and not case.personal_data_purged_at,
        "forms": build_forms(user, case, offered, bound=bound, restored=restored),
        "pending_extension": _pending_extension(case),
        "roles": actor_roles_for(user, case),
        # Open cases of the same county that look like the same matter (one-click merge).
        "mentions": case_mentions(case.pk),
        "merged_into_code": merged_into_code(case),
        "similar_cases": similar or [],
        "similar_preparing": similar is None,
        "can_merge_similar": "merge" in offered,
        # A PIN just reset by this staff member: on this response only.
        "new_pin": new_pin,
    }
    return render(request, "staff/cases/detail.html", context)


@case_view
@require_GET
def case_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    case = _load(request.user, pk)
    restored = _restore_after_login(request, case)
    response = render_case(request, case, restored=restored)
    if restored:
        response["Cache-Control"] = "no-store"  # the restored text is for this one answer
    return response


def _restore_after_login(request: HttpRequest, case: Case) -> dict[str, dict[str, Any]] | None:
    """The action form typed before the session expired (accounts.decorators keeps it), once."""
    prefix = reverse("cases:detail", args=[case.pk]) + "act/"
    stash = post_stash_pop(request, path_prefix=prefix)
    if stash is None:
        return None
    action = stash["path"][len(prefix) :].strip("/")
    fields = {
        name: values[0] if len(values) == 1 else values
        for name, values in stash["fields"].items()
        if name != "expected_version"  # the form takes the case as it is now
    }
    if action not in available_actions(request.user, case):
        typed = "；".join(v for v in fields.values() if isinstance(v, str) and v.strip())
        messages.warning(
            request,
            _("登录已过期，该件的状态已经变化，不能再进行您提交的操作。您填写的内容：%(t)s")
            % {"t": typed[:1000] or "—"},
        )
        return None
    text = str(_("登录已过期，您填写的内容已恢复，请确认后重新提交"))
    if stash.get("files_dropped"):
        text += str(_("（附件需重新选择）"))
    messages.info(request, text)
    return {action: fields}


@case_view
@require_POST
def case_reveal(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Show the person's name and phone on this response only; the loop audits the view."""
    case = _load(request.user, pk)
    try:
        revealed = services.case_reveal_contact(case=case, actor=request.user)
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
        return redirect("cases:detail", pk=case.pk)
    # Reloaded so the timeline shows this very view of the personal data.
    response = render_case(request, _load(request.user, pk), revealed=revealed)
    response["Cache-Control"] = "no-store"
    return response


def load_case(user: Any, pk: int) -> Case:
    return _load(user, pk)
