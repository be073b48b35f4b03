"""Encryption at rest for personal data fields.

Values are stored as Fernet tokens; the key comes from FIELD_ENCRYPTION_KEY or, when unset, is
derived from SECRET_KEY so that the embedded demo needs no extra configuration.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@cache
def _fernet() -> Fernet:
    key = settings.FIELD_ENCRYPTION_KEY
    if not key:
        digest = hashlib.sha256(("liaison-field-key:" + settings.SECRET_KEY).encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return Fernet(key.encode() if isinstance(key, str) else key)


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        # Written before encryption was switched on, or with another key: never crash a page.
        return ""


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
