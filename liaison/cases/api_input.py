"""Parsing the body of `POST /api/v1/public/cases` without a DRF serializer.

The public intake endpoint is the platform's hottest write. A DRF serializer deep-copies its
fields on every request and costs about as much as the insert itself, so the body is parsed here
by plain code with the same rules and Chinese messages. `CaseInSerializer` in `api_public.py`
stays as the documented schema; `test_api_input.py` checks both name the same fields and limits.
The business rules (consent, phone, station status) live in `case_submit`; this only checks
types, sizes (the text limits through the intake checks' `text_length_problem`, so the message is
the phone form's) and characters (control characters are refused here with the same message as
the intake checks, through `text_field_problem`, so that nothing the journal keeps can fail to
become a case).
"""

from __future__ import annotations

from typing import Any, Final

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.cases.models import Kind
from liaison.cases.services.intake import MAX_CONTENT, MAX_NAME, MAX_PLACE, MAX_TITLE, MAX_TOKEN
from liaison.cases.services.intake_checks import (
    INVALID_PHONE,
    TEXT_LIMITS,
    field_label,
    text_field_problem,
    text_length_problem,
    too_long_message,
)
from liaison.common.text import text_problem

# name → (required, max length). The free-text fields take the business limits of the intake
# checks, worded as on the phone form ("意见内容最多 5000 字，您输入了 …"), so that a client is told
# the number that holds, not a gross cap of its own.
TEXT_FIELDS: Final[dict[str, tuple[bool, int]]] = {
    "station_code": (False, 16),
    "deputy_code": (False, 16),
    "title": (True, MAX_TITLE),
    "content": (True, MAX_CONTENT),
    "place": (False, MAX_PLACE),
    "contact_name": (False, MAX_NAME),
    "contact_phone": (False, 30),
    "client_token": (False, MAX_TOKEN),
}
# The addressee codes are not submission fields of case_submit: named here.
_CODE_LABELS: Final = {
    "station_code": gettext_lazy("联络站码"),
    "deputy_code": gettext_lazy("代表码"),
}
_KINDS: Final = frozenset(Kind.values)  # an enum's .values is rebuilt on every access
# name → default
BOOL_FIELDS: Final[dict[str, bool]] = {
    "is_anonymous": False,
    "allow_publish": False,
    "consent": True,
}
# What DRF's BooleanField accepts (True == 1 and False == 0 in a set).
_TRUE: Final = {True, "1", "true", "True", "TRUE", "on", "yes"}
_FALSE: Final = {False, "0", "false", "False", "FALSE", "off", "no", ""}


def _character_problem(name: str, text: str) -> str | None:
    label = _CODE_LABELS.get(name)
    if label is not None:
        return text_problem(text, label=str(label), multiline=False)
    return text_field_problem(name, text)


def _length_problem(name: str, text: str, limit: int) -> str | None:
    if name in TEXT_LIMITS:
        return text_length_problem(name, text)  # counts a CRLF as one, as the form does
    if len(text) <= limit:
        return None
    if name == "contact_phone":
        return str(INVALID_PHONE)
    label = _CODE_LABELS.get(name)
    return too_long_message(
        label=str(label) if label is not None else field_label(name), limit=limit, length=len(text)
    )


def parse_case_in(data: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """(clean values, field errors) of a decoded JSON body."""
    if not isinstance(data, dict):
        return {}, {"non_field_errors": [_("请求体须为 JSON 对象")]}
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    kind = data.get("kind")
    if kind is None:
        errors["kind"] = [_("此项为必填项")]
    elif not isinstance(kind, str) or kind not in _KINDS:
        errors["kind"] = [_("类型取值：inquiry、help、complaint、suggestion")]
    else:
        clean["kind"] = kind
    for name, (required, limit) in TEXT_FIELDS.items():
        value = data.get(name)
        if value is None:
            if required:
                errors[name] = [_("此项为必填项")]
            continue
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            errors[name] = [_("格式不正确")]
            continue
        text = str(value).strip()
        problem = _character_problem(name, text)
        if problem is not None:
            errors[name] = [problem]
        elif required and not text:
            errors[name] = [_("此项不能为空")]
        elif (too_long := _length_problem(name, text, limit)) is not None:
            errors[name] = [too_long]
        else:
            clean[name] = text
    for name, default in BOOL_FIELDS.items():
        value = data.get(name, default)
        if isinstance(value, str):
            value = value.strip()
        if not isinstance(value, (bool, int, str)):  # lists and objects are unhashable
            errors[name] = [_("须为布尔值（true 或 false）")]
        elif value in _TRUE:
            clean[name] = True
        elif value in _FALSE:
            clean[name] = False
        else:
            errors[name] = [_("须为布尔值（true 或 false）")]
    return clean, errors
