"""Parsing and field validation for the deputy workbench; business rules live in services."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any, Final

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.common.images import validate_image_upload
from liaison.common.text import SafeTextFormMixin
from liaison.common.widgets import FastSelect, RowsChoiceField
from liaison.deputies.models import AssignmentKind, DeputyLevel, Gender
from liaison.deputies.selectors import DeputyFilters
from liaison.deputies.services import CONGRESS_LEVEL
from liaison.regions.models import Level, Region
from liaison.stations.forms import StationSearchField
from liaison.stations.models import Station

MOBILE_RE: Final = re.compile(r"^1[3-9]\d{9}$")
ID_RE: Final = re.compile(r"^\d{17}[\dX]$")
ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK: Final = "10X98765432"
PRIVATE_HELP: Final = gettext_lazy("出于隐私保护不显示原值；留空表示不修改。")


def normalize_mobile(value: str) -> str:
    """Drop spaces, dashes and a +86 prefix; raise unless a mainland mobile number remains."""
    digits = re.sub(r"[\s-]", "", value)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not MOBILE_RE.match(digits):
        raise ValidationError(_("请输入有效的11位中国大陆手机号码"), code="invalid_mobile")
    return digits


def normalize_id_number(value: str) -> str:
    """Upper-case the check letter; raise unless an 18-digit resident ID with a valid checksum."""
    number = value.strip().upper()
    if len(number) != 18:
        raise ValidationError(_("身份证号应为18位"), code="id_length")
    if not ID_RE.match(number):
        raise ValidationError(_("身份证号格式不正确"), code="id_format")
    try:
        datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号中的出生日期无效"), code="id_birth") from None
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS, strict=True))
    if ID_CHECK[total % 11] != number[17]:
        raise ValidationError(_("身份证号校验位不正确，请核对"), code="id_checksum")
    return number


class RegionChoiceField(RowsChoiceField):
    label_fields = ("name", "level", "code")

    def row_labeler(self) -> Callable[[tuple[Any, ...]], str]:
        levels = {value: str(label) for value, label in Level.choices}

        def label(row: tuple[Any, ...]) -> str:
            name, level, code = row
            return f"{name}（{levels.get(level, level)}·{code}）"

        return label


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DeputyForm(SafeTextFormMixin, forms.Form):
    """The deputy's own data. Private fields are never pre-filled: blank keeps them on edit."""

    home_region = RegionChoiceField(
        label=gettext_lazy("所属区划"),
        queryset=Region.objects.none(),
        help_text=gettext_lazy("添加职务后自动改为最低一级现任职务所属人大的区划"),
    )
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    gender = forms.ChoiceField(label=gettext_lazy("性别"), choices=Gender.choices)
    occupation = forms.CharField(label=gettext_lazy("职业"), max_length=100, required=False)
    affiliation = forms.CharField(
        label=gettext_lazy("工作单位及职务"), max_length=200, required=False
    )
    bio = forms.CharField(label=gettext_lazy("简介"), widget=forms.Textarea, required=False)
    public_contact = forms.CharField(
        label=gettext_lazy("公开联系方式"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("将显示在公开页面上，例如联络站电话或工作邮箱"),
    )
    is_active = forms.BooleanField(label=gettext_lazy("在任"), required=False, initial=True)
    mobile = forms.CharField(label=gettext_lazy("手机号"), max_length=20, required=False)
    id_number = forms.CharField(label=gettext_lazy("身份证号"), max_length=18, required=False)
    home_address = forms.CharField(label=gettext_lazy("家庭住址"), max_length=200, required=False)

    PRIVATE: Final = ("mobile", "id_number", "home_address")

    def __init__(
        self,
        *args: Any,
        regions: QuerySet[Region] | None = None,
        editing: bool = False,
        private: bool = True,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.editing = editing
        if not private:
            # Someone who may not see the private fields does not write them either.
            for name in self.PRIVATE:
                del self.fields[name]
        if editing:
            del self.fields["home_region"]
            for name in self.PRIVATE:
                if name in self.fields:
                    self.fields[name].help_text = PRIVATE_HELP
        else:
            field = self.fields["home_region"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = regions if regions is not None else Region.objects.none()

    def clean_mobile(self) -> str:
        value: str = self.cleaned_data["mobile"].strip()
        return normalize_mobile(value) if value else ""

    def clean_id_number(self) -> str:
        value: str = self.cleaned_data["id_number"].strip()
        return normalize_id_number(value) if value else ""

    def clean_home_address(self) -> str:
        return str(self.cleaned_data["home_address"]).strip()

    def service_kwargs(self) -> dict[str, Any]:
        """Arguments for deputy_create / deputy_update; on edit, blank private fields are kept."""
        data = dict(self.cleaned_data)
        if self.editing:
            for name in self.PRIVATE:
                if not data.get(name):
                    data.pop(name, None)
        return data


class SeatForm(SafeTextFormMixin, forms.Form):
    level = forms.ChoiceField(label=gettext_lazy("级别"), choices=DeputyLevel.choices)
    congress = RegionChoiceField(label=gettext_lazy("所属人大"), queryset=Region.objects.none())
    term = forms.IntegerField(
        label=gettext_lazy("届次"),
        min_value=1,
        max_value=99,
        error_messages={
            "min_value": gettext_lazy("届次应在 1 到 99 之间"),
            "max_value": gettext_lazy("届次应在 1 到 99 之间"),
        },
    )
    constituency = forms.CharField(
        label=gettext_lazy("选区/选举单位"), max_length=100, required=False
    )
    starts_on = forms.DateField(label=gettext_lazy("任期开始"), widget=DateInput())
    ends_on = forms.DateField(label=gettext_lazy("任期结束"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, regions: QuerySet[Region] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = self.fields["congress"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = regions if regions is not None else Region.objects.none()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        level, congress = data.get("level"), data.get("congress")
        if level and congress is not None and CONGRESS_LEVEL[level] != congress.level:
            self.add_error(
                "congress",
                _("%(level)s的所属人大应选择%(region_level)s区划")
                % {
                    "level": DeputyLevel(level).label,
                    "region_level": Level(CONGRESS_LEVEL[level]).label,
                },
            )
        _check_order(self, data)
        return data


class EndForm(SafeTextFormMixin, forms.Form):
    """Closing a seat or an assignment on a date (today by default)."""

    ends_on = forms.DateField(label=gettext_lazy("结束日期"), widget=DateInput())

    def __init__(self, *args: Any, **kw: Any) -> None:
        kw.setdefault("initial", {"ends_on": timezone.localdate()})
        super().__init__(*args, **kw)


class AssignmentForm(SafeTextFormMixin, forms.Form):
    station = forms.ModelChoiceField(label=gettext_lazy("联络站"), queryset=Station.objects.none())
    kind = forms.ChoiceField(
        label=gettext_lazy("方式"), choices=AssignmentKind.choices, initial=AssignmentKind.RESIDENT
    )
    rota = forms.CharField(
        label=gettext_lazy("轮值安排"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("例如：每月第一个星期三"),
    )
    starts_on = forms.DateField(label=gettext_lazy("开始日期"), widget=DateInput())
    ends_on = forms.DateField(label=gettext_lazy("结束日期"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, stations: QuerySet[Station] | None = None, **kw: Any) -> None:
        kw.setdefault("initial", {"starts_on": timezone.localdate()})
        super().__init__(*args, **kw)
        field = self.fields["station"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = stations if stations is not None else Station.objects.none()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == AssignmentKind.ROTA and not data.get("rota", "").strip():
            self.add_error("rota", _("轮值代表请填写轮值安排"))
        _check_order(self, data)
        return data


def _check_order(form: forms.Form, data: dict[str, Any]) -> None:
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        form.add_error("ends_on", _("结束日期不能早于开始日期"))


class PhotoForm(SafeTextFormMixin, forms.Form):
    photo = forms.FileField(
        label=gettext_lazy("照片"),
        help_text=gettext_lazy("JPG、PNG、WEBP 或 GIF 图片"),
        error_messages={"required": gettext_lazy("请选择图片文件")},
    )

    def clean_photo(self) -> Any:
        photo = self.cleaned_data["photo"]
        validate_image_upload(photo, max_bytes=settings.MAX_PHOTO_BYTES)
        return photo


ACTIVE_CHOICES: Final = [
    ("", gettext_lazy("全部")),
    ("1", gettext_lazy("在任")),
    ("0", gettext_lazy("不在任")),
]


class DeputyFilterForm(SafeTextFormMixin, forms.Form):
    q = forms.CharField(label=gettext_lazy("姓名"), max_length=50, required=False)
    level = forms.ChoiceField(
        label=gettext_lazy("级别"),
        choices=[("", gettext_lazy("全部")), *DeputyLevel.choices],
        required=False,
    )
    # A city's list has hundreds of regions and stations: FastSelect renders them as one string.
    region = RegionChoiceField(
        label=gettext_lazy("区划"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=gettext_lazy("全部"),
        widget=FastSelect,
    )
    station = RowsChoiceField(
        label=gettext_lazy("联络站"),
        queryset=Station.objects.none(),
        required=False,
        empty_label=gettext_lazy("全部"),
        widget=FastSelect,
    )
    active = forms.ChoiceField(label=gettext_lazy("状态"), choices=ACTIVE_CHOICES, required=False)

    def __init__(
        self,
        *args: Any,
        regions: QuerySet[Region] | None = None,
        stations: QuerySet[Station] | None = None,
        station_search: bool = False,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        region_field, station_field = self.fields["region"], self.fields["station"]
        assert isinstance(region_field, forms.ModelChoiceField)
        assert isinstance(station_field, forms.ModelChoiceField)
        region_field.queryset = regions if regions is not None else Region.objects.none()
        station_field.queryset = stations if stations is not None else Station.objects.none()
        if station_search:  # a city's or the province's thousands of stations: a search box
            self.fields["station"] = StationSearchField(
                label=gettext_lazy("联络站"), queryset=station_field.queryset, required=False
            )

    def filters(self) -> DeputyFilters:
        """The valid filters; an invalid value is ignored rather than failing the page."""
        self.is_valid()
        data = self.cleaned_data
        active = data.get("active", "")
        return DeputyFilters(
            level=data.get("level", ""),
            region=data.get("region"),
            station=data.get("station"),
            active=None if active == "" else active == "1",
            name=data.get("q", ""),
        )
