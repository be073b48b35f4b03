"""Text helpers of the moves: input limits, public (masked) notes, SMS to the submitters."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from liaison.cases.models import Case
from liaison.cases.services.common import after_commit, tracking_url
from liaison.common.masking import mask_name, mask_phone, mask_text
from liaison.notifications.services import send_sms


def clean_text(value: str | None, *, field: str, limit: int, required: str | None = None) -> str:
    """`value` stripped; ValidationError when required and empty or longer than `limit`."""
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: required})
    if len(text) > limit:
        raise ValidationError(
            {field: _("不能超过 %(n)s 字（现为 %(m)s 字）") % {"n": limit, "m": len(text)}}
        )
    return text


def public_text(case: Case, text: str) -> str:
    """`text` for the public timeline: phone and ID patterns and the submitter's own name and
    phone masked."""
    name = (case.contact_name or "").strip()
    phone = (case.contact_phone or "").strip()
    if len(name) >= 2:
        text = text.replace(name, mask_name(name))
    if len(phone) >= 5:
        text = text.replace(phone, mask_phone(phone))
    return mask_text(text)


def tell_submitters_later(
    case: Case,
    *,
    template: str,
    extra: dict[str, Any] | None = None,
    duplicates: bool = False,
) -> None:
    """After commit, SMS each submitter with a phone: this case's and (if asked) the cases
    merged into it. `template` takes %(code)s (each submitter's own tracking code) and %(url)s."""
    case_id = case.pk
    values = dict(extra or {})

    def send() -> None:

        rows = Case.objects.filter(pk=case_id)
        if duplicates:
            rows = rows | Case.objects.filter(merged_into_id=case_id)
        for row in rows.filter(personal_data_purged_at__isnull=True).only(
            "pk", "tracking_code", "contact_phone"
        ):
            if not row.contact_phone:
                continue
            body = template % {**values, "code": row.tracking_code, "url": tracking_url(row)}
            send_sms(phone=row.contact_phone, body=body, subject=row)

    after_commit(send)
