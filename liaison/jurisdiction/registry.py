"""The typed registry of jurisdiction settings.

Every number or list that varies by place is declared once (the platform's own in
`builtin_settings.py`, other apps' through `register`) with its type, national default and bounds.
A region stores only the values it changes (`JurisdictionSetting`); everything else is inherited
from the nearest ancestor that sets it, and finally from the declared default. See decision 0003.

Values are kept in the database as JSON: ints, bools and strings as themselves, decimals as strings
(so that 0.5 stays exactly 0.5), lists and objects as themselves.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SettingType = Literal["int", "decimal", "bool", "str", "json_list", "json_dict"]
SETTING_TYPES: frozenset[str] = frozenset(
    {"int", "decimal", "bool", "str", "json_list", "json_dict"}
)
JSON_TYPES: frozenset[str] = frozenset({"json_list", "json_dict"})

_OTHER = _("其他")


@dataclass(frozen=True)
class SettingDef:
    """One setting: its key, type, national default and what a valid value looks like."""

    key: str
    label: StrOrPromise
    type: SettingType
    default: Any
    help: StrOrPromise = ""
    group: StrOrPromise = _OTHER
    unit: StrOrPromise = ""
    min_value: int | Decimal | None = None
    max_value: int | Decimal | None = None
    # For "str" settings that take one of a few values: (value, label) pairs.
    choices: tuple[tuple[str, StrOrPromise], ...] = ()
    # Extra checks on the cleaned value; raise ValidationError with a Chinese message.
    validator: Callable[[Any], None] | None = None
    max_length: int = 200
    # The app whose feature reads this setting ("suggestions" for liaison.suggestions). Until that
    # app is installed the setting changes nothing, so the staff pages do not offer it.
    feature: str = ""
    # How a person edits a list or object setting: a named form of liaison.jurisdiction.forms
    # ("score_items", "grade_thresholds"); empty for the one-field form of its type.
    editor: str = ""
    # A short Chinese reading of a value (lists and objects are never shown as JSON to people).
    formatter: Callable[[Any], str] | None = None

    def __post_init__(self) -> None:
        if self.type not in SETTING_TYPES:
            raise ValueError(f"setting {self.key!r}: unknown type {self.type!r}")
        # The default must satisfy its own rules, or every region would inherit a bad value.
        self.clean(self.default)

    @property
    def available(self) -> bool:
        """False while the feature that reads this setting is not installed."""
        if not self.feature:
            return True
        from django.apps import apps

        return apps.is_installed(f"liaison.{self.feature}")

    # --- converting and checking -------------------------------------------------------------

    def clean(self, value: Any) -> Any:
        """The value as its Python type, or ValidationError (Chinese) if it is not allowed."""
        cleaned = _CLEANERS[self.type](self, value)
        if self.validator is not None:
            self.validator(cleaned)
        return cleaned

    def parse_text(self, text: str) -> Any:
        """Parse what a person typed into a form (a number, "true", JSON for lists), then clean."""
        text = (text or "").strip()
        if self.type in JSON_TYPES:
            try:
                value: Any = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ValidationError(
                    gettext("JSON 格式错误（第 %(line)d 行第 %(col)d 列）：%(msg)s"),
                    code="json",
                    params={"line": exc.lineno, "col": exc.colno, "msg": exc.msg},
                ) from exc
            return self.clean(value)
        if self.type == "bool":
            lowered = text.lower()
            if lowered in {"1", "true", "yes", "on", "是"}:
                return self.clean(True)
            if lowered in {"", "0", "false", "no", "off", "否"}:
                return self.clean(False)
            raise ValidationError(gettext("请选择“是”或“否”。"), code="bool")
        return self.clean(text)

    def to_json(self, value: Any) -> Any:
        """A cleaned value as stored in the JSONField."""
        cleaned = self.clean(value)
        if self.type == "decimal":
            return str(cleaned)
        return cleaned

    def from_json(self, stored: Any) -> Any:
        """A stored value back as its Python type (cleaned, so a stale bad row raises)."""
        return self.clean(stored)

    def display(self, value: Any) -> str:
        """A short human reading of a value, for lists and tables."""
        if self.formatter is not None:
            return self.formatter(value)
        if self.type == "bool":
            return gettext("是") if value else gettext("否")
        if self.type in JSON_TYPES:
            return json.dumps(value, ensure_ascii=False)
        if self.choices:
            for choice, label in self.choices:
                if choice == value:
                    return str(label)
        return str(value)

    def as_text(self, value: Any) -> str:
        """A value as the text a form field starts with."""
        if self.type == "json_list":
            # One item per line: short enough to read, easy to edit in a textarea.
            lines = ",\n".join("  " + json.dumps(item, ensure_ascii=False) for item in value)
            return f"[\n{lines}\n]" if value else "[]"
        if self.type == "json_dict":
            return json.dumps(value, ensure_ascii=False, indent=2)
        if self.type == "bool":
            return "true" if value else "false"
        return str(value)


_INT_RE = re.compile(r"^[+-]?\d{1,9}$")


def _check_range(definition: SettingDef, value: int | Decimal) -> None:
    low, high = definition.min_value, definition.max_value
    if low is not None and value < low:
        raise ValidationError(
            gettext("“%(label)s”不能小于 %(min)s。"),
            code="min_value",
            params={"label": definition.label, "min": low},
        )
    if high is not None and value > high:
        raise ValidationError(
            gettext("“%(label)s”不能大于 %(max)s。"),
            code="max_value",
            params={"label": definition.label, "max": high},
        )


def _clean_int(definition: SettingDef, value: Any) -> int:
    if isinstance(value, bool):
        raise ValidationError(gettext("请输入整数。"), code="int")
    if isinstance(value, int):
        result = value
    elif isinstance(value, str) and _INT_RE.match(value.strip()):
        result = int(value.strip())
    elif isinstance(value, Decimal | float) and math.isfinite(value) and value == int(value):
        result = int(value)
    else:
        raise ValidationError(gettext("请输入整数。"), code="int")
    _check_range(definition, result)
    return result


def _clean_decimal(definition: SettingDef, value: Any) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise ValidationError(gettext("请输入数字，例如 0.5。"), code="decimal")
    try:
        # Floats go through str() so that 0.5 becomes Decimal("0.5"), not its binary expansion.
        result = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValidationError(gettext("请输入数字，例如 0.5。"), code="decimal") from exc
    if not result.is_finite():
        raise ValidationError(gettext("请输入数字，例如 0.5。"), code="decimal")
    _check_range(definition, result)
    return result


def _clean_bool(definition: SettingDef, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(gettext("请选择“是”或“否”。"), code="bool")
    return value


def _clean_str(definition: SettingDef, value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationError(gettext("请输入文字。"), code="str")
    text: str = value.strip()
    if definition.choices:
        allowed = [choice for choice, _label in definition.choices]
        if text not in allowed:
            raise ValidationError(
                gettext("取值只能是：%(choices)s。"),
                code="choice",
                params={"choices": "、".join(allowed)},
            )
    elif len(text) > definition.max_length:
        raise ValidationError(
            gettext("不能超过 %(n)d 个字。"), code="max_length", params={"n": definition.max_length}
        )
    return text


def _clean_json_list(definition: SettingDef, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValidationError(gettext("应为 JSON 数组，例如 [ … ]。"), code="json_list")
    # Round-trip so that only plain JSON (no sets, dates, objects) is ever stored.
    try:
        return list(json.loads(json.dumps(value, ensure_ascii=False)))
    except (TypeError, ValueError) as exc:
        raise ValidationError(gettext("列表中含有无法保存的值。"), code="json_list") from exc


def _clean_json_dict(definition: SettingDef, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationError(gettext("应为 JSON 对象，例如 { … }。"), code="json_dict")
    try:
        return dict(json.loads(json.dumps(value, ensure_ascii=False)))
    except (TypeError, ValueError) as exc:
        raise ValidationError(gettext("对象中含有无法保存的值。"), code="json_dict") from exc


_CLEANERS: dict[str, Callable[[SettingDef, Any], Any]] = {
    "int": _clean_int,
    "decimal": _clean_decimal,
    "bool": _clean_bool,
    "str": _clean_str,
    "json_list": _clean_json_list,
    "json_dict": _clean_json_dict,
}


# --- the registry ----------------------------------------------------------------------------

SETTINGS: dict[str, SettingDef] = {}


def register(definition: SettingDef) -> SettingDef:
    """Add a setting. Other apps call this at import time (e.g. from their AppConfig.ready)."""
    existing = SETTINGS.get(definition.key)
    if existing is not None and existing != definition:
        raise ValueError(f"setting {definition.key!r} is already registered differently")
    SETTINGS[definition.key] = definition
    return definition


# The platform's own settings; imported last because it uses the names above.
from liaison.jurisdiction import builtin_settings  # noqa: E402,F401
