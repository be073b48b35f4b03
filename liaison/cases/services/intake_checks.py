"""Checking a submission before anything is written (used by services.intake.case_submit).

All problems are collected and raised together as one ValidationError keyed by field, with
Chinese messages, so every face (form, API, import report) can show them next to the field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.cases.intake_spec import (  # noqa: F401 - re-exported for the services and faces
    INVALID_PHONE,
    LABELS,
    MAX_CHANNEL_REF,
    MAX_CONTENT,
    MAX_IMAGES,
    MAX_NAME,
    MAX_PLACE,
    MAX_TITLE,
    MAX_TOKEN,
    MULTI_LINE_FIELDS,
    TEXT_LIMITS,
)
from liaison.cases.models import Channel, Kind
from liaison.cases.services.intake_build import Submission
from liaison.common.images import validate_image_upload
from liaison.common.text import text_problem
from liaison.deputies.models import Deputy, StationDeputy
from liaison.jurisdiction.selectors import setting_value
from liaison.regions.models import Region
from liaison.stations.models import Station, StationStatus
from liaison.taxonomy.models import Category

# Channels where the person fills the form themselves and must agree to the PIPL notice.
PUBLIC_CHANNELS: Final = frozenset({Channel.QR, Channel.WEB, Channel.API})
MOBILE_RE: Final = re.compile(r"^1[3-9]\d{9}$")
# Computed once: an enum's `.values` builds its list (with lazy labels) on every access.
_KINDS: Final = frozenset(Kind.values)
_CHANNELS: Final = frozenset(Channel.values)
# Field labels (translated only when a message needs one), the fields where line breaks and tabs
# belong (liaison/common/text.py refuses them elsewhere) and the most characters each free-text
# field takes: all from the one declaration of the intake request (liaison/cases/intake_spec.py).
# No face cuts a text silently.
_LABELS: Final = LABELS


def normalize_phone(raw: str) -> str:
    """'+86 138-0013-8000' → '13800138000'; anything else is returned stripped of spaces/dashes."""
    phone = re.sub(r"[\s\-()（）]", "", raw or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    elif phone.startswith("0086"):
        phone = phone[4:]
    return phone


def is_invalid_phone(raw: str) -> bool:
    """A phone was given and is not an 11-digit mainland mobile number."""
    phone = normalize_phone(raw)
    return bool(phone) and not MOBILE_RE.match(phone)


class _Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: str, code: str) -> None:
        self.by_field.setdefault(field, []).append(ValidationError(message, code=code))

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def field_label(field: str) -> str:
    """The Chinese name of a submission field, as the messages say it."""
    return str(_LABELS[field])


def text_field_problem(field: str, value: str) -> str | None:
    """The control-character message for one submission field (the API's parser, the journal's
    move and the import ask the same question through here)."""
    return text_problem(value, label=str(_LABELS[field]), multiline=field in MULTI_LINE_FIELDS)


def normalize_text(field: str, value: str) -> str:
    """`value` stripped, with the CRLF a browser sends for each line break of a textarea made one
    LF: a person (and the form's live counter) counts a line break as one character."""
    value = (value or "").strip()
    return value.replace("\r\n", "\n") if field in MULTI_LINE_FIELDS else value


def too_long_message(*, label: str, limit: int, length: int) -> str:
    """The one wording of a too-long text on every face: the field, its limit, what was typed."""
    return _("%(label)s最多 %(n)d 字，您输入了 %(m)d 字，请精简后再提交") % {
        "label": label,
        "n": limit,
        "m": length,
    }


def text_length_problem(field: str, value: str) -> str | None:
    """The message when `value` is longer than `TEXT_LIMITS[field]` allows, else None."""
    value = normalize_text(field, value)
    limit = TEXT_LIMITS[field]
    if len(value) <= limit:
        return None
    return too_long_message(label=str(_LABELS[field]), limit=limit, length=len(value))


def _check_text(errors: _Errors, *, field: str, value: str, required: bool) -> str:
    value = normalize_text(field, value)
    label = _LABELS[field]
    problem = text_field_problem(field, value)
    if problem is not None:
        errors.add(field, problem, "control_character")
    elif required and not value:
        errors.add(field, _("请填写%(label)s") % {"label": label}, "required")
    elif (too_long := text_length_problem(field, value)) is not None:
        errors.add(field, too_long, "max_length")
    return value


def _deputy_station(deputy: Deputy) -> Station | None:
    """The active station the deputy currently sits at (resident before rota), if any."""

    today = timezone.localdate()
    assignment = (
        StationDeputy.objects.filter(deputy=deputy, station__status=StationStatus.ACTIVE)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today), starts_on__lte=today)
        .select_related("station__region")
        .order_by("kind", "starts_on", "id")  # "resident" sorts before "rota"
        .first()
    )
    return assignment.station if assignment is not None else None


def _resolve_place(
    errors: _Errors, *, station: Station | None, deputy: Deputy | None, region: Region | None
) -> tuple[Station | None, Region | None]:
    """Check the addressee and derive (station, region) for the case."""
    if station is not None and not station.is_public:
        errors.add("station", _("该联络站已停用，暂不能接收意见"), "inactive_station")
    if deputy is not None:
        if not deputy.is_active:
            errors.add("deputy", _("该代表已不在任，暂不能接收意见"), "inactive_deputy")
        elif station is None:
            station = _deputy_station(deputy)
    if station is not None:
        return station, station.region
    if deputy is not None and deputy.home_region_id and region is None:
        return None, deputy.home_region
    if region is None:
        errors.add("station", _("请选择要反映意见的联络站"), "required")
    return None, region


def _check_images(errors: _Errors, images: Sequence[Any], *, region: Region | None) -> None:
    if len(images) > MAX_IMAGES:
        errors.add("images", _("最多上传 %(n)d 张图片") % {"n": MAX_IMAGES}, "too_many")
        return
    if not images:
        return
    max_mb = int(setting_value(key="max_upload_mb", region=region))
    for number, image in enumerate(images, start=1):
        try:
            validate_image_upload(image, max_bytes=max_mb * 1024 * 1024)
        except ValidationError as exc:
            for message in exc.messages:
                errors.add(
                    "images",
                    _("第 %(n)d 张图片：%(msg)s") % {"n": number, "msg": message},
                    exc.code or "invalid_image",
                )


def validate_submission(
    *,
    kind: str,
    title: str,
    content: str,
    channel: str,
    station: Station | None,
    deputy: Deputy | None,
    region: Region | None,
    category: Category | None,
    place: str,
    contact_name: str,
    contact_phone: str,
    is_anonymous: bool,
    consent: bool,
    images: Sequence[Any],
    client_token: str | None,
    allow_publish: bool = False,
) -> Submission:
    """The submission as it will become a case, or one ValidationError naming every problem."""
    errors = _Errors()
    if kind not in _KINDS:
        errors.add("kind", _("请选择意见类型（咨询、求助、投诉或建议）"), "invalid_choice")
    if channel not in _CHANNELS:
        errors.add("channel", _("未知的来源渠道"), "invalid_choice")
    title = _check_text(errors, field="title", value=title, required=True)
    content = _check_text(errors, field="content", value=content, required=True)
    place = _check_text(errors, field="place", value=place, required=False)
    contact_name = _check_text(errors, field="contact_name", value=contact_name, required=False)
    station, region = _resolve_place(errors, station=station, deputy=deputy, region=region)
    phone = normalize_phone(contact_phone)
    phone_problem = text_field_problem("contact_phone", phone)
    if phone_problem is not None:
        errors.add("contact_phone", phone_problem, "control_character")
    elif is_invalid_phone(phone):
        errors.add("contact_phone", str(INVALID_PHONE), "invalid_phone")
    elif (
        not phone
        and not is_anonymous
        and region is not None
        and setting_value(key="require_contact_phone", region=region)
    ):
        errors.add("contact_phone", _("请填写手机号码，以便告知办理结果"), "required")
    if channel in PUBLIC_CHANNELS and not consent:
        errors.add("consent", _("请阅读并同意个人信息保护告知"), "required")
    if category is not None and not category.is_active:
        errors.add("category", _("该分类已停用，请重新选择"), "inactive_category")
    if client_token is not None and not (0 < len(client_token) <= MAX_TOKEN):
        errors.add("client_token", _("提交标识无效，请刷新页面后重试"), "invalid_token")
    elif client_token is not None and (problem := text_field_problem("client_token", client_token)):
        errors.add("client_token", problem, "control_character")
    _check_images(errors, images, region=region)
    errors.raise_if_any()
    assert region is not None  # _resolve_place reported the missing region
    return Submission(
        kind=kind,
        title=title,
        content=content,
        place=place,
        region_id=region.pk,
        station_id=station.pk if station is not None else None,
        deputy_id=deputy.pk if deputy is not None else None,
        contact_name="" if is_anonymous else contact_name,
        contact_phone=phone,
        is_anonymous=is_anonymous,
        allow_publish=allow_publish,
        consent=consent,
        region=region,
        station=station,
        deputy=deputy,
    )
