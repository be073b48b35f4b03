"""Outbound messages: masked recipients in the outbox, failures recorded, never raised."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings

from liaison.notifications.backends import MessageBackend, mask_recipient
from liaison.notifications.models import OutboundMessage
from liaison.notifications.services import send_email, send_sms, send_wechat

pytestmark = pytest.mark.django_db


class BrokenSMSBackend(MessageBackend):
    channel = OutboundMessage.Channel.SMS

    def deliver(self, *, recipient: str, body: str) -> None:
        raise RuntimeError("gateway down")


def test_sms_is_logged_with_masked_number(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="liaison.notifications"):
        message = send_sms(phone="13812345678", body="您的查询码 C123")
    assert message is not None
    assert message.ok
    assert message.recipient_masked == "138****5678"
    assert message.channel == "sms"
    assert "13812345678" not in caplog.text
    assert "138****5678" in caplog.text
    assert send_sms(phone="  ", body="x") is None


def test_wechat_is_recorded_masked() -> None:
    message = send_wechat(openid="oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", body="有新答复")
    assert message is not None
    assert message.recipient_masked == "oU***6o"


@override_settings(
    MAILERS={"default": {"BACKEND": "liaison.notifications.backends.LoggingEmailBackend"}}
)
def test_email_backend_records_masked_recipient() -> None:
    assert send_email(to=["zhangsan@example.cn"], title="督办", body="请尽快答复") == 1
    message = OutboundMessage.objects.get(channel="email")
    assert message.recipient_masked == "z***@example.cn"
    assert "督办" in message.body


def test_failing_gateway_is_recorded_not_raised() -> None:
    from liaison.notifications import services

    services._backend.cache_clear()
    with override_settings(SMS_BACKEND=f"{__name__}.BrokenSMSBackend"):
        message = send_sms(phone="13812345678", body="x")
    services._backend.cache_clear()
    assert message is not None
    assert not message.ok
    assert "gateway down" in message.error
    assert len(mail.outbox) == 0


@pytest.mark.parametrize(
    ("channel", "raw", "masked"),
    [
        ("sms", "13900001111", "139****1111"),
        ("email", "a@b.cn", "a***@b.cn"),
        ("wechat", "ab", "**"),
    ],
)
def test_mask_recipient(channel: str, raw: str, masked: str) -> None:
    assert mask_recipient(channel, raw) == masked


class GatewaySMSBackend(MessageBackend):
    """A gateway that delivers: it must get the whole text."""

    channel = OutboundMessage.Channel.SMS
    delivered: list[str] = []

    def deliver(self, *, recipient: str, body: str) -> None:
        self.delivered.append(body)


def test_a_pin_reaches_the_gateway_but_not_the_outbox() -> None:
    GatewaySMSBackend.delivered.clear()
    backend = GatewaySMSBackend()
    message = backend.send(
        recipient="13812345678",
        body="查询码 C2345 查询密码 482913 ?pin=482913",
        secrets=("482913",),
    )
    assert GatewaySMSBackend.delivered == ["查询码 C2345 查询密码 482913 ?pin=482913"]
    assert message.body == "查询码 C2345 查询密码 ****** ?pin=******"
    assert "482913" not in OutboundMessage.objects.get(pk=message.pk).body


def test_the_logging_backend_never_writes_a_pin(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="liaison.notifications"):
        message = send_sms(phone="13812345678", body="查询密码 482913", secrets=("482913",))
    assert message is not None
    assert message.body == "查询密码 ******"
    assert "482913" not in caplog.text
    assert "******" in caplog.text


def test_a_gateway_error_that_echoes_the_pin_is_redacted() -> None:
    class EchoingBackend(MessageBackend):
        channel = OutboundMessage.Channel.SMS

        def deliver(self, *, recipient: str, body: str) -> None:
            raise RuntimeError(f"rejected: {body}")

    message = EchoingBackend().send(recipient="13812345678", body="密码 482913", secrets=["482913"])
    assert not message.ok
    assert "482913" not in message.error
    assert "******" in message.error
