"""Forms of the station workbench: parsing and field checks; business rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.common.text import SafeTextFormMixin
from liaison.regions.models import Region
from liaison.stations.models import AssessmentResult, Station, StationKind, StationStatus
from liaison.stations.search import stations_matching
from liaison.stations.selectors import normalize_region_code
from liaison.stations.standards import StandardItem


class RegionCodeField(forms.CharField):
    """A 12-digit region code (shorter prefixes such as 430104 are padded) → Region."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("help_text", _("12 位统计用区划代码，例如 430104002000（岳麓街道）"))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Region | None:
        raw = super().clean(value)
        if not raw:
            return None
        code = normalize_region_code(raw)
        if not code:
            raise ValidationError(_("区划代码应为 12 位数字"), code="bad_region")
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise ValidationError(_("未找到该区划代码"), code="unknown_region")
        return region


class StationFieldsForm(SafeTextFormMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=StationKind.choices)
    region = RegionCodeField(label=_("所在区划"))
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    latitude = forms.DecimalField(
        label=_("纬度"),
        max_digits=9,
        decimal_places=6,
        required=False,
        error_messages={"invalid": _("纬度应为数字，例如 28.173")},
    )
    longitude = forms.DecimalField(
        label=_("经度"),
        max_digits=9,
        decimal_places=6,
        required=False,
        error_messages={"invalid": _("经度应为数字，例如 112.943")},
    )
    opening_hours = forms.CharField(label=_("开放时间"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    introduction = forms.CharField(label=_("简介"), widget=forms.Textarea, required=False)
    theme = forms.CharField(
        label=_("专题"), max_length=100, required=False, help_text=_("专题站点必填")
    )

    @classmethod
    def initial_for(cls, station: Station) -> dict[str, Any]:
        data = {name: getattr(station, name) for name in cls.base_fields if name != "region"}
        data["region"] = station.region_id
        return data


class StationCreateForm(StationFieldsForm):
    parent = forms.ModelChoiceField(
        label=_("上级站点"),
        queryset=Station.objects.none(),
        required=False,
        empty_label=_("（无，作为顶级站点）"),
    )
    field_order = ["name", "kind", "parent", "region"]

    def __init__(self, *args: Any, parents: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if parents is not None:
            parent_field = self.fields["parent"]
            assert isinstance(parent_field, forms.ModelChoiceField)
            parent_field.queryset = parents


class StationMoveForm(SafeTextFormMixin, forms.Form):
    parent = forms.ModelChoiceField(
        label=_("新的上级站点"),
        queryset=Station.objects.none(),
        required=False,
        empty_label=_("（无，作为顶级站点）"),
        error_messages={"invalid_choice": _("请从列表中选择允许的上级站点。")},
    )

    def __init__(
        self, *args: Any, parents: Any = None, allow_root: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["parent"]
        if parents is not None:
            field.queryset = parents
        if not allow_root:
            # Only the parents offered; "no parent" is a choice only for who may make roots.
            field.required = True
            field.empty_label = _("请选择")
            field.error_messages["required"] = _("请选择新的上级站点。")


class StationStatusForm(SafeTextFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("新状态"), choices=StationStatus.choices)
    reason = forms.CharField(
        label=_("原因"),
        max_length=300,
        widget=forms.Textarea,
        help_text=_("暂停或撤销时，原因会显示给扫描本站二维码的群众，请勿填写个人信息。"),
    )


class StationListFilterForm(SafeTextFormMixin, forms.Form):
    region = forms.CharField(label=_("区划"), required=False)
    kind = forms.ChoiceField(
        label=_("类型"), choices=[("", _("全部")), *StationKind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *StationStatus.choices], required=False
    )
    result = forms.ChoiceField(
        label=_("评估结果"),
        choices=[("", _("全部")), *AssessmentResult.choices, ("none", _("未评估"))],
        required=False,
    )
    q = forms.CharField(label=_("名称"), max_length=100, required=False)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class AppearanceForm(SafeTextFormMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label=_("开始时间"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    place = forms.CharField(label=_("地点"), max_length=200)
    region = RegionCodeField(label=_("所在区划"), required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("结束时间须晚于开始时间"))
        return data


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files in one input; each is checked by the service with Pillow."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/*"}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AssessmentForm(SafeTextFormMixin, forms.Form):
    assessed_on = forms.DateField(
        label=_("评估日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("评估意见"), widget=forms.Textarea, required=False)
    photos = MultipleImageField(label=_("佐证照片"), required=False)

    def __init__(self, *args: Any, checklist: list[StandardItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        self.fields["assessed_on"].initial = timezone.localdate()
        for item in checklist:
            self.fields[f"score_{item['key']}"] = forms.DecimalField(
                label=_("%(name)s（满分 %(max)s）")
                % {"name": item["name"], "max": item["max_score"]},
                min_value=0,
                max_value=item["max_score"],
                decimal_places=1,
                error_messages={
                    "required": _("请填写“%(name)s”的得分") % {"name": item["name"]},
                    "invalid": _("得分应为数字"),
                    "min_value": _("得分不能小于 0"),
                    "max_value": _("得分不能超过 %(max)s") % {"max": item["max_score"]},
                    "max_decimal_places": _("得分最多一位小数"),
                },
            )
            self.fields[f"note_{item['key']}"] = forms.CharField(
                label=_("%(name)s说明") % {"name": item["name"]}, max_length=500, required=False
            )

    def item_rows(self) -> list[tuple[StandardItem, forms.BoundField, forms.BoundField]]:
        return [
            (item, self[f"score_{item['key']}"], self[f"note_{item['key']}"])
            for item in self.checklist
        ]

    def scores(self) -> dict[str, Any]:
        return {i["key"]: self.cleaned_data[f"score_{i['key']}"] for i in self.checklist}

    def item_notes(self) -> dict[str, str]:
        return {i["key"]: self.cleaned_data.get(f"note_{i['key']}", "") for i in self.checklist}


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the right fields where they exist."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item.messages[0] if hasattr(item, "messages") else item)
    else:
        for message in error.messages:
            form.add_error(None, message)


class StationSearchInput(forms.TextInput):
    """A search box for one station: without script a plain text field the server matches
    (`StationSearchField`); static/js/station_search.js fills its list of suggestions from the
    scoped lookup (`stations:lookup`) as the person types."""

    input_type = "search"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = {
            "autocomplete": "off",
            "placeholder": _("输入站名或编码"),
            "data-station-lookup": reverse("stations:lookup"),
            **(attrs or {}),
        }
        return super().get_context(name, value, attrs)


class StationSearchField(forms.CharField):
    """One station of `queryset` from typed text: its code or id, or words of its name that only
    one station matches (`search.stations_matching`). Empty means none chosen."""

    widget = StationSearchInput

    def __init__(self, *, queryset: QuerySet[Station], **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)
        self.queryset = queryset

    def clean(self, value: Any) -> Station | None:
        text = super().clean(value)
        if not text:
            return None
        found = stations_matching(self.queryset, text, limit=2)
        if not found:
            raise ValidationError(_("未找到该联络站"), code="unknown_station")
        typed = " ".join(text.split())
        if len(found) > 1 and (found[0].name != typed or found[1].name == typed):
            raise ValidationError(
                _("有多个联络站与“%(t)s”相符，请从候选中选择或输入站点编码") % {"t": text},
                code="ambiguous_station",
            )
        return found[0]
