"""The request form of a monthly report: a scope (a region or a station) and a month."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.scoping import AnyUser
from liaison.common.text import SafeTextFormMixin
from liaison.regions.models import Region
from liaison.regions.selectors import region_subtree_q
from liaison.reports.selectors import scope_allows
from liaison.stations.models import Station


class ReportRequestForm(SafeTextFormMixin, forms.Form):
    month = forms.CharField(
        label=_("月份"), widget=forms.TextInput(attrs={"type": "month"}), max_length=7
    )
    region = forms.ModelChoiceField(label=_("辖区"), queryset=Region.objects.none(), required=False)
    station = forms.ModelChoiceField(
        label=_("联络站"), queryset=Station.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        regions = capability_scope(user, Capability.OVERSEE_REGION).regions
        region_q = Region.objects.none()
        station_q = Station.objects.none()
        for region in regions:
            region_q |= Region.objects.filter(region_subtree_q(region), level__in=["city",
                                              "county", "township", "province"])  # fmt: skip
            station_q |= Station.objects.filter(region_subtree_q(region, "region_id"))
        for path in capability_scope(user, Capability.RUN_STATION).station_paths:
            station_q |= Station.objects.filter(path__startswith=path)
        region_field, station_field = self.fields["region"], self.fields["station"]
        assert isinstance(region_field, forms.ModelChoiceField)
        assert isinstance(station_field, forms.ModelChoiceField)
        region_field.queryset = region_q.order_by("code")
        station_field.queryset = station_q.order_by("path")

    def clean_month(self) -> datetime.date:
        text = self.cleaned_data["month"].strip()
        try:
            month = datetime.date.fromisoformat(f"{text}-01")
        except ValueError:
            raise forms.ValidationError(_("请按“2025-03”的格式填写月份。")) from None
        if month > timezone.localdate().replace(day=1):
            raise forms.ValidationError(_("不能为未来的月份生成报告。"))
        return month

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        region, station = data.get("region"), data.get("station")
        if (region is None) == (station is None):
            raise forms.ValidationError(_("请选择一个辖区或一个联络站（二选一）。"))
        if not scope_allows(self.user, region=region, station=station):
            raise forms.ValidationError(_("所选范围不在您的辖区内。"))
        return data
