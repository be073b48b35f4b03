"""Binding an authenticator (TOTP) to an account, only with a code from the security administrator.

Knowing the password is not enough to enrol: whoever enrols first would own the second factor
(trust on first use). The security administrator issues a one-time enrolment code out of band;
only a keyed hash is stored, it expires after OTP_ENROLMENT_CODE_HOURS and is spent when
accepted. The new device's secret lives in the user's session until a first TOTP code confirms
it, so no page view ever creates a device.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts.models import EnrolmentCode, User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record

# No 0/O, 1/I/L: the code is read aloud or copied from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # about 59 bits; the code is also short-lived and single use


def _normalize(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def _hash(code: str) -> str:
    return salted_hmac(
        "liaison.accounts.enrolment", _normalize(code), algorithm="sha256"
    ).hexdigest()


def _format(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def enrolment_code_issue(*, actor: User | None, user: User) -> str:
    """Issue a new enrolment code for `user` (earlier unused ones stop working); returns the
    code, which is never stored and must be handed over now. `actor` None: the command line.
    The caller checks that `actor` may do this."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    expires_at = timezone.now() + datetime.timedelta(hours=settings.OTP_ENROLMENT_CODE_HOURS)
    with transaction.atomic():
        EnrolmentCode.objects.filter(user=user, used_at__isnull=True).delete()
        EnrolmentCode.objects.create(
            user=user, code_hash=_hash(raw), created_by=actor, expires_at=expires_at
        )
        audit_record(
            actor=actor,
            action=AuditAction.SECURITY,
            obj=user,
            after={"expires_at": expires_at},
            note=_("签发动态验证码绑定码"),
        )
    return _format(raw)


def enrolment_code_redeem(*, user: User, code: str) -> bool:
    """Spend a valid enrolment code of `user`; False (and nothing changes) for any other code."""
    digest = _hash(code)
    now = timezone.now()
    with transaction.atomic():
        candidates = EnrolmentCode.objects.select_for_update().filter(
            user=user, used_at__isnull=True, expires_at__gt=now
        )
        match = next((c for c in candidates if constant_time_compare(c.code_hash, digest)), None)
        if match is None:
            return False
        match.used_at = now
        match.save(update_fields=["used_at"])
        audit_record(actor=user, action=AuditAction.SECURITY, obj=user, note=_("使用绑定码"))
    return True


def new_secret() -> str:
    """A fresh TOTP secret (hex, 20 bytes), to keep in the session until it is confirmed."""
    return secrets.token_hex(20)


def unsaved_device(*, user: User, secret: str) -> TOTPDevice:
    """A device object for showing the QR code and secret; never saved here."""
    return TOTPDevice(user=user, name="default", key=secret, confirmed=False)


def second_factor_enrol(*, user: User, secret: str, token: str) -> TOTPDevice | None:
    """Create the user's confirmed device if `token` is the current code of `secret`."""
    device = unsaved_device(user=user, secret=secret)
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    if not token.isdigit() or not totp.verify(int(token), tolerance=device.tolerance):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device.confirmed = True
        device.last_t = totp.t()
        device.save()
        audit_record(actor=user, action=AuditAction.SECURITY, obj=user, note=_("绑定动态验证码"))
    return device
