"""Text every channel takes in: one rule for characters that are never text, one JSON reader.

What is refused (issue 10): the C0 and C1 control characters (Unicode category Cc, DEL included)
except tab, line feed and carriage return in multi-line fields; lone surrogates; U+FFFE and U+FFFF.
None of them can be typed on a phone or a keyboard, and each one breaks something downstream:
PostgreSQL refuses NUL in text, openpyxl refuses the C0 controls in a cell, XML (docx, xlsx)
refuses all of them, and a lone surrogate cannot be encoded as UTF-8 at all.

Every face uses these helpers: the public form and the staff forms through `SafeTextFormMixin`,
the public JSON API and the journal through `text_problem` (called by the intake checks), the
12345 import through `text_problem`, DRF through `json_parse`. Data stored before the rule
existed is cleaned where it leaves the platform (`text_clean`, used by the ledger export).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, Final

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Allowed in multi-line fields only.
LINE_BREAKS: Final = "\t\n\r"
_REFUSED_ANYWHERE: Final = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
_MULTI_LINE_RE: Final = re.compile(f"[{_REFUSED_ANYWHERE}]")
_SINGLE_LINE_RE: Final = re.compile(f"[{_REFUSED_ANYWHERE}\t\n\r]")
# Deeper JSON than this is no request body of ours; Python's parser would recurse until it fails.
MAX_JSON_DEPTH: Final = 32


def refused_character(value: str, *, multiline: bool) -> str | None:
    """The first character of `value` that no text field takes, or None."""
    found = (_MULTI_LINE_RE if multiline else _SINGLE_LINE_RE).search(value)
    return found.group() if found else None


def text_problem(value: str, *, label: str, multiline: bool) -> str | None:
    """A Chinese message naming the field when `value` holds a refused character, else None."""
    char = refused_character(value, multiline=multiline)
    if char is None:
        return None
    return _("%(label)s中含有无法识别的控制字符（U+%(code)04X），请删除后再提交。") % {
        "label": label,
        "code": ord(char),
    }


def text_check(value: str, *, label: str, multiline: bool) -> None:
    """Raise ValidationError (code "control_character") when `value` holds a refused character."""
    message = text_problem(value, label=label, multiline=multiline)
    if message is not None:
        raise ValidationError(message, code="control_character")


def text_clean(value: str) -> str:
    """`value` without the characters refused everywhere (for data stored before the rule)."""
    return _MULTI_LINE_RE.sub("", value)


def text_validator(*, label: Any, multiline: bool) -> Callable[[Any], None]:
    """A form/serializer field validator for `text_check` (the label is read when it fails)."""

    def validate(value: Any) -> None:
        if isinstance(value, str):
            text_check(value, label=str(label or _("输入内容")), multiline=multiline)

    return validate


class SafeTextFormMixin:
    """Every text field of the form refuses control characters, naming the field.

    Django's CharField refuses NUL only; this adds the rest. A field with a Textarea widget is
    multi-line (tab and line breaks allowed), every other text field is single-line."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(text_validator(label=field.label, multiline=multiline))


# --- JSON request bodies -----------------------------------------------------------------------


class JSONBodyError(ValueError):
    """A request body that is not acceptable JSON; the message is Chinese and says why."""


_STRING_RE: Final = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def _too_deep(text: str) -> bool:
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return False  # the usual body: no need to look closer
    depth = 0
    for char in _STRING_RE.sub('""', text):
        if char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return True
        elif char in "]}":
            depth -= 1
    return False


_SURROGATE_RE: Final = re.compile("[\ud800-\udfff]")


def _lone_surrogate_in(value: Any, *, values: bool) -> bool:
    """A lone surrogate in a key (or, with `values`, anywhere) of decoded JSON."""
    if isinstance(value, str):
        return values and _SURROGATE_RE.search(value) is not None
    if isinstance(value, dict):
        return any(
            _SURROGATE_RE.search(k) is not None or _lone_surrogate_in(v, values=values)
            for k, v in value.items()
        )
    if isinstance(value, list):
        return any(_lone_surrogate_in(item, values=values) for item in value)
    return False


def json_parse(body: bytes | str, *, strict: bool = False) -> Any:
    """The decoded JSON of a request body, or JSONBodyError: invalid UTF-8, malformed, nested
    deeper than MAX_JSON_DEPTH, or a lone surrogate (which no text can be stored as) in a key.
    Strings are left to the field checks, which name the field; `strict` refuses a lone
    surrogate in a string too (for bodies whose fields are not checked one by one)."""
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
    except UnicodeDecodeError as exc:
        raise JSONBodyError(_("请求体不是有效的 UTF-8 编码")) from exc
    if _too_deep(text):
        raise JSONBodyError(_("请求体 JSON 嵌套过深（最多 %(n)d 层）") % {"n": MAX_JSON_DEPTH})
    try:
        data = json.loads(text)
    except RecursionError as exc:  # a safety net: _too_deep should have caught it
        raise JSONBodyError(
            _("请求体 JSON 嵌套过深（最多 %(n)d 层）") % {"n": MAX_JSON_DEPTH}
        ) from exc
    except ValueError as exc:
        raise JSONBodyError(_("请求体不是有效的 JSON")) from exc
    if _lone_surrogate_in(data, values=strict):
        raise JSONBodyError(_("请求体含有无效的 Unicode 字符（单独的代理项）"))
    return data
