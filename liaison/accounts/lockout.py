"""Failed staff logins: counted per key, answered with a growing pause, checked before hashing.

Three keys are counted for every failure (rows of `LoginThrottle`):

- a user name from one address (`pair`): the tight limit, the one that stops guessing;
- one address over all user names (`address`): stops one machine spraying many accounts;
- one user name over all addresses (`username`): a high limit that slows a distributed guess.

After a key's free failures each further failure earns a pause of 1, 2, 4 … minutes (capped); a
pause ends by itself, nothing is locked for good. An address the user logged in from recently is
"known" for that user: failures from it count only on the pair, and the address and user-name
pauses do not apply to it, so a stranger cannot keep the owner out of the office. Every check
runs before the password hash is computed, so a refused attempt costs one indexed read.

Counters are rows updated under `select_for_update` inside one transaction (the default cache's
`incr` is get + set, which loses counts under concurrency); keys are always locked in the order
pair → address → user name, so two failures cannot deadlock.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import LoginThrottle
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record

Kind = LoginThrottle.Kind


@dataclass(frozen=True)
class Refusal:
    """A login attempt that must wait; `until` is when the longest pause that applies ends."""

    until: datetime.datetime

    def minutes(self, now: datetime.datetime | None = None) -> int:
        seconds = (self.until - (now or timezone.now())).total_seconds()
        return max(1, int((seconds + 59) // 60))

    @property
    def message(self) -> str:
        return _("登录失败次数过多，请 %(n)d 分钟后再试；如需立即登录，请联系安全管理员。") % {
            "n": self.minutes()
        }


def username_key(raw: str) -> str:
    """The user name as counted: NFKC, stripped and lower-cased, so case tricks count together."""
    return unicodedata.normalize("NFKC", raw or "").strip().lower()[:150]


def _free_failures(kind: str) -> int:
    return {
        Kind.PAIR: settings.LOGIN_PAIR_FREE_FAILURES,
        Kind.ADDRESS: settings.LOGIN_ADDRESS_FREE_FAILURES,
        Kind.USERNAME: settings.LOGIN_USERNAME_FREE_FAILURES,
    }[Kind(kind)]


def _is_known(pair: LoginThrottle | None, now: datetime.datetime) -> bool:
    if pair is None or pair.succeeded_at is None:
        return False
    return pair.succeeded_at >= now - datetime.timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS)


def _key_filter(*, username: str, address: str) -> Q:
    return (
        Q(kind=Kind.PAIR, username=username, address=address)
        | Q(kind=Kind.ADDRESS, username="", address=address)
        | Q(kind=Kind.USERNAME, username=username, address="")
    )


def _pause_that_applies(
    rows: Iterable[LoginThrottle], now: datetime.datetime
) -> datetime.datetime | None:
    rows = list(rows)
    pair = next((r for r in rows if r.kind == Kind.PAIR), None)
    known = _is_known(pair, now)
    ends = [
        r.blocked_until
        for r in rows
        if r.blocked_until is not None
        and r.blocked_until > now
        and (r.kind == Kind.PAIR or not known)
    ]
    return max(ends) if ends else None


def login_refusal(
    *, username: str, address: str, now: datetime.datetime | None = None
) -> Refusal | None:
    """Whether a login attempt must wait, decided with one read and no password hash."""
    now = now or timezone.now()
    rows = LoginThrottle.objects.filter(
        _key_filter(username=username_key(username), address=address)
    )
    until = _pause_that_applies(rows, now)
    return Refusal(until) if until is not None else None


def _expiry(row: LoginThrottle) -> datetime.datetime:
    moments = [timezone.now()]
    if row.last_failure_at is not None:
        memory = datetime.timedelta(hours=settings.LOGIN_FAILURE_MEMORY_HOURS)
        moments.append(row.last_failure_at + memory)
    if row.blocked_until is not None:
        moments.append(row.blocked_until)
    if row.succeeded_at is not None:
        moments.append(
            row.succeeded_at + datetime.timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS)
        )
    return max(moments)


def _locked_row(*, kind: str, username: str, address: str) -> LoginThrottle:
    """The key's row, locked until the transaction ends; a new key first clears expired rows,
    which keeps the table as small as the keys that still matter."""
    now = timezone.now()
    row = (
        LoginThrottle.objects.select_for_update()
        .filter(kind=kind, username=username, address=address)
        .first()
    )
    if row is not None:
        return row
    LoginThrottle.objects.filter(expires_at__lt=now).delete()
    row, _created = LoginThrottle.objects.select_for_update().get_or_create(
        kind=kind, username=username, address=address, defaults={"expires_at": now}
    )
    return row


def _count_failure(row: LoginThrottle, now: datetime.datetime) -> bool:
    """Add one failure to a locked row; True when this failure started a new pause."""
    memory = datetime.timedelta(hours=settings.LOGIN_FAILURE_MEMORY_HOURS)
    if row.last_failure_at is None or row.last_failure_at < now - memory:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    started = False
    beyond = row.failures - _free_failures(row.kind)
    if beyond >= 0:
        minutes = min(
            settings.LOGIN_BACKOFF_MAX_MINUTES,
            settings.LOGIN_BACKOFF_FIRST_MINUTES * 2 ** min(beyond, 30),
        )
        started = row.blocked_until is None or row.blocked_until <= now
        row.blocked_until = now + datetime.timedelta(minutes=minutes)
    row.expires_at = _expiry(row)
    row.save()
    return started


def login_failure_record(
    *, username: str, address: str, now: datetime.datetime | None = None
) -> Refusal | None:
    """Count a failed password for the typed name from `address`; return the pause it earned.

    Unknown names are counted exactly like real ones, so the answer does not tell them apart.
    """
    now = now or timezone.now()
    name = username_key(username)
    with transaction.atomic():
        pair = _locked_row(kind=Kind.PAIR, username=name, address=address)
        rows = [pair]
        if not _is_known(pair, now):
            rows.append(_locked_row(kind=Kind.ADDRESS, username="", address=address))
            rows.append(_locked_row(kind=Kind.USERNAME, username=name, address=""))
        started = [row for row in rows if _count_failure(row, now)]
        audit_record(
            actor=None,
            action=AuditAction.LOGIN_FAILED,
            object_type="accounts.user",
            object_id=name[:50],
            object_label=name[:200],
            note=_("密码错误")
            + "".join(
                _("；%(kind)s暂停登录至 %(t)s")
                % {
                    "kind": row.get_kind_display(),
                    "t": timezone.localtime(row.blocked_until).strftime("%H:%M"),
                }
                for row in started
                if row.blocked_until is not None
            ),
        )
    until = _pause_that_applies(rows, now)
    return Refusal(until) if until is not None else None


def login_success_record(
    *, username: str, address: str, now: datetime.datetime | None = None
) -> None:
    """Forget the pair's failures and remember the address as known for the user.

    The address and user-name counters stay: a login to the attacker's own account must not
    wipe what the attacker's address did to other accounts.
    """
    now = now or timezone.now()
    with transaction.atomic():
        pair = _locked_row(kind=Kind.PAIR, username=username_key(username), address=address)
        pair.failures = 0
        pair.blocked_until = None
        pair.last_failure_at = None
        pair.succeeded_at = now
        pair.expires_at = _expiry(pair)
        pair.save()


def login_pauses_clear(*, username: str) -> int:
    """Delete the user name's counters (every address); the caller checks and audits."""
    count, _detail = LoginThrottle.objects.filter(
        kind__in=[Kind.PAIR, Kind.USERNAME], username=username_key(username)
    ).delete()
    return count
