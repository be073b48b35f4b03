"""The intake request, declared once: every field a submission carries, its type, whether it is
required, its most characters, its choices and its Chinese name.

Everything that reads a submission derives from `FIELDS` instead of restating a number: the
OpenAPI schema of `POST /api/v1/public/cases` (`api_public.CaseInSerializer` is generated from
it), the public API's parser (`api_input.parse_case_in`), the intake checks every channel passes
(`services/intake_checks.py`: `TEXT_LIMITS`, the labels in the messages), the phone form and the
staff intake form (`forms_h5.py`, `forms_staff.py`) and the 12345 import's limits
(`importing/`). `test_intake_spec.py` proves the schema, the parser and the forms agree on every
field. The business rules (consent, phone format, station status) stay in the intake checks;
this module only says what a field is.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from django.utils.translation import gettext_lazy as _

from liaison.cases.models import Kind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_TITLE: Final = 100
MAX_CONTENT: Final = 5_000
MAX_PLACE: Final = 200
MAX_NAME: Final = 50
MAX_TOKEN: Final = 64
MAX_CODE: Final = 16  # a station's or deputy's public code (the QR code's)
# Room for a number written "+86 (138) 0013-8000"; what it must be is the intake checks' rule.
MAX_PHONE: Final = 30
MAX_IMAGES: Final = 6
# The source's own reference (a 12345 work-order number), staff intake and import only.
MAX_CHANNEL_REF: Final = 64
INVALID_PHONE: Final = _("请填写正确的 11 位手机号码")


class FieldType(enum.StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    BOOL = "bool"


@dataclass(frozen=True)
class IntakeField:
    """One field of the intake request."""

    name: str
    type: FieldType
    label: StrOrPromise  # the field's Chinese name in messages ("标题最多 100 字…")
    required: bool = False
    max_length: int | None = None  # TEXT only
    # TEXT: free text a person types, counted as the person counts (a CRLF is one character)
    # and checked with the "最多 n 字，您输入了 m 字" message on every face (`TEXT_LIMITS`).
    counted: bool = False
    multiline: bool = False  # line breaks and tabs belong here (refused elsewhere)
    # TEXT: what a too-long value is told when "最多 n 字" would be the wrong words.
    too_long: StrOrPromise | None = None
    choices: tuple[tuple[str, StrOrPromise], ...] = ()  # CHOICE only
    invalid_choice: StrOrPromise = ""  # CHOICE only
    default: bool = False  # BOOL only: the value when the field is absent


FIELDS: Final[tuple[IntakeField, ...]] = (
    IntakeField("station_code", FieldType.TEXT, _("联络站码"), max_length=MAX_CODE),
    IntakeField("deputy_code", FieldType.TEXT, _("代表码"), max_length=MAX_CODE),
    IntakeField(
        "kind",
        FieldType.CHOICE,
        _("类型"),
        required=True,
        choices=tuple(Kind.choices),
        invalid_choice=_("类型取值：inquiry、help、complaint、suggestion"),
    ),
    IntakeField(
        "title", FieldType.TEXT, _("标题"), required=True, max_length=MAX_TITLE, counted=True
    ),
    IntakeField(
        "content",
        FieldType.TEXT,
        _("意见内容"),
        required=True,
        max_length=MAX_CONTENT,
        counted=True,
        multiline=True,
    ),
    IntakeField("place", FieldType.TEXT, _("地点"), max_length=MAX_PLACE, counted=True),
    IntakeField("contact_name", FieldType.TEXT, _("姓名"), max_length=MAX_NAME, counted=True),
    IntakeField(
        "contact_phone",
        FieldType.TEXT,
        _("手机号"),
        max_length=MAX_PHONE,
        too_long=INVALID_PHONE,
    ),
    IntakeField("is_anonymous", FieldType.BOOL, _("匿名反映"), default=False),
    IntakeField("allow_publish", FieldType.BOOL, _("同意在民情回音墙公开"), default=False),
    # The API's caller gives consent on the person's behalf (decision 0006); the forms ask.
    IntakeField("consent", FieldType.BOOL, _("同意个人信息保护告知"), default=True),
    IntakeField("client_token", FieldType.TEXT, _("提交标识"), max_length=MAX_TOKEN),
)
BY_NAME: Final = {f.name: f for f in FIELDS}
# The most characters of each free-text field, as a person counts them.
TEXT_LIMITS: Final[dict[str, int]] = {
    f.name: f.max_length for f in FIELDS if f.counted and f.max_length is not None
}
MULTI_LINE_FIELDS: Final = frozenset(f.name for f in FIELDS if f.multiline)
LABELS: Final = {f.name: f.label for f in FIELDS}
# The API's wording of the type-independent problems (kept as the serializer had them).
REQUIRED: Final = _("此项为必填项")
BLANK: Final = _("此项不能为空")
INVALID: Final = _("格式不正确")
NOT_BOOLEAN: Final = _("须为布尔值（true 或 false）")


def max_length(name: str) -> int:
    """The most characters field `name` takes (for a form field's `max_length`)."""
    limit = BY_NAME[name].max_length
    assert limit is not None, name
    return limit


def choices(name: str) -> list[tuple[str, StrOrPromise]]:
    """The choices of field `name` (for a form's ChoiceField)."""
    return list(BY_NAME[name].choices)
