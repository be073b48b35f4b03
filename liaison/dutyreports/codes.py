"""The one-time rating codes of a report (decision 0034).

A code is derived from the server's secret, the report's random token and its line number, so
the sign-in sheet can be printed again without storing any code; the database keeps a keyed hash
of each code only, so a copy of the database does not give anyone a code to rate with.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Final

from django.conf import settings

CODE_DIGITS: Final = 8
_NON_DIGITS: Final = re.compile(r"\D")


def _mac(label: str, message: str) -> bytes:
    key = hashlib.sha256(f"liaison.dutyreports.{label}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def code_for(token: str, number: int) -> str:
    """The code printed on line `number` of the report's sheet: eight digits (a phone's keypad)."""
    value = int.from_bytes(_mac("code", f"{token}:{number}")[:8], "big")
    return str(value % 10**CODE_DIGITS).zfill(CODE_DIGITS)


def code_hash(token: str, code: str) -> str:
    """What the database keeps of a code."""
    return _mac("hash", f"{token}:{code}").hex()


def code_normalise(raw: str) -> str:
    """The code as typed, without spaces or dashes (the sheet prints it as 1234 5678)."""
    return _NON_DIGITS.sub("", raw or "")[: CODE_DIGITS + 1]


def code_display(code: str) -> str:
    return f"{code[:4]} {code[4:]}"
