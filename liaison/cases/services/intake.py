"""Taking in a constituent's opinion (`case_submit`) from any channel, and checking its PIN.

Every channel (the public phone form, the public API, staff intake, bulk import) ends here, so the
rules live once: field limits with Chinese messages, consent for public channels, the station or
deputy the case is addressed to, image contents, and idempotency (the same `client_token`, or the
same `channel` + `channel_ref`, never makes a second case, not even under concurrent submits).
The public API checks here too (`intake_entry_submit` calls the same `validate_submission`) and
answers from its journal; its case is built later by the same `case_build` (intake_build.py).

Nothing accepted is lost: everything is validated before the first write, the case row and its
SUBMITTED event are written in one transaction, and a storage failure while saving a photo keeps
the text (the failure is logged and noted on the case for staff).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.accounts.scoping import memberships_of
from liaison.cases.classification import (
    classification_feedback_record,
    classification_hint,
)
from liaison.cases.intake_spec import MAX_CHANNEL_REF
from liaison.cases.models import Attachment, Case, EventKind
from liaison.cases.services.arrival import arrival_of, arrivals_notify_on_commit
from liaison.cases.services.common import add_event
from liaison.cases.services.intake_build import case_build, submitted_event
from liaison.cases.services.intake_checks import (  # noqa: F401 - re-exported for the faces
    PUBLIC_CHANNELS,
    normalize_phone,
    validate_submission,
)
from liaison.cases.workflow import CONSTITUENT, SYSTEM
from liaison.common.codes import is_well_formed, new_public_code
from liaison.common.fastinsert import insert_one
from liaison.common.uploads import CleanFile, clean_image
from liaison.deputies.models import Deputy
from liaison.regions.models import Region
from liaison.stations.models import Station
from liaison.taxonomy.models import Category

logger = logging.getLogger(__name__)

TRACKING_PREFIX: Final = "C"
# Codes handed out by the public API's journal (decision 0006); the entry's case keeps its code.
JOURNAL_PREFIX: Final = "A"
TRACKING_LENGTH: Final = 9  # 31**9 ≈ 2.6e13 codes: collisions are rare and retried.
PIN_LENGTH: Final = 6
CODE_ATTEMPTS: Final = 8


@dataclass(frozen=True)
class SubmitResult:
    """The case; the PIN (shown once, None when an earlier submit is returned); created or not."""

    case: Case
    pin: str | None
    created: bool


# --- codes and PINs -------------------------------------------------------------------------


def new_tracking_code(prefix: str = TRACKING_PREFIX) -> str:
    return new_public_code(prefix, TRACKING_LENGTH)


def normalize_tracking_code(raw: str) -> str:
    """Upper-case, spaces and dashes removed: what people type off an SMS."""
    return re.sub(r"[\s\-]", "", raw or "").upper()[:16]


def tracking_code_in(raw: str) -> str:
    """The tracking code `raw` is, as people type it (spaces, dashes, lower case), or ""."""
    code = normalize_tracking_code(raw)
    for prefix in (TRACKING_PREFIX, JOURNAL_PREFIX):
        if is_well_formed(code, prefix, TRACKING_LENGTH):
            return code
    return ""


def new_pin() -> str:
    return f"{secrets.randbelow(10**PIN_LENGTH):0{PIN_LENGTH}d}"


def pin_digest(*, tracking_code: str, pin: str) -> str:
    """HMAC-SHA256 (key: SECRET_KEY) of the PIN bound to its tracking code."""
    message = f"case-pin:{tracking_code}:{pin}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def case_pin_matches(*, case: Case, pin: str) -> bool:
    """True when `pin` is the case's PIN (constant-time comparison)."""
    pin = (pin or "").strip()
    if not case.pin_digest or len(pin) != PIN_LENGTH or not pin.isdigit():
        return False
    expected = pin_digest(tracking_code=case.tracking_code, pin=pin)
    return hmac.compare_digest(expected, case.pin_digest)


# --- the service -----------------------------------------------------------------------------


def _existing(*, client_token: str | None, channel: str, channel_ref: str) -> Case | None:
    if client_token:
        found = Case.objects.filter(client_token=client_token).first()
        if found is not None:
            return found
    if channel_ref:
        return Case.objects.filter(channel=channel, channel_ref=channel_ref).first()
    return None


def _actor_role(actor: User | None) -> str:
    if actor is None:
        return CONSTITUENT

    roles = sorted(m.role for m in memberships_of(actor))
    return roles[0] if roles else "staff"


@dataclass(frozen=True)
class PreparedImage:
    """An uploaded photo, re-encoded before the case's transaction (or None if that failed)."""

    name: str
    clean: CleanFile | None


def _prepare_images(images: Iterable[Any]) -> list[PreparedImage]:
    """Re-encode photos (EXIF/GPS dropped, orientation applied) outside the transaction: it costs
    0.1-0.3 s of CPU each, which must not hold the database's write lock."""
    prepared: list[PreparedImage] = []
    for image in images:
        name = str(getattr(image, "name", "") or "image")[-200:]
        try:
            # Checked by validate_submission already; max_bytes only bounds this second look.
            clean = clean_image(image, max_bytes=max(int(getattr(image, "size", 0) or 0), 1))
        except Exception:  # a photo that cannot be re-encoded must not lose the person's text
            logger.exception("could not re-encode image %r", name)
            clean = None
        prepared.append(PreparedImage(name, clean))
    return prepared


def _save_images(case: Case, images: Iterable[PreparedImage]) -> list[str]:
    """Store prepared photos under random names with the extension their content proves (the
    uploaded name is kept for display only); return the names that could not be stored."""
    failed: list[str] = []
    for image in images:
        if image.clean is None:
            failed.append(image.name)
            continue
        try:
            with transaction.atomic():
                attachment = Attachment(
                    case=case,
                    purpose=Attachment.Purpose.INTAKE,
                    original_name=image.name,
                    content_type=image.clean.content_type,
                    size=image.clean.size,
                )
                attachment.file.save(image.clean.random_name(), image.clean.as_file(), save=False)
                attachment.save()
        except Exception:  # storage trouble must not lose the person's text
            logger.exception("case %s: could not store image %r", case.tracking_code, image.name)
            failed.append(image.name)
    return failed


def send_tracking_sms(*, case_id: int, phone: str, pin: str) -> None:
    """Tell the person their code and PIN. The link carries the code only: a URL ends up in
    access logs, browser history and referrers, so the PIN is typed on the page."""
    try:
        from liaison.notifications.services import send_sms
    except ImportError:
        logger.warning("no SMS service yet; tracking code of case %s not sent", case_id)
        return
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return
    body = _(
        "【人大代表联络站】您反映的意见已收到。查询码 %(code)s，查询密码 %(pin)s。"
        "请妥善保管，可凭此查询办理进度。"
    ) % {"code": case.tracking_code, "pin": pin}
    base = getattr(settings, "PUBLIC_BASE_URL", "")
    if base:
        from django.urls import reverse

        path = reverse("cases_h5:track", kwargs={"code": case.tracking_code})
        body += f" {base.rstrip('/')}{path}"
    try:
        send_sms(phone=phone, body=body, subject=case, secrets=(pin,))
    except Exception:  # the case is saved; a failed SMS is logged, not raised
        logger.exception("case %s: sending the tracking SMS failed", case.tracking_code)


def case_submit(
    *,
    kind: str,
    title: str,
    content: str,
    channel: str,
    station: Station | None = None,
    deputy: Deputy | None = None,
    region: Region | None = None,
    category: Category | None = None,
    place: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    is_anonymous: bool = False,
    allow_publish: bool = False,
    consent: bool = False,
    images: Sequence[Any] = (),
    client_token: str | None = None,
    channel_ref: str = "",
    actor: User | None = None,
    submitted_at: datetime | None = None,
) -> SubmitResult:
    """Take in one opinion; the same client_token (or channel + channel_ref) returns the first."""
    client_token = (client_token or "").strip() or None
    channel_ref = (channel_ref or "").strip()[:MAX_CHANNEL_REF]
    images = list(images)
    try:
        clean = validate_submission(
            kind=kind,
            title=title,
            content=content,
            channel=channel,
            station=station,
            deputy=deputy,
            region=region,
            category=category,
            place=place,
            contact_name=contact_name,
            contact_phone=contact_phone,
            is_anonymous=is_anonymous,
            allow_publish=allow_publish,
            consent=consent,
            images=images,
            client_token=client_token,
        )
    except ValidationError:
        # A retry of a submission accepted earlier gets its case, even if the station has been
        # closed since or the client now sends something else.
        found = _existing(client_token=client_token, channel=channel, channel_ref=channel_ref)
        if found is not None:
            return SubmitResult(case=found, pin=None, created=False)
        raise
    pin = new_pin()
    received_at = timezone.now()
    created_by = actor if actor is not None and actor.is_authenticated else None
    hint, pending = None, True  # the classifier runs in the worker, not in this request
    if category is not None and created_by is not None:
        # Staff decide the category right now: keep what the model says next to their decision
        # (the feedback row compares the two). Staff intake is rare; the public path stays lean.
        hint = classification_hint(title=clean.title, content=clean.content)
        pending = False
    build = partial(
        case_build,
        submission=clean,
        channel=channel,
        received_at=received_at,
        submitted_at=submitted_at,
        channel_ref=channel_ref,
        client_token=client_token,
        category=category,
        created_by=created_by,
        hint=hint,
        hint_pending=pending,
    )
    prepared = _prepare_images(images)
    for _attempt in range(CODE_ATTEMPTS):
        code = new_tracking_code()
        case = build(tracking_code=code, pin_digest=pin_digest(tracking_code=code, pin=pin))
        try:
            _write(case, pin=pin, actor=actor, at=received_at, category=category, images=prepared)
        except IntegrityError:
            # Idempotency rests on the unique constraints, not on a lookup before every insert:
            # a replay, or a concurrent twin that won the race, lands here and gets the first.
            found = _existing(client_token=client_token, channel=channel, channel_ref=channel_ref)
            if found is not None:
                return SubmitResult(case=found, pin=None, created=False)
            if Case.objects.filter(tracking_code=code).exists():
                continue  # a random code drawn twice: draw again
            raise
        return SubmitResult(case=case, pin=pin, created=True)
    raise RuntimeError("could not allocate a unique tracking code")


def _write(
    case: Case,
    *,
    pin: str,
    actor: User | None,
    at: datetime,
    category: Category | None,
    images: list[PreparedImage],
) -> None:
    """The case, its SUBMITTED event, audit and photos in one transaction."""
    with transaction.atomic():
        insert_one(case)  # the hottest write: a precompiled INSERT (liaison/common/fastinsert.py)
        insert_one(submitted_event(case, role=_actor_role(actor), at=at))
        if category is not None and case.created_by is not None:
            # Staff chose the category while taking the case in: a decision like any other.
            classification_feedback_record(case=case, actor=case.created_by, category=category)
        if case.created_by is not None:
            from liaison.audit.services import audit_record

            audit_record(
                actor=actor, action="create", obj=case, region_code=case.region_id, note="录入"
            )
        failed = _save_images(case, images)
        if failed:
            add_event(
                case,
                EventKind.NOTE,
                actor=None,
                role=SYSTEM,
                note=_("%(n)d 张图片保存失败，请联系群众补充") % {"n": len(failed)},
                data={"failed_images": failed},
                public=False,
            )
        if case.contact_phone:
            phone, case_id = case.contact_phone, case.pk
            transaction.on_commit(lambda: send_tracking_sms(case_id=case_id, phone=phone, pin=pin))
        # The station's staff and the deputy addressed hear of it once it is committed.
        arrivals_notify_on_commit([arrival_of(case)])
