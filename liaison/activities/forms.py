"""Forms of the activity pages: parsing and field checks; business rules live in services."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.activities.jobs import REGISTERS
from liaison.activities.models import CourseKind, Status, WorkPlanItem
from liaison.cases.forms_staff import MultipleFileField
from liaison.cases.models import Case
from liaison.common.text import SafeTextFormMixin
from liaison.deputies.models import Deputy
from liaison.grids.models import Post
from liaison.stations.forms import DateTimeLocalInput
from liaison.stations.models import Station

_TRACKING_SPLIT = re.compile(r"[\s,，、;；]+")


class _Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _deputies() -> forms.ModelMultipleChoiceField[Deputy]:
    # The queryset is the form's argument (`__init__`); a search box helps in long lists.
    return forms.ModelMultipleChoiceField(
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"data-searchable": "输入姓名筛选", "size": 8}),
    )


class ActivityForm(SafeTextFormMixin, _Versioned):
    station = forms.ModelChoiceField(label=_("联络站"), queryset=Station.objects.none())
    kind = forms.ChoiceField(label=_("活动类型"))
    title = forms.CharField(label=_("主题"), max_length=100)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DateTimeLocalInput())
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DateTimeLocalInput())
    place = forms.CharField(label=_("地点"), max_length=200)
    organiser = forms.CharField(label=_("组织者"), max_length=100)
    agenda = forms.CharField(
        label=_("议程"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    invited = _deputies()
    plan_item = forms.ModelChoiceField(
        label=_("对应年度计划事项"), queryset=WorkPlanItem.objects.none(), required=False
    )
    post = forms.ModelChoiceField(
        label=_("网格岗位（岗位工作日志）"), queryset=Post.objects.none(), required=False
    )
    hours = forms.DecimalField(
        label=_("学时（学习培训）"), max_digits=4, decimal_places=1, required=False
    )
    course_kind = forms.ChoiceField(
        label=_("课程类别（学习培训）"), choices=[("", "—"), *CourseKind.choices], required=False
    )

    def __init__(
        self,
        *args: Any,
        stations: QuerySet[Station],
        kinds: list[tuple[str, str]],
        deputies: QuerySet[Deputy],
        plan_items: QuerySet[WorkPlanItem],
        posts: QuerySet[Post],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations.order_by("name")  # type: ignore[attr-defined]
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]
        self.fields["invited"].label = _("邀请代表")
        self.fields["invited"].queryset = deputies.order_by("name", "id")  # type: ignore[attr-defined]
        self.fields["plan_item"].queryset = plan_items  # type: ignore[attr-defined]
        self.fields["post"].queryset = posts  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("结束时间必须晚于开始时间。"))
        return data


class RecordForm(SafeTextFormMixin, _Versioned):
    attended = forms.ModelMultipleChoiceField(
        label=_("实际参加代表"), queryset=Deputy.objects.none()
    )
    findings = forms.CharField(
        label=_("活动情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    problems_solved = forms.CharField(
        label=_("解决的问题"), max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    suggestions = forms.CharField(
        label=_("形成的建议"), max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    case_codes = forms.CharField(
        label=_("关联民意（查询码，多个用空格分隔）"), max_length=1000, required=False
    )
    hours = forms.DecimalField(
        label=_("学时（学习培训）"), max_digits=4, decimal_places=1, required=False
    )
    # Invited deputies who asked for leave: not counted as absent (duty points).
    on_leave = forms.ModelMultipleChoiceField(
        label=_("请假代表（受邀未出席并已请假）"), queryset=Deputy.objects.none(), required=False
    )
    leave_reason = forms.CharField(label=_("请假事由"), max_length=200, required=False)
    attachments = MultipleFileField(
        label=_("附件（照片或 PDF）"), required=False, help_text=_("仅支持图片和 PDF")
    )

    def __init__(self, *args: Any, deputies: QuerySet[Deputy], cases: QuerySet[Case], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["attended"].label = _("实际参加代表")
        self.fields["attended"].required = True
        self.fields["attended"].queryset = deputies.order_by("name", "id")  # type: ignore[attr-defined]
        self.fields["on_leave"].queryset = deputies.order_by("name", "id")  # type: ignore[attr-defined]
        self.cases = cases

    def clean_case_codes(self) -> list[Case]:
        codes = [c.upper() for c in _TRACKING_SPLIT.split(self.cleaned_data["case_codes"]) if c]
        if not codes:
            return []
        found = list(self.cases.filter(tracking_code__in=codes))
        missing = sorted(set(codes) - {c.tracking_code for c in found})
        if missing:
            raise ValidationError(
                _("未找到或不在您辖区的民意：%(codes)s") % {"codes": "、".join(missing)}
            )
        return found


class ReasonForm(SafeTextFormMixin, _Versioned):
    reason = forms.CharField(label=_("原因"), max_length=300)


class ActivityFilterForm(SafeTextFormMixin, forms.Form):
    station = forms.ModelChoiceField(
        label=_("联络站"), queryset=Station.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=_("类型"), required=False)
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *Status.choices], required=False
    )
    month = forms.CharField(
        label=_("月份"), required=False, widget=forms.DateInput(attrs={"type": "month"})
    )

    def __init__(self, *args: Any, stations: QuerySet[Station], kinds: list[tuple[str, str]],
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations.order_by("name")  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", _("全部")), *kinds]  # type: ignore[attr-defined]

    def clean_month(self) -> tuple[int, int] | None:
        raw = (self.cleaned_data.get("month") or "").strip()
        if not raw:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", raw)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValidationError(_("月份格式应为 2026-05。"))
        return int(match.group(1)), int(match.group(2))


class PlanItemForm(SafeTextFormMixin, forms.Form):
    month = forms.TypedChoiceField(
        label=_("计划月份"), coerce=int, choices=[(m, f"{m}月") for m in range(1, 13)]
    )
    kind = forms.ChoiceField(label=_("活动类型"))
    title = forms.CharField(label=_("事项"), max_length=100)

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]


def _year_choices() -> list[tuple[int, str]]:
    this = timezone.localdate().year
    return [(y, f"{y}") for y in range(this + 1, this - 5, -1)]


class YearStationForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=_year_choices)
    # No station: every station of the user's (the plans, the gaps or the register of them all).
    station = forms.ModelChoiceField(
        label=_("联络站"),
        queryset=Station.objects.none(),
        required=False,
        empty_label=_("全部联络站"),
    )

    def __init__(self, *args: Any, stations: QuerySet[Station], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Next year is offered (plans are made ahead), but the pages read this year when none
        # is chosen: the select says so too.
        self.fields["year"].initial = timezone.localdate().year
        self.fields["station"].queryset = stations.order_by("name")  # type: ignore[attr-defined]


class RegisterForm(YearStationForm):
    """The registers page's POST: which register, a year, and a station of the user's (none:
    their whole scope). The scope is checked again by the request and by the worker."""

    register = forms.ChoiceField(
        label=_("台账"),
        choices=list(REGISTERS.items()),
        error_messages={"required": _("请选择台账。"), "invalid_choice": _("请选择台账。")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].error_messages.update(
            {"required": _("请选择年度。"), "invalid_choice": _("请选择正确的年度。")}
        )
        self.fields["station"].error_messages["invalid_choice"] = _(
            "所选联络站不在您的辖区，请重新选择。"
        )
