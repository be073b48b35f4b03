"""Encryption at rest for personal data fields.

Values are stored as Fernet tokens under the field keys: FIELD_ENCRYPTION_KEYS (newest first) or
FIELD_ENCRYPTION_KEY, kept apart from SECRET_KEY. The newest key encrypts; every key decrypts
(MultiFernet), and so does, last, the key derived from SECRET_KEY that earlier versions used when
no field key was set: installations that started without one keep reading their data, and
`manage.py rotate_field_key` moves it to the newest key. Without any field key the derived key
also encrypts, and the system check common.W101 warns in production.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
from functools import cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core import checks
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver

logger = logging.getLogger(__name__)

KEY_SETTINGS = frozenset({"FIELD_ENCRYPTION_KEYS", "FIELD_ENCRYPTION_KEY", "SECRET_KEY"})


def derived_field_key() -> bytes:
    """The key earlier versions derived from SECRET_KEY (read-only fallback, see module doc)."""
    digest = hashlib.sha256(("liaison-field-key:" + settings.SECRET_KEY).encode()).digest()
    return base64.urlsafe_b64encode(digest)


def configured_field_keys() -> list[bytes]:
    """The field keys from the settings, newest first (empty when none is set)."""
    keys = list(getattr(settings, "FIELD_ENCRYPTION_KEYS", None) or [])
    single = getattr(settings, "FIELD_ENCRYPTION_KEY", "")
    if not keys and single:
        keys = [single]
    return [k.strip().encode() if isinstance(k, str) else k for k in keys if k]


def field_keys() -> list[bytes]:
    """Every key that may have encrypted a stored value, the one that encrypts now first."""
    keys = configured_field_keys()
    derived = derived_field_key()
    if derived not in keys:
        keys.append(derived)
    return keys


@cache
def _fernet() -> MultiFernet:
    keys = field_keys()
    if not configured_field_keys() and not settings.DEBUG:
        logger.warning(
            "FIELD_ENCRYPTION_KEY is not set: personal data is encrypted with a key derived "
            "from SECRET_KEY (see docs/security.md)"
        )
    return MultiFernet([Fernet(key) for key in keys])


@cache
def _aead() -> tuple[AESGCM, ...]:
    # Each its own key, derived from a Fernet key, so that one key never serves two ciphers.
    return tuple(AESGCM(hashlib.sha256(b"liaison-seal:" + key).digest()) for key in field_keys())


@receiver(setting_changed)
def _keys_changed(*, setting: str, **kwargs: Any) -> None:
    # Tests override the keys; the ciphers are cached per process.
    if setting in KEY_SETTINGS:
        _fernet.cache_clear()
        _aead.cache_clear()


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        # Written before encryption was switched on, or with another key: never crash a page.
        return ""


def seal(value: str) -> str:
    """AES-GCM under the field key: a tenth of Fernet's cost, for short-lived rows written on the
    busiest path (the intake journal). Authenticated: `unseal` refuses a changed token."""
    nonce = os.urandom(12)
    sealed = _aead()[0].encrypt(nonce, value.encode(), None)
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(token: str) -> str:
    """The text `seal` sealed under any field key; ValueError when it was changed or sealed
    under a key this installation does not have."""
    try:
        raw = base64.urlsafe_b64decode(token.encode())
    except (ValueError, TypeError) as exc:
        raise ValueError("cannot unseal") from exc
    for aead in _aead():
        try:
            return aead.decrypt(raw[:12], raw[12:], None).decode()
        except (InvalidTag, ValueError, TypeError):
            continue
    raise ValueError("cannot unseal")


def is_current_token(token: str) -> bool:
    """Whether a Fernet token is under the key that encrypts now (rotation skips those)."""
    try:
        Fernet(field_keys()[0]).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def rotate_token(token: str) -> str:
    """The same value encrypted under the newest key; InvalidToken when no key opens it."""
    return _fernet().rotate(token.encode()).decode()


def reseal(token: str) -> str:
    """A sealed payload sealed again under the newest key (ValueError as `unseal`)."""
    raw = base64.urlsafe_b64decode(token.encode())
    try:
        _aead()[0].decrypt(raw[:12], raw[12:], None)
    except (InvalidTag, ValueError, TypeError):
        return seal(unseal(token))
    return token


@checks.register(checks.Tags.security, deploy=False)
def check_field_keys(**kwargs: Any) -> list[checks.CheckMessage]:
    """A field key must be valid; production must have one of its own (not SECRET_KEY's)."""
    messages: list[checks.CheckMessage] = []
    for index, key in enumerate(configured_field_keys()):
        try:
            Fernet(key)
        except ValueError:
            messages.append(
                checks.Error(
                    f"字段加密密钥第 {index + 1} 个格式不对：应为 32 字节的 URL 安全 Base64"
                    "（用 Fernet.generate_key() 生成）。",
                    id="common.E101",
                )
            )
    if not configured_field_keys() and not settings.DEBUG:
        messages.append(
            checks.Warning(
                "未设置 FIELD_ENCRYPTION_KEY（或 FIELD_ENCRYPTION_KEYS）：个人信息正用由 "
                "SECRET_KEY 派生的密钥加密，SECRET_KEY 泄露即个人信息泄露。",
                hint="生成独立密钥并设置后运行 manage.py rotate_field_key，见 docs/security.md。",
                id="common.W101",
            )
        )
    return messages


class EncryptedTextField(models.TextField[str, str]):
    """A text field whose database value is a Fernet token. Not searchable, by design."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str:
        if value in (None, ""):
            return ""
        return decrypt(value)

    def get_prep_value(self, value: Any) -> str:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return ""
        return encrypt(str(value))
