"""Parsing the reception pages' input (business rules stay in the services)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.cases.models import Kind
from liaison.common.text import SafeTextFormMixin
from liaison.receptions.models import DayStatus, Frequency, MonthParity, SwapKind
from liaison.receptions.services.common import MAX_VISITORS
from liaison.receptions.services.records import ItemInput
from liaison.receptions.services.schedules import ScheduleInput

WEEKDAYS = [
    (0, _("星期一")),
    (1, _("星期二")),
    (2, _("星期三")),
    (3, _("星期四")),
    (4, _("星期五")),
    (5, _("星期六")),
    (6, _("星期日")),
]
WEEKS = [
    (1, _("第一个")),
    (2, _("第二个")),
    (3, _("第三个")),
    (4, _("第四个")),
    (-1, _("最后一个")),
]
ITEM_ROWS = 5  # blank item rows offered by the record form (more: ?items=N, up to 20)

_DATE = forms.DateInput(attrs={"type": "date"})
_TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _int_list(raw: str, *, low: int, high: int, label: Any) -> tuple[int, ...]:
    values: list[int] = []
    for part in raw.replace("，", ",").replace("、", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not low <= int(part) <= high:
            raise ValidationError(
                _("%(label)s应为 %(low)d 至 %(high)d 的数字，用逗号分隔")
                % {"label": label, "low": low, "high": high}
            )
        values.append(int(part))
    return tuple(values)


class ScheduleForm(SafeTextFormMixin, forms.Form):
    station = forms.TypedChoiceField(label=_("联络站"), coerce=int)
    title = forms.CharField(label=_("名称"), max_length=100, initial=_("代表接待日"))
    frequency = forms.ChoiceField(label=_("重复方式"), choices=Frequency.choices)
    week_of_month = forms.TypedChoiceField(
        label=_("第几个"), choices=WEEKS, coerce=int, required=False, empty_value=None
    )
    weekday = forms.TypedChoiceField(
        label=_("星期"), choices=WEEKDAYS, coerce=int, required=False, empty_value=None
    )
    month_days = forms.CharField(
        label=_("每月日期"), required=False, help_text=_("如：5,20"), max_length=100
    )
    months = forms.ChoiceField(label=_("月份"), choices=MonthParity.choices, initial="all")
    dates = forms.CharField(
        label=_("指定日期"),
        required=False,
        max_length=1000,
        help_text=_("如：2026-05-06,2026-06-03"),
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=_DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=_DATE, required=False)
    start_time = forms.TimeField(label=_("开始时间"), widget=_TIME)
    end_time = forms.TimeField(label=_("结束时间"), widget=_TIME)
    place = forms.CharField(label=_("接待地点"), max_length=200)

    def __init__(self, *args: Any, stations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].choices = stations  # type: ignore[attr-defined]

    def clean_month_days(self) -> tuple[int, ...]:
        return _int_list(self.cleaned_data["month_days"], low=1, high=31, label=_("每月日期"))

    def clean_dates(self) -> tuple[datetime.date, ...]:
        found: list[datetime.date] = []
        for part in self.cleaned_data["dates"].replace("，", ",").split(","):
            if part.strip():
                try:
                    found.append(datetime.date.fromisoformat(part.strip()))
                except ValueError:
                    raise ValidationError(
                        _("日期格式应为 2026-05-06：%(v)s") % {"v": part}
                    ) from None
        return tuple(found)

    def schedule_input(self) -> ScheduleInput:
        data = self.cleaned_data
        return ScheduleInput(
            title=data["title"],
            frequency=data["frequency"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            place=data["place"],
            weekday=data["weekday"],
            week_of_month=data["week_of_month"],
            month_days=data["month_days"],
            months=data["months"],
            dates=data["dates"],
        )


class DayForm(SafeTextFormMixin, forms.Form):
    station = forms.TypedChoiceField(label=_("联络站"), coerce=int)
    date = forms.DateField(label=_("日期"), widget=_DATE)
    start_time = forms.TimeField(label=_("开始时间"), widget=_TIME)
    end_time = forms.TimeField(label=_("结束时间"), widget=_TIME)
    place = forms.CharField(label=_("接待地点"), max_length=200)

    def __init__(self, *args: Any, stations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].choices = stations  # type: ignore[attr-defined]


class RecordForm(SafeTextFormMixin, forms.Form):
    visitor_count = forms.IntegerField(label=_("来访人数"), min_value=0, max_value=MAX_VISITORS)
    minutes = forms.CharField(
        label=_("接待纪要"), widget=forms.Textarea, required=False, max_length=5000
    )


def items_from(post: Any, *, rows: int) -> tuple[list[ItemInput], list[str]]:
    """The filled item rows of the record form (blank rows ignored), and row-level errors."""
    items: list[ItemInput] = []
    errors: list[str] = []
    for index in range(rows):
        prefix = f"item-{index}-"
        title = post.get(prefix + "title", "").strip()
        content = post.get(prefix + "content", "").strip()
        if not title and not content:
            continue
        raw_deputy = post.get(prefix + "deputy", "").strip()
        kind = post.get(prefix + "kind", Kind.SUGGESTION)
        if raw_deputy and not raw_deputy.isdigit():
            errors.append(_("第 %(n)d 行：接待代表无效") % {"n": index + 1})
            continue
        items.append(
            ItemInput(
                title=title,
                content=content,
                kind=kind,
                deputy_id=int(raw_deputy) if raw_deputy else None,
                contact_name=post.get(prefix + "contact_name", ""),
                contact_phone=post.get(prefix + "contact_phone", ""),
                is_anonymous=post.get(prefix + "anonymous") == "on",
            )
        )
    return items, errors


@dataclass(frozen=True)
class ItemRow:
    """One item row of the record form as shown: blank, or what was typed before."""

    index: int
    title: str = ""
    content: str = ""
    kind: str = Kind.SUGGESTION
    deputy: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    anonymous: bool = False


def item_rows(post: Any, *, rows: int) -> list[ItemRow]:
    """The rows to show: blank on a first visit, else as posted (nothing typed is lost when the
    form comes back with an error or with more rows)."""
    if post is None:
        return [ItemRow(index) for index in range(rows)]
    shown = []
    for index in range(rows):
        prefix = f"item-{index}-"
        shown.append(
            ItemRow(
                index,
                title=post.get(prefix + "title", ""),
                content=post.get(prefix + "content", ""),
                kind=post.get(prefix + "kind", Kind.SUGGESTION),
                deputy=post.get(prefix + "deputy", ""),
                contact_name=post.get(prefix + "contact_name", ""),
                contact_phone=post.get(prefix + "contact_phone", ""),
                anonymous=post.get(prefix + "anonymous") == "on",
            )
        )
    return shown


class SwapForm(SafeTextFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("方式"), choices=SwapKind.choices, widget=forms.RadioSelect)
    replacement = forms.TypedChoiceField(
        label=_("替班代表"), coerce=int, required=False, empty_value=None
    )
    reason = forms.CharField(
        label=_("理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, deputies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["replacement"].choices = [("", "—"), *deputies]  # type: ignore[attr-defined]


class SignInForm(SafeTextFormMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=30, required=False)
    anonymous = forms.BooleanField(label=_("匿名签到"), required=False)


class CalendarFilterForm(SafeTextFormMixin, forms.Form):
    station = forms.TypedChoiceField(
        label=_("联络站"), coerce=int, required=False, empty_value=None
    )
    month = forms.CharField(
        label=_("月份"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *list(DayStatus.choices)]
    )

    def __init__(self, *args: Any, stations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].choices = [("", _("全部")), *stations]  # type: ignore[attr-defined]

    def clean_month(self) -> datetime.date | None:
        raw = self.cleaned_data["month"].strip()
        if not raw:
            return None
        try:
            return datetime.date.fromisoformat(raw + "-01")
        except ValueError:
            raise ValidationError(_("月份格式应为 2026-05")) from None


class RegisterExportForm(SafeTextFormMixin, forms.Form):
    """The register page's POST: a year and either a station (downloaded at once) or a region
    (queued as an export job). Whether the station or region is the user's is the view's."""

    year = forms.IntegerField(
        min_value=2000,
        error_messages={
            "invalid": _("请选择正确的年度"),
            "min_value": _("请选择正确的年度"),
            "required": _("请选择年度"),
        },
    )
    station = forms.IntegerField(
        required=False, min_value=1, error_messages={"invalid": _("请选择正确的联络站")}
    )
    region = forms.CharField(
        required=False, max_length=12, error_messages={"max_length": _("请选择正确的区划")}
    )

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise ValidationError(_("请选择正确的年度"))
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("station") and not data.get("region"):
            raise ValidationError(_("请选择联络站或区划"))
        return data
