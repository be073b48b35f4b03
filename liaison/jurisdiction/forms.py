"""Forms for the settings and calendar pages: parsing only; the registry and services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.common.text import SafeTextFormMixin
from liaison.jurisdiction.registry import JSON_TYPES, SettingDef


class SettingForm(SafeTextFormMixin, forms.Form):
    """One field, `value`, whose widget fits the setting's type; cleaned by the registry."""

    value = forms.CharField(label=_("取值"), required=False, strip=False)

    def __init__(self, *args: Any, definition: SettingDef, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        field = self.fields["value"]
        field.label = definition.label
        field.help_text = definition.help
        attrs: dict[str, Any] = {"id": "id_value"}
        widget: forms.Widget
        if definition.type in JSON_TYPES:
            widget = forms.Textarea(attrs={**attrs, "rows": 14, "spellcheck": "false"})
        elif definition.type == "bool":
            widget = forms.Select(choices=[("true", _("是")), ("false", _("否"))], attrs=attrs)
        elif definition.choices:
            widget = forms.Select(choices=list(definition.choices), attrs=attrs)
        elif definition.type in {"int", "decimal"}:
            attrs["step"] = "1" if definition.type == "int" else "any"
            if definition.min_value is not None:
                attrs["min"] = str(definition.min_value)
            if definition.max_value is not None:
                attrs["max"] = str(definition.max_value)
            widget = forms.NumberInput(attrs=attrs)
        else:
            widget = forms.TextInput(attrs={**attrs, "maxlength": definition.max_length})
        field.widget = widget

    def clean_value(self) -> Any:
        return self.definition.parse_text(self.cleaned_data.get("value") or "")


class CalendarOverrideForm(SafeTextFormMixin, forms.Form):
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    is_working_day = forms.TypedChoiceField(
        label=_("当天"),
        choices=[("0", _("放假（休息日）")), ("1", _("上班（工作日）"))],
        coerce=lambda v: v == "1",
        empty_value=None,
    )
    name = forms.CharField(
        label=_("名称"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如：地方纪念日、调休补班")}),
    )
