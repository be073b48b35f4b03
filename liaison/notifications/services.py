"""Telling people: the in-app inbox for staff, SMS / WeChat / e-mail through backends.

Callers in a transaction wrap these in `transaction.on_commit` so that nobody hears of a move that
was rolled back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from liaison.accounts.models import User
from liaison.notifications.backends import SUBJECT_HEADER, MessageBackend
from liaison.notifications.models import Notification, OutboundMessage
from liaison.notifications.subjects import SubjectLike, subject_fields, subject_of

logger = logging.getLogger("liaison.notifications")

MAX_TITLE = 200
MAX_URL = 300


def _user_ids(users: Iterable[User | int]) -> list[int]:
    ids = {u if isinstance(u, int) else u.pk for u in users}
    return sorted(i for i in ids if i is not None)


def notify_users(
    *,
    users: Iterable[User | int],
    title: str,
    body: str = "",
    url: str = "",
    subject: SubjectLike = None,
) -> int:
    """Put one inbox message per user (duplicates removed) in a single insert; the count.
    `subject` is the row the message is about (read back with `.about(row)`)."""
    ids = _user_ids(users)
    if not ids:
        return 0
    about = subject_fields(subject)
    rows = [
        Notification(user_id=i, title=title[:MAX_TITLE], body=body, url=url[:MAX_URL], **about)
        for i in ids
    ]
    Notification.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def notify_many(messages: Iterable[Notification]) -> int:
    """Insert prepared inbox messages in bulk (the escalation job builds them per batch, each
    with `**subject_fields(row)`)."""
    rows = list(messages)
    Notification.objects.bulk_create(rows, batch_size=500)
    return len(rows)


@lru_cache(maxsize=8)
def _backend(path: str) -> MessageBackend:
    backend = import_string(path)()
    if not isinstance(backend, MessageBackend):
        raise TypeError(f"{path} is not a liaison.notifications.backends.MessageBackend")
    return backend


def send_sms(
    *, phone: str, body: str, subject: SubjectLike = None, secrets: Sequence[str] = ()
) -> OutboundMessage | None:
    """Send an SMS through SMS_BACKEND; None when there is no number to send to. `secrets` (a
    PIN) are sent but kept out of the outbox and the log."""
    phone = (phone or "").strip()
    if not phone:
        return None
    return _backend(settings.SMS_BACKEND).send(
        recipient=phone, body=body, subject=subject_of(subject), secrets=secrets
    )


def send_wechat(*, openid: str, body: str, subject: SubjectLike = None) -> OutboundMessage | None:
    """Send a WeChat message through WECHAT_BACKEND; None without a recipient."""
    openid = (openid or "").strip()
    if not openid:
        return None
    return _backend(settings.WECHAT_BACKEND).send(
        recipient=openid, body=body, subject=subject_of(subject)
    )


def send_email(*, to: Iterable[str], title: str, body: str, subject: SubjectLike = None) -> int:
    """Send an e-mail through Django's EMAIL_BACKEND (LoggingEmailBackend by default). The subject
    line is `title` (as in the inbox): `subject` is, as everywhere here, the row it is about,
    which travels in a header (`SUBJECT_HEADER`) so that the outbox records it."""
    recipients = [r.strip() for r in to if r and r.strip()]
    if not recipients:
        return 0
    headers = {}
    reference = subject_of(subject)
    if reference is not None:
        headers[SUBJECT_HEADER] = str(reference)
    message = EmailMessage(subject=title, body=body, to=recipients, headers=headers)
    try:
        # The default mailer: MAILERS["default"], or EMAIL_BACKEND where MAILERS is not set.
        return int(message.send() or 0)
    except Exception:  # a mail server failure must not break the caller
        logger.exception("e-mail delivery failed")
        return 0


# --- the inbox ---------------------------------------------------------------------------------


def notification_mark_read(*, user: User, pk: int) -> bool:
    """Mark one of the user's messages read; False when it is not theirs or already read."""
    updated = Notification.objects.filter(user=user, pk=pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return bool(updated)


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread message of the user read; the count."""
    unread: QuerySet[Notification] = Notification.objects.filter(user=user, read_at__isnull=True)
    return unread.update(read_at=timezone.now())
