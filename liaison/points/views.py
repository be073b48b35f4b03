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
from django.views.decorators.http import require_GET, require_http_methods

from liaison.accounts.capabilities import Capability, has_capability
from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.common.exports import document_docx, export_filename, export_response, table_xlsx
from liaison.common.paging import paginate
from liaison.deputies.models import Deputy
from liaison.points import exports, selectors
from liaison.points.forms import QUARTERS, CorrectionForm, RankingForm, YearForm
from liaison.points.rules import RuleKey
from liaison.points.scoping import (
    RankScope,
    deputies_viewable,
    rank_scopes,
    scope_from_value,
)
from liaison.points.services import points_correct
from liaison.points.services.corrections import period_today
from liaison.regions.models import Level
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


BULLETIN_FORMATS = ("xlsx", "docx")


@view_points
@require_GET
def bulletin(request: AuthedHttpRequest) -> HttpResponse:
    """The quarterly bulletin (积分公示) of a county, township or station, and its files."""
    scopes = [
        s for s in rank_scopes(request.user)
        if s.station is not None or (s.region and s.region.level in (Level.COUNTY, Level.TOWNSHIP))
    ]  # fmt: skip
    form = RankingForm(request.GET or None)
    year = _year(form)
    quarter = (form.cleaned_data.get("quarter") or 0) if form.is_valid() else 0
    if not quarter:  # the bulletin is of a quarter: the current one, or a past year's last
        quarter = period_today()[1] if year == period_today()[0] else 4
    scope = _scope(request, form, scopes)
    # The form shows the period the bulletin is of (a quarter; "whole year" is not offered).
    shown = RankingForm(initial={"year": year, "quarter": quarter})
    shown.fields["quarter"].choices = QUARTERS[1:]  # type: ignore[attr-defined]
    context: dict[str, Any] = {"form": shown, "scopes": scopes, "year": year, "quarter": quarter}
    if not isinstance(scope, str) and scope.region is not None and scope.region.level not in (
        Level.COUNTY, Level.TOWNSHIP,
    ):  # fmt: skip
        scope = _("公示以县（区）、乡镇（街道）或联络站为单位，请选择其中之一。")
    if isinstance(scope, str):
        context["refusal"] = scope
        return render(request, "staff/points/bulletin.html", context, status=403)
    rows = selectors.bulletin_rows(scope=scope, year=year, quarter=quarter)
    title = exports.bulletin_title(scope_label=scope.label, year=year, quarter=quarter)
    fmt = request.GET.get("format", "")
    if fmt in BULLETIN_FORMATS:
        return _bulletin_file(request, rows, title=title, fmt=fmt, scope=scope)
    context.update(paginate(request, rows))
    context.update({"scope": scope, "title": title})
    return render(request, "staff/points/bulletin.html", context)


def _bulletin_file(
    request: AuthedHttpRequest,
    rows: list[selectors.BulletinRow],
    *,
    title: str,
    fmt: str,
    scope: RankScope,
) -> HttpResponse:
    if fmt == "xlsx":
        content, _count = table_xlsx(exports.bulletin_table(rows, title=title))
    else:
        content = document_docx(exports.bulletin_document(rows, title=title))
    region = scope.region.code if scope.region else scope.station.region_id if scope.station else ""
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="points.bulletin",
        object_label=title,
        region_code=region,
        after={"rows": len(rows), "format": fmt, "scope": scope.value},
    )
    return export_response(content, filename=export_filename(title, extension=fmt))
