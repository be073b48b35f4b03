"""Workbench forms: parsing and field checks only; the loop's services hold the rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from liaison.cases import intake_spec as spec
from liaison.cases.forms_h5 import OnRatingScale, SubmissionTextField
from liaison.cases.models import Channel, DeclineReason, Kind, Rating
from liaison.common.text import SafeTextFormMixin
from liaison.common.widgets import FastSelect, RowsChoiceField, RowsMultipleChoiceField
from liaison.deputies.models import Deputy
from liaison.regions.models import Region
from liaison.stations.forms import RegionCodeField, StationSearchField
from liaison.stations.models import Station
from liaison.taxonomy.models import Category
from liaison.units.models import HandlingUnit


class _Versioned(SafeTextFormMixin, forms.Form):
    """Every action form carries the version the page was rendered with."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def _queryset_field(
    form: forms.Form, name: str, queryset: QuerySet[Any], *, empty: Any = None
) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    if not isinstance(field, forms.ModelMultipleChoiceField):
        field.empty_label = empty or _("请选择")


# --- the queue's filters ---------------------------------------------------------------------


class CategoryRowsField(RowsChoiceField):
    """Categories labelled by their path ("城乡建设 / 道路交通"), as `Category.__str__` does."""

    label_fields = ("path",)

    def row_labeler(self) -> Callable[[tuple[Any, ...]], str]:
        return lambda row: str(row[0]).replace("/", " / ")


SORT_CHOICES = [("due", _("期限最近")), ("new", _("最新提交")), ("old", _("最早提交"))]


class QueueFilterForm(SafeTextFormMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("标题、内容或查询码")}),
    )
    station = RowsChoiceField(
        label=_("联络站"), queryset=Station.objects.none(), required=False, widget=FastSelect
    )
    region = forms.CharField(label=_("区划代码"), required=False, max_length=12)
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部"))], widget=FastSelect
    )
    channel = forms.ChoiceField(
        label=_("渠道"), required=False, choices=[("", _("全部"))], widget=FastSelect
    )
    # The path is the value (links and bookmarks carry it); options from cached rows.
    category = CategoryRowsField(
        label=_("分类"),
        queryset=Category.objects.none(),
        required=False,
        to_field_name="path",
        widget=FastSelect(attrs={"data-searchable": _("输入关键词筛选分类")}),
    )
    unit = RowsChoiceField(
        label=_("承办单位"), queryset=HandlingUnit.objects.none(), required=False, widget=FastSelect
    )
    date_from = forms.DateField(
        label=_("提交日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=SORT_CHOICES,
        widget=FastSelect,
    )

    def __init__(
        self,
        *args: Any,
        stations: QuerySet[Any],
        units: QuerySet[Any],
        categories: QuerySet[Any],
        station_search: bool = False,
        sorts: tuple[str, ...] = ("due", "new", "old"),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Only the orders the queue offers (全部 has no deadline order).
        sort_field = cast(forms.ChoiceField, self.fields["sort"])
        sort_field.choices = [choice for choice in SORT_CHOICES if choice[0] in sorts]
        if station_search:  # a city's or the province's thousands of stations: a search box
            self.fields["station"] = StationSearchField(
                label=_("联络站"), queryset=stations, required=False
            )
        else:
            _queryset_field(self, "station", stations, empty=_("全部"))
        _queryset_field(self, "unit", units, empty=_("全部"))
        _queryset_field(self, "category", categories, empty=_("全部"))
        kind, channel = (self.fields[n] for n in ("kind", "channel"))
        assert isinstance(kind, forms.ChoiceField)
        assert isinstance(channel, forms.ChoiceField)
        kind.choices = [("", _("全部")), *Kind.choices]
        channel.choices = [("", _("全部")), *Channel.choices]


# --- actions on one case ---------------------------------------------------------------------


class NoteForm(_Versioned):
    note = forms.CharField(label=_("备注"), required=False, max_length=500, widget=forms.Textarea)


class DeclineForm(_Versioned):
    reason = forms.ChoiceField(label=_("不予受理原因"), choices=DeclineReason.choices)
    note = forms.CharField(
        label=_("向群众说明"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(_Versioned):
    reply = forms.CharField(
        label=_("答复内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class AssignForm(_Versioned):
    # Option lists from cached rows (common/widgets.py): no query on most page views.
    unit = RowsChoiceField(
        label=_("主办单位"), queryset=HandlingUnit.objects.none(), required=False
    )
    co_units = RowsMultipleChoiceField(
        label=_("协办单位"), queryset=HandlingUnit.objects.none(), required=False
    )
    deputy = RowsChoiceField(label=_("或交办代表"), queryset=Deputy.objects.none(), required=False)
    due = forms.DateField(
        label=_("答复期限"),
        required=False,
        help_text=_("留空按辖区设置的工作日计算"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(
        label=_("交办意见"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, units: QuerySet[Any], deputies: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _queryset_field(self, "unit", units)
        _queryset_field(self, "co_units", units)
        _queryset_field(self, "deputy", deputies)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit, deputy = data.get("unit"), data.get("deputy")
        if bool(unit) == bool(deputy):
            raise forms.ValidationError(_("请选择一个主办单位，或者交办给一位代表。"))
        if unit is not None and unit in (data.get("co_units") or []):
            self.add_error("co_units", _("主办单位不能同时是协办单位。"))
        return data


class ForwardForm(_Versioned):
    to_region = forms.ModelChoiceField(label=_("转至上级人大"), queryset=Region.objects.none())
    note = forms.CharField(
        label=_("转办说明"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset_field(self, "to_region", regions)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ReplyForm(_Versioned):
    reply = forms.CharField(
        label=_("答复内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    attachments = MultipleFileField(label=_("附件"), required=False)


class CoOpinionForm(SafeTextFormMixin, forms.Form):
    opinion = forms.CharField(
        label=_("协办意见"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RelayForm(SafeTextFormMixin, forms.Form):
    note = forms.CharField(
        label=_("告知情况"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PinResetForm(SafeTextFormMixin, forms.Form):
    """重置查询密码 has nothing to fill in: the button is the decision (the page shows the
    new PIN once)."""


class RateForm(OnRatingScale, _Versioned):
    """The rating staff take down (by phone, at a visit) on the jurisdiction's scale: where the
    setting `rating_scale` is "five" the person gives 1–5, as on the tracking page."""

    rating = forms.ChoiceField(label=_("群众评价（电话回访）"), choices=Rating.choices)
    comment = forms.CharField(label=_("评价意见"), required=False, max_length=500)

    def __init__(self, *args: Any, scale: str = "three", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.use_scale(scale, label=_("群众评价（电话回访）"))


class MergeForm(_Versioned):
    primary_code = forms.CharField(label=_("主件查询码"), max_length=16)

    def clean_primary_code(self) -> str:
        code: str = self.cleaned_data["primary_code"]
        return code.strip().upper()


# The tree has about 600 nodes: the select gets a search box (static/js/select_search.js).
CATEGORY_SEARCH = {"data-searchable": _("输入关键词筛选分类")}


class CategoryForm(SafeTextFormMixin, forms.Form):
    category = CategoryRowsField(
        label=_("分类"),
        queryset=Category.objects.none(),
        widget=FastSelect(attrs=CATEGORY_SEARCH),
    )

    def __init__(self, *args: Any, categories: QuerySet[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset_field(self, "category", categories)


class ExtensionRequestForm(SafeTextFormMixin, forms.Form):
    days = forms.IntegerField(label=_("延长工作日"), min_value=1, max_value=90)
    reason = forms.CharField(
        label=_("延期理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtensionDecideForm(SafeTextFormMixin, forms.Form):
    request_id = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(
        label=_("审批"),
        choices=[("1", _("批准")), ("0", _("不予批准"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("审批意见"), required=False, max_length=500)


class SuperviseForm(SafeTextFormMixin, forms.Form):
    note = forms.CharField(
        label=_("督办意见"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    new_due = forms.DateField(
        label=_("新的期限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class BulkAssignForm(SafeTextFormMixin, forms.Form):
    unit = RowsChoiceField(label=_("主办单位"), queryset=HandlingUnit.objects.none())
    due = forms.DateField(
        label=_("答复期限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, units: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset_field(self, "unit", units)


# --- staff intake, import, export, KPIs -----------------------------------------------------

STAFF_CHANNELS = [
    (c.value, c.label)
    for c in (
        Channel.RECEPTION,
        Channel.HOTLINE,
        Channel.LETTER_BOX,
        Channel.VISIT,
        Channel.PHONE,
        Channel.WECHAT,
        Channel.PAPER,
    )
]


class IntakeForm(SafeTextFormMixin, forms.Form):
    channel = forms.ChoiceField(label=_("来源渠道"), choices=STAFF_CHANNELS)
    channel_ref = forms.CharField(
        label=_("来源编号"),
        required=False,
        max_length=spec.MAX_CHANNEL_REF,
        help_text=_("12345 热线必须填写工单编号；其他渠道可填信件批次、接待记录编号等"),
    )
    station = forms.ModelChoiceField(label=_("联络站"), queryset=Station.objects.none())
    kind = forms.ChoiceField(label=_("类型"), choices=spec.choices("kind"))
    # No maxlength on the texts (a paste would be cut silently): see SubmissionTextField.
    title = SubmissionTextField(submission_field="title", counter=True, label=_("标题"))
    content = SubmissionTextField(
        submission_field="content", counter=True, label=_("内容"), widget=forms.Textarea
    )
    category = forms.ModelChoiceField(
        label=_("分类"),
        queryset=Category.objects.none(),
        required=False,
        widget=forms.Select(attrs=CATEGORY_SEARCH),
    )
    place = SubmissionTextField(submission_field="place", label=_("地点"), required=False)
    contact_name = SubmissionTextField(
        submission_field="contact_name", label=_("反映人姓名"), required=False
    )
    contact_phone = forms.CharField(
        label=_("反映人手机号"), required=False, max_length=spec.max_length("contact_phone")
    )
    is_anonymous = forms.BooleanField(label=_("匿名"), required=False)
    allow_publish = forms.BooleanField(label=_("同意在回音墙公开"), required=False)

    def __init__(
        self, *args: Any, stations: QuerySet[Any], categories: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _queryset_field(self, "station", stations)
        _queryset_field(self, "category", categories)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("channel") == Channel.HOTLINE and not (data.get("channel_ref") or "").strip():
            self.add_error("channel_ref", _("12345 热线工单必须填写工单编号。"))
        return data


class ImportForm(SafeTextFormMixin, forms.Form):
    file = forms.FileField(label=_("工单文件（xlsx 或 csv）"))


class ExportForm(SafeTextFormMixin, forms.Form):
    # <input type="date"> takes ISO dates only, whatever the locale's display format.
    date_from = forms.DateField(
        label=_("提交日期自"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("至"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    region = RegionCodeField(label=_("区划"), required=False, help_text=_("留空为您的全部辖区"))
    mask_person = forms.BooleanField(
        label=_("反映人信息脱敏"),
        required=False,
        initial=True,
        help_text=_("取消勾选将导出完整姓名和电话，并记入审计"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data


class _RegionChoiceField(RowsChoiceField):
    """The KPI page's regions from cached rows, rendered once per scope and language (decision
    0046): a province's 2,157 regions read as model instances with their parents were most of
    the page's time even as one string (issue 16)."""

    label_fields = ("name", "level", "parent__name")

    def row_labeler(self) -> Callable[[tuple[Any, ...]], str]:
        def label(row: tuple[Any, ...]) -> str:
            name, level, parent_name = row
            # A township's name alone is ambiguous across counties; its county says which.
            if level in ("township", "village") and parent_name is not None:
                return f"{parent_name} · {name}"
            return str(name)

        return label


class KpiForm(SafeTextFormMixin, forms.Form):
    date_from = forms.DateField(
        label=_("自"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    # A select of the user's own regions (searchable by name), keyed by code so that old links
    # with ?region=<code> still work; a code outside the scope is an error, never ignored.
    region = _RegionChoiceField(
        label=_("区划"),
        queryset=Region.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("全部辖区"),
        error_messages={"invalid_choice": _("请选择您辖区内的区划。")},
        # One string, not a template per option: a province's 2,157 regions took most of the
        # KPI page's time (issue 16).
        widget=FastSelect(attrs={"data-searchable": _("输入区划名称筛选")}),
    )

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Station staff get `none()`: known without a query (the choices are read once, when
        # the select is drawn).
        if not regions.query.is_empty():
            _queryset_field(self, "region", regions, empty=_("全部辖区"))
        else:
            del self.fields["region"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data
