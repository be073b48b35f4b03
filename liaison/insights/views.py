"""Staff page of hot topics: the matters many people raised in a month, with drill-down to cases."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from liaison.accounts.capabilities import Capability
from liaison.accounts.decorators import staff_required
from liaison.cases.models import Case
from liaison.cases.selectors import cases_visible_to
from liaison.common.text import SafeTextFormMixin
from liaison.nlp.topics import Message, find_topics

MAX_CASES = 50_000
TOP = 30


class PeriodForm(SafeTextFormMixin, forms.Form):
    month = forms.CharField(
        label=_("月份"), required=False, widget=forms.DateInput(attrs={"type": "month"})
    )

    def clean_month(self) -> datetime.date | None:
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return None
        try:
            return datetime.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(_("请选择有效的月份")) from None


def _period(month: datetime.date | None) -> tuple[datetime.datetime, datetime.datetime, str]:
    tz = timezone.get_current_timezone()
    if month is None:
        end = timezone.now()
        return end - datetime.timedelta(days=30), end, str(_("最近 30 天"))
    start = datetime.datetime(month.year, month.month, 1, tzinfo=tz)
    following = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, following, month.strftime("%Y-%m")


@staff_required(Capability.ANALYSE_CASES)
@require_GET
def hot_topics(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    month = form.cleaned_data.get("month") if form.is_valid() else None
    start, end, period_label = _period(month)
    rows = list(
        cases_visible_to(request.user)
        .filter(submitted_at__gte=start, submitted_at__lt=end)
        .order_by("-submitted_at")
        .values_list("pk", "title", "content", "submitted_at")[:MAX_CASES]
    )
    local = timezone.get_current_timezone()
    messages = [
        Message(id=pk, title=title, detail=content, submitted_at=at.astimezone(local))
        for pk, title, content, at in rows
    ]
    topics = find_topics(messages, top=TOP, today=timezone.localdate())
    wanted = [int(str(pk)) for topic in topics for pk in topic.message_ids]
    cases = Case.objects.filter(pk__in=wanted).only(
        "pk", "tracking_code", "title", "status", "submitted_at"
    )
    by_id: dict[Any, Case] = {case.pk: case for case in cases}
    shown = [
        {"topic": topic, "cases": [by_id[pk] for pk in topic.message_ids if pk in by_id]}
        for topic in topics
    ]
    context = {
        "form": form,
        "period_label": period_label,
        "case_count": len(rows),
        "topics": shown,
        "truncated": len(rows) >= MAX_CASES,
    }
    return render(request, "staff/insights/hot_topics.html", context)
