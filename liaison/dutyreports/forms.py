"""Forms of the duty report pages: parsing and field checks; business rules live in services."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from liaison.cases.forms_staff import MultipleFileField
from liaison.common.text import SafeTextFormMixin
from liaison.deputies.models import Deputy, StationDeputy
from liaison.dutyreports.models import Status, Verdict
from liaison.dutyreports.services import Invitee
from liaison.stations.forms import DateTimeLocalInput
from liaison.stations.models import Station

# "王芳 13800001111", "王芳，13800001111" or just "王芳": a name, then an optional mobile number.
_LINE = re.compile(r"^(?P<name>.*?)(?:[\s,，、;；]+(?P<phone>[\d-]{7,}))?$")


def invitees_parse(text: str) -> list[Invitee]:
    """One representative per line; the service checks names, numbers and the minimum."""
    people = []
    for line in text.splitlines():
        match = _LINE.match(line.strip())
        if match is None or not line.strip():
            continue
        phone = (match.group("phone") or "").replace("-", "")
        people.append(Invitee(name=match.group("name").strip(), phone=phone))
    return people


class _Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ScheduleForm(SafeTextFormMixin, forms.Form):
    station = forms.ModelChoiceField(label=_("联络站"), queryset=Station.objects.none())
    deputy = forms.ModelChoiceField(label=_("述职代表"), queryset=Deputy.objects.none())
    title = forms.CharField(label=_("述职主题"), max_length=100)
    starts_at = forms.DateTimeField(label=_("述职时间"), widget=DateTimeLocalInput())
    place = forms.CharField(label=_("地点"), max_length=200)
    invited = forms.CharField(
        label=_("受邀选民代表"),
        max_length=30_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("每行一人：姓名，可加手机号（如：王芳 13800001111）。手机号加密保存。"),
    )

    def __init__(
        self, *args: Any, stations: QuerySet[Station], deputies: QuerySet[Deputy], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations  # type: ignore[attr-defined]
        self.fields["deputy"].queryset = deputies  # type: ignore[attr-defined]
        # Offered by station (an <optgroup> each), so that the deputy picked is one of the
        # station picked; the service still checks it.
        groups: dict[str, list[tuple[int, str]]] = {}
        rows = (
            StationDeputy.objects.filter(
                station__in=stations, deputy__in=deputies, ends_on__isnull=True
            )
            .order_by("station__name", "deputy__name")
            .values_list("station__name", "deputy_id", "deputy__name")
        )
        for station_name, deputy_id, deputy_name in rows:
            groups.setdefault(station_name, []).append((deputy_id, deputy_name))
        if groups:
            self.fields["deputy"].widget.choices = [
                ("", "---------"),
                *((name, members) for name, members in groups.items()),
            ]

    def clean_invited(self) -> list[Invitee]:
        return invitees_parse(self.cleaned_data["invited"])


class HoldForm(SafeTextFormMixin, _Versioned):
    text = forms.CharField(
        label=_("述职报告全文"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 10})
    )
    attendance = forms.IntegerField(label=_("到会人数"), min_value=1, max_value=5000)
    photos = MultipleFileField(label=_("现场照片"), required=False)


class FilterForm(forms.Form):
    station = forms.ModelChoiceField(
        label=_("联络站"), queryset=Station.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *Status.choices], required=False
    )

    def __init__(self, *args: Any, stations: QuerySet[Station], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations  # type: ignore[attr-defined]


class RatingForm(SafeTextFormMixin, forms.Form):
    code = forms.CharField(
        label=_("测评码"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "placeholder": "1234 5678",
            }
        ),
    )
    verdict = forms.ChoiceField(
        label=_("您对代表述职的评价"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("意见建议（选填）"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
