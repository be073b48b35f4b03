"""Outbound message backends: SMS, WeChat and e-mail.

The platform never talks to a gateway directly: `liaison.notifications.services.send_sms` (and
`send_wechat`, `send_email`) hand the message to the backend named in settings
(`SMS_BACKEND`, `WECHAT_BACKEND`, `EMAIL_BACKEND`) and record the attempt in `OutboundMessage`
with a masked recipient.

The defaults only log (an intranet demo has no gateway). A real gateway subclasses
`MessageBackend` and implements `deliver`:

    class AliyunSMSBackend(MessageBackend):
        channel = OutboundMessage.Channel.SMS

        def deliver(self, *, recipient: str, body: str) -> None:
            response = requests.post(..., timeout=5)
            if response.status_code != 200:
                raise DeliveryError(response.text[:200])

`deliver` raises `DeliveryError` (or any exception) on failure; `send` records the outcome and
never raises, so a broken gateway cannot undo the caller's write. E-mail goes through Django's own
mail backend API (`LoggingEmailBackend` is such a backend) so `send_mail` works everywhere.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import ClassVar

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from liaison.common.masking import mask_phone
from liaison.notifications.models import OutboundMessage
from liaison.notifications.subjects import Subject, subject_fields

logger = logging.getLogger("liaison.notifications")

# The e-mail header that carries what a message is about ("<label>:<pk>") from `send_email`
# through Django's mail API to the outbox row (`LoggingEmailBackend`).
SUBJECT_HEADER = "X-Liaison-Subject"


class DeliveryError(Exception):
    """The gateway refused or failed to take the message."""


def mask_recipient(channel: str, recipient: str) -> str:
    """138****1234 for phones, z***@example.cn for e-mail, the first and last 2 chars otherwise."""
    recipient = recipient.strip()
    if channel == OutboundMessage.Channel.SMS:
        return mask_phone(recipient)
    if channel == OutboundMessage.Channel.EMAIL and "@" in recipient:
        local, _, domain = recipient.partition("@")
        return f"{local[:1]}***@{domain}"
    if len(recipient) <= 4:
        return "*" * len(recipient)
    return f"{recipient[:2]}***{recipient[-2:]}"


class MessageBackend:
    """Base class of SMS and WeChat backends. Subclasses set `channel` and implement `deliver`."""

    channel: ClassVar[str] = OutboundMessage.Channel.SMS

    @property
    def name(self) -> str:
        return f"{type(self).__module__}.{type(self).__qualname__}"

    def deliver(self, *, recipient: str, body: str) -> None:
        raise NotImplementedError

    # A backend that only writes to the log delivers nothing: it gets the redacted text.
    writes_to_log: ClassVar[bool] = False

    def send(
        self,
        *,
        recipient: str,
        body: str,
        subject: Subject | None = None,
        secrets: Sequence[str] = (),
    ) -> OutboundMessage:
        """Deliver and record the attempt, with what it is about; never raises. `secrets` (a PIN)
        reach the person but neither the outbox nor a log."""
        shown = redact(body, secrets)
        ok, error = True, ""
        try:
            self.deliver(recipient=recipient, body=shown if self.writes_to_log else body)
        except Exception as exc:  # a gateway failure must not break the caller
            ok, error = False, redact(str(exc), secrets)[:500]
            logger.exception("%s delivery failed", self.channel)
        return OutboundMessage.objects.create(
            channel=self.channel,
            recipient_masked=mask_recipient(self.channel, recipient),
            body=shown,
            backend=self.name,
            ok=ok,
            error=error,
            **subject_fields(subject),
        )


def redact(text: str, secrets: Sequence[str]) -> str:
    """`text` with every secret replaced by asterisks of the same length."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "*" * len(secret))
    return text


class LoggingSMSBackend(MessageBackend):
    """Logs the SMS (recipient masked) instead of sending it."""

    channel = OutboundMessage.Channel.SMS
    writes_to_log = True

    def deliver(self, *, recipient: str, body: str) -> None:
        logger.info("SMS to %s: %s", mask_phone(recipient), body)


class LoggingWeChatBackend(MessageBackend):
    """Logs the WeChat template message instead of sending it."""

    channel = OutboundMessage.Channel.WECHAT
    writes_to_log = True

    def deliver(self, *, recipient: str, body: str) -> None:
        logger.info("WeChat to %s: %s", mask_recipient(self.channel, recipient), body)


class LoggingEmailBackend(BaseEmailBackend):
    """A Django e-mail backend that logs each message and records it in the outbox."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        count = 0
        for message in email_messages:
            recipients = ", ".join(
                mask_recipient(OutboundMessage.Channel.EMAIL, r) for r in message.recipients()
            )
            body = f"{message.subject}\n\n{message.body}"
            logger.info("E-mail to %s: %s", recipients, message.subject)
            header = str((message.extra_headers or {}).get(SUBJECT_HEADER, ""))
            OutboundMessage.objects.create(
                channel=OutboundMessage.Channel.EMAIL,
                recipient_masked=recipients[:100],
                body=body,
                backend=f"{type(self).__module__}.{type(self).__qualname__}",
                **subject_fields(Subject.parse(header)),
            )
            count += 1
        return count
