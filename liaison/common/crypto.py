"""Encryption at rest for personal data fields.

Values are stored as Fernet tokens; the key comes from FIELD_ENCRYPTION_KEY or, when unset, is
derived from SECRET_KEY so that the embedded demo needs no extra configuration.
"""

from __future__ import annotations

import base64
import hashlib
import os
from functools import cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models


def _field_key() -> bytes:
    key = settings.FIELD_ENCRYPTION_KEY
    if not key:
        digest = hashlib.sha256(("liaison-field-key:" + settings.SECRET_KEY).encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return key.encode() if isinstance(key, str) else key


@cache
def _fernet() -> Fernet:
    return Fernet(_field_key())


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        # Written before encryption was switched on, or with another key: never crash a page.
        return ""


@cache
def _aead() -> AESGCM:
    # Its own key, derived from the Fernet key, so that one key never serves two ciphers.
    digest = hashlib.sha256(b"liaison-seal:" + _field_key()).digest()
    return AESGCM(digest)


def seal(value: str) -> str:
    """AES-GCM under the field key: a tenth of Fernet's cost, for short-lived rows written on the
    busiest path (the intake journal). Authenticated: `unseal` refuses a changed token."""
    nonce = os.urandom(12)
    return base64.urlsafe_b64encode(nonce + _aead().encrypt(nonce, value.encode(), None)).decode()


def unseal(token: str) -> str:
    """The text `seal` sealed; ValueError when it was changed or sealed under another key."""
    try:
        raw = base64.urlsafe_b64decode(token.encode())
        return _aead().decrypt(raw[:12], raw[12:], None).decode()
    except (InvalidTag, ValueError, TypeError) as exc:
        raise ValueError("cannot unseal") from exc


class EncryptedTextField(models.TextField):
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
