"""The action forms of the case page and the one POST endpoint that runs them.

Each action names its form and the loop service it calls; the view checks scope (404 outside),
passes `expected_version`, and turns every refusal into a Chinese message and a redirect.
An action whose result must be seen once and never again (a new PIN) returns `ShownOnce`: the
page is rendered in the POST's answer, uncached, instead of a redirect. An action with more
to tell than its success message (the duplicates an un-merge took back) returns `Told`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.decorators import staff_required
from liaison.cases import forms_staff as f
from liaison.cases import services
from liaison.cases.models import Case, Status
from liaison.cases.permissions import co_units_of
from liaison.cases.selectors import cases_visible_to
from liaison.cases.services import CaseConflict
from liaison.cases.services.pins import case_pin_reset
from liaison.cases.views_staff.common import (
    SERVICE_ERRORS,
    categories_for,
    error_text,
)
from liaison.deputies.models import Deputy
from liaison.deputies.selectors import deputies_of_county, deputies_visible_to
from liaison.jurisdiction.selectors import setting_value
from liaison.regions.models import Level, Region, ancestor_codes, code_bounds
from liaison.units.models import HandlingUnit
from liaison.units.selectors import suggest_unit, units_for_assignment

FormMaker = Callable[[Any, Case, Any, Any], forms.Form]
Runner = Callable[[Any, Case, dict[str, Any]], object]


@dataclass(frozen=True)
class Action:
    label: str | Promise
    make: FormMaker
    run: Runner
    done: str | Promise  # the success message


@dataclass(frozen=True)
class ShownOnce:
    """A secret for the staff member's eyes, on this one response (never in a message/cookie)."""

    pin: str


@dataclass(frozen=True)
class Told:
    """More for the staff member than the action's success message (appended to it)."""

    text: str


def _pin_reset(user: Any, case: Case, data: dict[str, Any]) -> ShownOnce:
    return ShownOnce(pin=case_pin_reset(case=case, actor=user))


def _versioned(cls: type[forms.Form]) -> FormMaker:
    def make(user: Any, case: Case, data: Any, files: Any) -> forms.Form:
        return cls(data, files, initial={"expected_version": case.version}, prefix=None)

    return make


def _assignable_deputies(user: Any, region_code: str) -> QuerySet[Deputy]:
    """Active deputies of the case's county the user may see: at province scope every visible
    deputy was 50,000 options on this page. Validation reads the same queryset."""
    county = deputies_of_county(region_code)
    low, high = code_bounds(region_code, Level.COUNTY)
    scope = capability_scope(user, Capability.VIEW_DEPUTIES)
    if not any(r.bounds[0] <= low and high <= r.bounds[1] for r in scope.regions):
        # A station's staff: only the county's deputies they may see. (Whoever holds the whole
        # county sees every deputy reached from it: the rule is the same three ways, and
        # building the scope's half of this query cost more than reading the options.)
        county = deputies_visible_to(user).filter(pk__in=county.values("pk"))
    return county.filter(is_active=True).order_by("name")


def _assign_form(user: Any, case: Case, data: Any, files: Any) -> forms.Form:
    units = units_for_assignment(region=case.region_id)
    suggested = suggest_unit(region=case.region_id, category=case.category)
    initial_unit = case.unit_id or (suggested.pk if suggested else None)
    form = f.AssignForm(
        data,
        units=units,
        deputies=_assignable_deputies(user, case.region_id),
        initial={"expected_version": case.version, "unit": initial_unit},
    )
    form.suggested = suggested  # type: ignore[attr-defined]
    return form


def _forward_form(user: Any, case: Case, data: Any, files: Any) -> forms.Form:
    above = [c for c in ancestor_codes(case.region_id) if c != case.region_id]
    regions = Region.objects.filter(code__in=above).exclude(level="village").order_by("-code")
    return f.ForwardForm(data, regions=regions, initial={"expected_version": case.version})


def _category_form(user: Any, case: Case, data: Any, files: Any) -> forms.Form:
    return f.CategoryForm(
        data, categories=categories_for(case.region_id), initial={"category": case.category_id}
    )


def _decide_form(user: Any, case: Case, data: Any, files: Any) -> forms.Form:
    form = f.ExtensionDecideForm(data, files)
    if case.status != Status.ASSIGNED:
        # A request left pending when the case moved on: only refusing it still makes sense
        # (extension_decide approves only while the case is being handled).
        field = form.fields["approve"]
        assert isinstance(field, forms.ChoiceField)
        # django-stubs type the getter like the setter (any source of choices); Django returns the
        # normalized list of pairs.
        pairs = cast(list[tuple[str, str]], field.choices)
        field.choices = [c for c in pairs if c[0] == "0"]
    return form


def _rate_form(user: Any, case: Case, data: Any, files: Any) -> forms.Form:
    scale = str(setting_value(key="rating_scale", region=case.region_id))
    return f.RateForm(data, files, initial={"expected_version": case.version}, scale=scale)


def _plain(cls: type[forms.Form]) -> FormMaker:
    def make(user: Any, case: Case, data: Any, files: Any) -> forms.Form:
        return cls(data, files)

    return make


def _v(data: dict[str, Any]) -> int | None:
    value = data.get("expected_version")
    return int(value) if value is not None else None


def _merge(user: Any, case: Case, data: dict[str, Any]) -> None:
    primary = cases_visible_to(user).filter(tracking_code=data["primary_code"]).first()
    if primary is None:
        raise ValidationError(
            _("未找到查询码为 %(c)s 的案件，或不在您的辖区。") % {"c": data["primary_code"]}
        )
    services.case_merge(case=case, primary=primary, actor=user, expected_version=_v(data))


def _unmerge(user: Any, case: Case, data: dict[str, Any]) -> Told:
    done = services.case_unmerge(
        case=case, actor=user, note=data.get("note", ""), expected_version=_v(data)
    )
    said = []
    if done.returned:
        said.append(
            _("原随该件并入主件的 %(n)d 件意见（%(codes)s）已一并转回该件")
            % {"n": len(done.returned), "codes": "、".join(done.returned)}
        )
    if done.notice:
        said.append(done.notice)
    return Told(text="。".join(s.rstrip("。") for s in said))


def _co_opinion(user: Any, case: Case, data: dict[str, Any]) -> None:
    unit_ids = co_units_of(user, case)
    if not unit_ids:
        raise ValidationError(_("您的单位不是该件的协办单位。"))
    unit = HandlingUnit.objects.get(pk=unit_ids[0])
    services.case_co_opinion(case=case, actor=user, unit=unit, opinion=data["opinion"])


def _decide(user: Any, case: Case, data: dict[str, Any]) -> None:
    request = case.extension_requests.filter(pk=data["request_id"]).first()
    if request is None:
        raise ValidationError(_("该延期申请不存在。"))
    services.extension_decide(
        request=request, actor=user, approve=data["approve"], note=data.get("note", "")
    )


ACTIONS: dict[str, Action] = {
    "accept": Action(
        _l("受理"),
        _versioned(f.NoteForm),
        lambda u, c, d: services.case_accept(
            case=c, actor=u, note=d.get("note", ""), expected_version=_v(d)
        ),
        _l("已受理"),
    ),
    "decline": Action(
        _l("不予受理"),
        _versioned(f.DeclineForm),
        lambda u, c, d: services.case_decline(
            case=c, actor=u, reason=d["reason"], note=d["note"], expected_version=_v(d)
        ),
        _l("已不予受理，并告知群众理由"),
    ),
    "answer": Action(
        _l("当场答复"),
        _versioned(f.AnswerForm),
        lambda u, c, d: services.case_answer_on_spot(
            case=c, actor=u, reply=d["reply"], expected_version=_v(d)
        ),
        _l("已当场答复"),
    ),
    "assign": Action(
        _l("交办"),
        _assign_form,
        lambda u, c, d: services.case_assign(
            case=c,
            actor=u,
            unit=d.get("unit"),
            deputy=d.get("deputy"),
            co_units=tuple(d.get("co_units") or ()),
            due=d.get("due"),
            note=d.get("note", ""),
            expected_version=_v(d),
        ),
        _l("已交办"),
    ),
    "forward": Action(
        _l("转上级人大"),
        _forward_form,
        lambda u, c, d: services.case_forward(
            case=c, actor=u, to_region=d["to_region"], note=d["note"], expected_version=_v(d)
        ),
        _l("已转上级人大"),
    ),
    "reply": Action(
        _l("答复"),
        _versioned(f.ReplyForm),
        lambda u, c, d: services.case_reply(
            case=c,
            actor=u,
            reply=d["reply"],
            attachments=tuple(d.get("attachments") or ()),
            expected_version=_v(d),
        ),
        _l("已答复"),
    ),
    "co_opinion": Action(
        _l("提交协办意见"), _plain(f.CoOpinionForm), _co_opinion, _l("已提交协办意见")
    ),
    "relay": Action(
        _l("已告知群众"),
        _plain(f.RelayForm),
        lambda u, c, d: services.case_relay(case=c, actor=u, note=d.get("note", "")),
        _l("已记录告知群众"),
    ),
    "rate": Action(
        _l("记录回访评价"),
        _rate_form,
        lambda u, c, d: services.case_evaluate(
            case=c,
            rating=d["rating"],
            score=d["score"],
            comment=d.get("comment", ""),
            actor=u,
            expected_version=_v(d),
        ),
        _l("已记录评价"),
    ),
    "close": Action(
        _l("办结"),
        _versioned(f.NoteForm),
        lambda u, c, d: services.case_close(
            case=c, actor=u, note=d.get("note", ""), expected_version=_v(d)
        ),
        _l("已办结"),
    ),
    "merge": Action(_l("合并到主件"), _versioned(f.MergeForm), _merge, _l("已合并")),
    "unmerge": Action(
        _l("撤销合并"),
        _versioned(f.NoteForm),
        _unmerge,
        _l("已撤销合并，该件恢复为合并前的状态"),
    ),
    "category": Action(
        _l("调整分类"),
        _category_form,
        lambda u, c, d: services.case_set_category(case=c, actor=u, category=d["category"]),
        _l("已调整分类"),
    ),
    "extension_request": Action(
        _l("申请延期"),
        _plain(f.ExtensionRequestForm),
        lambda u, c, d: services.extension_request(
            case=c, actor=u, days=d["days"], reason=d["reason"]
        ),
        _l("已提交延期申请"),
    ),
    "extension_decide": Action(_l("审批延期"), _decide_form, _decide, _l("已审批延期申请")),
    "pin_reset": Action(
        _l("重置查询密码"), _plain(f.PinResetForm), _pin_reset, _l("已重置查询密码")
    ),
    "supervise": Action(
        _l("督办"),
        _plain(f.SuperviseForm),
        lambda u, c, d: services.supervision_open(
            case=c, actor=u, note=d["note"], new_due=d.get("new_due")
        ),
        _l("已督办"),
    ),
}


def build_forms(
    user: Any,
    case: Case,
    available: set[str],
    *,
    bound: dict[str, Any] | None = None,
    restored: dict[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """(name, label, form) for each action the user may take, in the order of ACTIONS.

    `restored` pre-fills a form with what was typed before the session expired (unbound: the
    person checks it and sends it again).
    """
    result = []
    for name, action in ACTIONS.items():
        if name not in available:
            continue
        form = (bound or {}).get(name) or action.make(user, case, None, None)
        again = (restored or {}).get(name)
        if again and not form.is_bound:
            form.initial.update(again)
        if name == "extension_decide" and not form.is_bound:
            pending = next(
                (r for r in case.extension_list if r.decision == "pending"),  # type: ignore[attr-defined]
                None,
            )
            form.initial["request_id"] = pending.pk if pending else None
        result.append({"name": name, "label": action.label, "form": form, "restored": bool(again)})
    return result


def _case_page(request: HttpRequest, pk: int, action: str) -> str:
    return reverse("cases:detail", args=[pk])


# An action sent after the session expired comes back to its case page (with its text) rather
# than to this POST-only URL, even when the browser sent no Referer.
act_view = staff_required(Capability.SEE_CASES, return_to=_case_page)


@act_view
@require_POST
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    from liaison.cases.views_staff.detail import available_actions, load_case, render_case

    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    case = load_case(request.user, pk)
    posted = request.POST.get("expected_version", "")
    if posted.isdigit() and int(posted) != case.version:
        conflict = CaseConflict(current_status_label=case.get_status_display())
        messages.error(request, str(conflict))
        return redirect("cases:detail", pk=case.pk)
    if action not in available_actions(request.user, case):
        messages.error(
            request, _("该件当前不能由您进行“%(a)s”操作，请刷新页面。") % {"a": spec.label}
        )
        return redirect("cases:detail", pk=case.pk)
    form = spec.make(request.user, case, request.POST, request.FILES)
    if not form.is_valid():
        return render_case(request, case, bound={action: form})
    try:
        result = spec.run(request.user, case, form.cleaned_data)
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
    else:
        if isinstance(result, ShownOnce):
            response = render_case(request, load_case(request.user, pk), new_pin=result.pin)
            response["Cache-Control"] = "no-store"
            return response
        done = str(spec.done)
        if isinstance(result, Told) and result.text:
            done += "。" + result.text + "。"
        messages.success(request, done)
    return redirect("cases:detail", pk=case.pk)
