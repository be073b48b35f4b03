"""Parsing the body of `POST /api/v1/public/cases` without a DRF serializer.

The public intake endpoint is the platform's hottest write. A DRF serializer deep-copies its
fields on every request and costs about as much as the insert itself, so the body is parsed here
by plain code walking the one declaration of the intake request (`intake_spec.FIELDS`), from
which the documented schema (`api_public.CaseInSerializer`) is generated too.
The business rules (consent, phone, station status) live in `case_submit`; this only checks
types, sizes (the free-text limits through the intake checks' `text_length_problem`, so the
message is the phone form's) and characters (control characters are refused here with the same
message as the intake checks, through `text_field_problem`, so that nothing the journal keeps can
fail to become a case).
"""

from __future__ import annotations

from typing import Any, Final

from django.utils.translation import gettext as _

from liaison.cases.intake_spec import (
    BLANK,
    FIELDS,
    INVALID,
    NOT_BOOLEAN,
    REQUIRED,
    FieldType,
    IntakeField,
)
from liaison.cases.services.intake_checks import (
    text_field_problem,
    text_length_problem,
    too_long_message,
)

# Checked choices first, then texts, then booleans: the order of the keys of an error body.
_CHOICE: Final = tuple(f for f in FIELDS if f.type is FieldType.CHOICE)
_TEXT: Final = tuple(f for f in FIELDS if f.type is FieldType.TEXT)
_BOOL: Final = tuple(f for f in FIELDS if f.type is FieldType.BOOL)
# Computed once: building the set of values on every request costs more than the check.
_CHOICE_VALUES: Final = {f.name: frozenset(value for value, _label in f.choices) for f in _CHOICE}
# What DRF's BooleanField accepts (True == 1 and False == 0 in a set).
_TRUE: Final = {True, "1", "true", "True", "TRUE", "on", "yes"}
_FALSE: Final = {False, "0", "false", "False", "FALSE", "off", "no", ""}


def _length_problem(field: IntakeField, text: str) -> str | None:
    if field.counted:
        return text_length_problem(field.name, text)  # counts a CRLF as one, as the form does
    assert field.max_length is not None
    if len(text) <= field.max_length:
        return None
    if field.too_long is not None:
        return str(field.too_long)
    return too_long_message(label=str(field.label), limit=field.max_length, length=len(text))


def _text(field: IntakeField, value: Any) -> tuple[str | None, str | None]:
    """(clean text, None) or (None, the problem) of a present value."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None, str(INVALID)
    text = str(value).strip()
    problem = text_field_problem(field.name, text)
    if problem is None and field.required and not text:
        problem = str(BLANK)
    if problem is None:
        problem = _length_problem(field, text)
    return (text, None) if problem is None else (None, problem)


def _boolean(value: Any) -> bool | None:
    if isinstance(value, str):
        value = value.strip()
    if not isinstance(value, (bool, int, str)):  # lists and objects are unhashable
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


def parse_case_in(data: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """(clean values, field errors) of a decoded JSON body."""
    if not isinstance(data, dict):
        return {}, {"non_field_errors": [_("请求体须为 JSON 对象")]}
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for field in _CHOICE:
        value = data.get(field.name)
        if value is None:
            errors[field.name] = [str(REQUIRED)]
        elif not isinstance(value, str) or value not in _CHOICE_VALUES[field.name]:
            errors[field.name] = [str(field.invalid_choice)]
        else:
            clean[field.name] = value
    for field in _TEXT:
        value = data.get(field.name)
        if value is None:
            if field.required:
                errors[field.name] = [str(REQUIRED)]
            continue
        text, problem = _text(field, value)
        if problem is not None:
            errors[field.name] = [problem]
        else:
            clean[field.name] = text
    for field in _BOOL:
        flag = _boolean(data.get(field.name, field.default))
        if flag is None:
            errors[field.name] = [str(NOT_BOOLEAN)]
        else:
            clean[field.name] = flag
    return clean, errors
