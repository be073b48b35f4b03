"""Pages of duty points: the deputy's own, rankings, a deputy's ledger, corrections and the
quarterly bulletin. Each view: check access → one selector or service → render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.accounts.capabilities import Capability, has_capability
from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.common.paging import paginate
from liaison.deputies.models import Deputy
from liaison.jobs.services import export_job_request
from liaison.points import exports, jobs, selectors
from liaison.points.forms import QUARTERS, BulletinExportForm, CorrectionForm, RankingForm, YearForm
from liaison.points.rules import RuleKey
from liaison.points.scoping import (
    RankScope,
    bulletin_scopes,
    deputies_viewable,
    is_bulletin_scope,
    rank_scopes,
    scope_from_value,
)
from liaison.points.services import points_correct
from liaison.points.services.corrections import period_today
from liaison.stations.forms import apply_service_errors

view_points = staff_required(Capability.VIEW_POINTS)


def _year(form: YearForm) -> int:
    data = form.cleaned_data if form.is_valid() else {}
    return data.get("year") or selectors.current_year()


def _rule_labels() -> dict[str, str]:
    return {str(value): str(label) for value, label in RuleKey.choices}


@staff_required(Capability.OWN_POINTS)
@require_GET
def my_points(request: AuthedHttpRequest) -> HttpResponse:
    """我的积分: totals per quarter and year, band, ranks, and every entry with how it arose."""
    deputy = Deputy.objects.filter(user=request.user).first()
    if deputy is None:
        raise PermissionDenied
    form = YearForm(request.GET or None)
    year = _year(form)
    context = paginate(request, selectors.entries_of(deputy=deputy, year=year))
    context.update(
        {
            "form": form,
            "year": year,
            "deputy": deputy,
            "summary": selectors.deputy_points_summary(deputy=deputy, year=year),
            "rules": _rule_labels(),
        }
    )
    return render(request, "staff/points/mine.html", context)


def _scope(request: AuthedHttpRequest, form: RankingForm, scopes: list[RankScope]) -> Any:
    """The chosen scope, the first the user holds by default, or a Chinese refusal."""
    value = form.cleaned_data.get("scope", "") if form.is_valid() else ""
    if not value:
        return scopes[0] if scopes else _("您没有可查看的积分范围。")
    chosen = scope_from_value(request.user, value)
    return chosen if chosen is not None else _("所选范围不在您的辖区内，不能查看或导出。")


@view_points
@require_GET
def ranking(request: AuthedHttpRequest) -> HttpResponse:
    """Rankings by station, township, county or province, as far as the user's scope goes."""
    scopes = rank_scopes(request.user)
    form = RankingForm(request.GET or None)
    year = _year(form)
    quarter = (form.cleaned_data.get("quarter") or 0) if form.is_valid() else 0
    scope = _scope(request, form, scopes)
    context: dict[str, Any] = {"form": form, "scopes": scopes, "year": year, "quarter": quarter}
    if isinstance(scope, str):
        context["refusal"] = scope
        return render(request, "staff/points/ranking.html", context, status=403)
    context.update(paginate(request, selectors.ranking(scope=scope, year=year, quarter=quarter)))
    context["scope"] = scope
    return render(request, "staff/points/ranking.html", context)


@view_points
@require_GET
def deputy_ledger(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A deputy's ledger for a year: every entry, corrections with who and why."""
    deputy = get_object_or_404(deputies_viewable(request.user), pk=pk)
    form = YearForm(request.GET or None)
    year = _year(form)
    context = paginate(request, selectors.entries_of(deputy=deputy, year=year))
    context.update(
        {
            "form": form,
            "year": year,
            "deputy": deputy,
            "summary": selectors.deputy_points_summary(deputy=deputy, year=year),
            "rules": _rule_labels(),
            "may_correct": has_capability(request.user, Capability.CORRECT_POINTS),
        }
    )
    return render(request, "staff/points/ledger.html", context)


@staff_required(Capability.CORRECT_POINTS)
@require_http_methods(["GET", "POST"])
def correct(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Add or deduct points with a reason: a new entry, audited; the totals follow."""
    deputy = get_object_or_404(deputies_viewable(request.user), pk=pk)
    year, quarter = period_today()
    form = CorrectionForm(request.POST or None, initial={"year": year, "quarter": quarter})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = points_correct(
                deputy=deputy, actor=request.user, points=data["points"],
                reason=data["reason"], year=data["year"], quarter=data["quarter"],
            )  # fmt: skip
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            if "period" in getattr(error, "error_dict", {}):
                form.add_error("year", error.error_dict.pop("period"))
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已记入更正：%(p)s 分。") % {"p": entry.points})
            return redirect(f"{_ledger_url(deputy)}?year={entry.year}")
    return render(request, "staff/points/correct.html", {"form": form, "deputy": deputy})


def _ledger_url(deputy: Deputy) -> str:
    return reverse("points:ledger", kwargs={"pk": deputy.pk})


def _bulletin_scope(
    request: AuthedHttpRequest, form: RankingForm, scopes: list[RankScope]
) -> RankScope | str:
    """The bulletin's scope, or a Chinese refusal (a province or city is asked to choose)."""
    scope = _scope(request, form, scopes)
    if not isinstance(scope, str) and not is_bulletin_scope(scope):
        return _("公示以县（区）、乡镇（街道）或联络站为单位，请选择其中之一。")
    return scope  # type: ignore[no-any-return]


def _default_quarter(year: int) -> int:
    # The bulletin is of a quarter: the current one, or a past year's last.
    return period_today()[1] if year == period_today()[0] else 4


def _bulletin_page(
    request: AuthedHttpRequest,
    *,
    scopes: list[RankScope],
    year: int,
    quarter: int,
    scope: RankScope | str,
    status: int = 403,
) -> HttpResponse:
    # The form shows the period the bulletin is of (a quarter; "whole year" is not offered).
    shown = RankingForm(initial={"year": year, "quarter": quarter})
    shown.fields["quarter"].choices = QUARTERS[1:]  # type: ignore[attr-defined]
    context: dict[str, Any] = {"form": shown, "scopes": scopes, "year": year, "quarter": quarter}
    if isinstance(scope, str):
        context["refusal"] = scope
        return render(request, "staff/points/bulletin.html", context, status=status)
    rows = selectors.bulletin_rows(scope=scope, year=year, quarter=quarter)
    context.update(paginate(request, rows))
    context.update(
        {
            "scope": scope,
            "title": exports.bulletin_title(scope_label=scope.label, year=year, quarter=quarter),
            "formats": [("xlsx", _("导出 Excel")), ("docx", _("导出 Word"))],
        }
    )
    return render(request, "staff/points/bulletin.html", context)


@view_points
@require_GET
def bulletin(request: AuthedHttpRequest) -> HttpResponse:
    """The quarterly bulletin (积分公示) of a county, township or station; its files are built
    by the task worker (`bulletin_export`)."""
    scopes = bulletin_scopes(request.user)
    form = RankingForm(request.GET or None)
    year = _year(form)
    quarter = (form.cleaned_data.get("quarter") or 0) if form.is_valid() else 0
    quarter = quarter or _default_quarter(year)
    scope = _bulletin_scope(request, form, scopes)
    return _bulletin_page(request, scopes=scopes, year=year, quarter=quarter, scope=scope)


@view_points
@require_POST
def bulletin_export(request: AuthedHttpRequest) -> HttpResponse:
    """Queue the bulletin's xlsx or docx for the period and scope the page shows; the job's page
    says when it is ready. Bad input is answered on the bulletin page and nothing is queued."""
    scopes = bulletin_scopes(request.user)
    form = BulletinExportForm(request.POST)
    if not form.is_valid():
        year = selectors.current_year()
        return _bulletin_page(
            request, scopes=scopes, year=year, quarter=_default_quarter(year), status=400,
            scope=_("导出的年度、季度、范围或格式不正确，请在公示页重新选择后导出。"),
        )  # fmt: skip
    data = form.cleaned_data
    year, quarter = data["year"], data["quarter"]
    scope = _bulletin_scope(request, form, scopes)
    if isinstance(scope, str):
        return _bulletin_page(request, scopes=scopes, year=year, quarter=quarter, scope=scope)
    job = export_job_request(
        actor=request.user,
        kind=jobs.BULLETIN,
        params=jobs.bulletin_params(scope=scope, year=year, quarter=quarter, fmt=data["format"]),
        title=exports.bulletin_title(scope_label=scope.label, year=year, quarter=quarter),
        region_code=jobs.scope_region_code(scope),
    )
    return redirect("jobs:detail", pk=job.pk)
