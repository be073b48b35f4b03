"""Forms for the settings and calendar pages: parsing only; the registry and services decide."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from liaison.common.text import SafeTextFormMixin
from liaison.jurisdiction.builtin_settings import ASSESSMENT_GRADES, GRADE_LABELS
from liaison.jurisdiction.registry import JSON_TYPES, SettingDef

# Every setting form gives the cleaned Python value as cleaned_data["value"], so that the view
# saves any of them the same way; `setting_form` picks the form a definition asks for.


class SettingForm(SafeTextFormMixin, forms.Form):
    """One field, `value`, whose widget fits the setting's type; cleaned by the registry."""

    editor = "value"
    value = forms.CharField(label=_("取值"), required=False, strip=False)

    def __init__(
        self, data: Any = None, *, definition: SettingDef, current: Any = None, **kwargs: Any
    ) -> None:
        if data is None and current is not None:
            kwargs.setdefault("initial", {"value": definition.as_text(current)})
        super().__init__(data, **kwargs)
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


_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class ScoreItemsForm(SafeTextFormMixin, forms.Form):
    """A checklist (the 七有 standard) as a table: name and full score per row, blank rows to add.

    Each item keeps its internal key (assessments store scores by it) in a hidden field; a new row
    gets a fresh key. A row is removed by ticking 删除 or by clearing both of its fields.
    """

    editor = "score_items"
    EXTRA_ROWS = 3
    MAX_ROWS = 40

    rows = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_ROWS)

    def __init__(
        self, data: Any = None, *, definition: SettingDef, current: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.definition = definition
        items: list[dict[str, Any]] = list(current or []) if data is None else []
        count = len(items) + self.EXTRA_ROWS if data is None else self._posted_rows(data)
        self.fields["rows"].initial = count
        for i in range(count):
            item = items[i] if i < len(items) else {}
            self.fields[f"key_{i}"] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=item.get("key", "")
            )
            self.fields[f"name_{i}"] = forms.CharField(
                label=_("名称"), required=False, max_length=50, initial=item.get("name", "")
            )
            self.fields[f"score_{i}"] = forms.IntegerField(
                label=_("满分"),
                required=False,
                min_value=1,
                max_value=1000,
                initial=item.get("max_score"),
                error_messages={"min_value": _("满分应为大于 0 的整数。")},
            )
            self.fields[f"delete_{i}"] = forms.BooleanField(label=_("删除"), required=False)

    def _posted_rows(self, data: Any) -> int:
        try:
            return max(0, min(int(data.get("rows", 0)), self.MAX_ROWS))
        except (TypeError, ValueError):
            return 0

    def row_fields(self) -> list[dict[str, Any]]:
        """The bound fields of each row, for the template's table."""
        return [
            {
                "key": self[f"key_{i}"],
                "name": self[f"name_{i}"],
                "score": self[f"score_{i}"],
                "delete": self[f"delete_{i}"],
                "is_new": not (self[f"key_{i}"].value() or ""),
            }
            for i in range(self._row_count())
        ]

    def _row_count(self) -> int:
        return sum(1 for name in self.fields if name.startswith("name_"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        keys = {
            str(data.get(f"key_{i}") or "")
            for i in range(self._row_count())
            if _KEY_RE.match(str(data.get(f"key_{i}") or ""))
        }
        items: list[dict[str, Any]] = []
        names: set[str] = set()
        for i in range(self._row_count()):
            if data.get(f"delete_{i}") or f"name_{i}" in self.errors or f"score_{i}" in self.errors:
                continue
            name, score = (data.get(f"name_{i}") or "").strip(), data.get(f"score_{i}")
            if not name and score is None:
                continue  # a blank row (or a row cleared to remove it)
            if not name:
                self.add_error(f"name_{i}", _("请填写名称。"))
                continue
            if score is None:
                self.add_error(f"score_{i}", _("请填写满分。"))
                continue
            if name in names:
                self.add_error(f"name_{i}", _("名称“%(name)s”重复。") % {"name": name})
                continue
            names.add(name)
            key = str(data.get(f"key_{i}") or "")
            if not _KEY_RE.match(key) or any(item["key"] == key for item in items):
                key = _new_key(keys)
                keys.add(key)
            items.append({"key": key, "name": name, "max_score": score})
        if self.errors:
            return data
        if not items:
            raise ValidationError(_("检查项目不能为空，至少保留一项。"), code="empty")
        try:
            data["value"] = self.definition.clean(items)
        except ValidationError as error:
            self.add_error(None, error)
        return data


def _new_key(taken: set[str]) -> str:
    number = 1
    while f"item{number}" in taken:
        number += 1
    return f"item{number}"


class GradeThresholdsForm(SafeTextFormMixin, forms.Form):
    """The lowest score rate (percent) of each assessment grade: three numbers."""

    editor = "grade_thresholds"

    def __init__(
        self, data: Any = None, *, definition: SettingDef, current: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.definition = definition
        for grade in ASSESSMENT_GRADES:
            self.fields[grade] = forms.DecimalField(
                label=GRADE_LABELS[grade],
                min_value=Decimal(0),
                max_value=Decimal(100),
                max_digits=4,
                decimal_places=1,
                initial=(current or {}).get(grade),
                help_text=_("得分率（%）不低于此值"),
                widget=forms.NumberInput(attrs={"step": "0.1"}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        # Stored as JSON numbers: 90 stays an int, 87.5 a float.
        value = {
            g: int(data[g]) if data[g] == int(data[g]) else float(data[g])
            for g in ASSESSMENT_GRADES
        }
        try:
            data["value"] = self.definition.clean(value)
        except ValidationError as error:
            self.add_error(None, error)
        return data


SettingEditForm = SettingForm | ScoreItemsForm | GradeThresholdsForm

_EDITORS: dict[str, type[SettingEditForm]] = {
    "score_items": ScoreItemsForm,
    "grade_thresholds": GradeThresholdsForm,
}


def setting_form(
    definition: SettingDef, *, data: Any = None, current: Any = None
) -> SettingEditForm:
    """The form a person edits `definition` with (bound to `data`, or showing `current`)."""
    form_class = _EDITORS.get(definition.editor, SettingForm)
    return form_class(data, definition=definition, current=current)


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
