"""Forms of the grids pages: parsing only; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.common.text import SafeTextFormMixin
from liaison.grids.selectors import GridFilters
from liaison.regions.models import Region
from liaison.stations.models import Station
from liaison.stations.selectors import region_by_code


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class RegionChoiceField(forms.ModelChoiceField[Region]):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.name}（{obj.get_level_display()} {obj.code}）"


class StationChoiceField(forms.ModelChoiceField[Station]):
    def label_from_instance(self, obj: Station) -> str:
        return f"{obj.name}（{obj.region.name}）"


class GridForm(SafeTextFormMixin, forms.Form):
    name = forms.CharField(label=_("网格名称"), max_length=100)
    region = RegionChoiceField(
        label=_("所在区划"),
        queryset=Region.objects.none(),
        widget=forms.Select(attrs={"data-searchable": _("输入名称或代码筛选区划")}),
    )
    station = StationChoiceField(
        label=_("所属联络站"),
        queryset=Station.objects.none(),
        required=False,
        help_text=_("由某个联络站负责的网格请选择该站；站长只能为本站设网格。"),
        widget=forms.Select(attrs={"data-searchable": _("输入名称筛选联络站")}),
    )
    description = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        data: Any = None,
        *,
        regions: QuerySet[Region],
        stations: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)
        region_field.queryset = regions
        station_field = self.fields["station"]
        assert isinstance(station_field, forms.ModelChoiceField)
        station_field.queryset = stations


class PostForm(SafeTextFormMixin, forms.Form):
    name = forms.CharField(label=_("岗位名称"), max_length=100)
    duty_kind = forms.ChoiceField(label=_("职责类型"))
    needed = forms.IntegerField(label=_("所需代表数"), min_value=1, max_value=99, initial=1)
    description = forms.CharField(
        label=_("岗位职责"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, data: Any = None, *, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        field = self.fields["duty_kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = kinds


class AssignForm(forms.Form):
    deputy = forms.IntegerField(widget=forms.HiddenInput)
    start = forms.DateField(label=_("上岗日期"), widget=DateInput())


class EndForm(SafeTextFormMixin, forms.Form):
    end = forms.DateField(
        label=_("离岗日期"),
        widget=DateInput(),
        help_text=_("在岗的最后一天；可以是以后的日期（计划离岗）。"),
    )
    reason = forms.CharField(label=_("离岗原因"), max_length=200, required=False)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"end": timezone.localdate()})
        super().__init__(data, **kwargs)


class DeactivateForm(SafeTextFormMixin, forms.Form):
    reason = forms.CharField(label=_("停用原因"), max_length=200, required=False)


class GridFilterForm(SafeTextFormMixin, forms.Form):
    region = forms.CharField(label=_("区划"), required=False)
    station = forms.IntegerField(label=_("联络站"), required=False, min_value=1)
    kind = forms.CharField(label=_("职责类型"), required=False, max_length=40)
    q = forms.CharField(label=_("名称"), max_length=100, required=False)
    inactive = forms.BooleanField(label=_("含已停用"), required=False)

    def filters(self) -> GridFilters:
        """The list filters the form asks for (invalid fields are ignored). The list pages and
        the export jobs read a query string the same way through this."""
        data = self.cleaned_data if self.is_valid() else {}
        raw_region = data.get("region", "")
        region = region_by_code(raw_region) if raw_region else None
        return GridFilters(
            region=region,
            # A region code that matched nothing: every list is empty rather than unfiltered.
            unknown_region=bool(raw_region) and region is None,
            station_id=data.get("station"),
            duty_kind=data.get("kind", ""),
            text=data.get("q", ""),
            include_inactive=bool(data.get("inactive")),
        )


def apply_service_errors(form: forms.Form, error: Any) -> None:
    """Show a service's ValidationError on the form, on the right fields where they exist."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item.messages[0] if hasattr(item, "messages") else item)
    else:
        for message in error.messages:
            form.add_error(None, message)
