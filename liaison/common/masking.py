"""Masking of personal data for display (138****1234)."""

from __future__ import annotations

import re

PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")


def mask_phone(phone: str) -> str:
    """Keep the first three and last four digits of a phone number."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_name(name: str) -> str:
    """Keep the family name: 张三 → 张*, 欧阳修 → 欧**."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_id_number(value: str) -> str:
    value = value.strip()
    if len(value) < 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def mask_text(text: str) -> str:
    """Mask phone and ID numbers that appear inside free text."""
    text = ID_RE.sub(lambda m: m.group(1)[:4] + "*" * 10 + m.group(3)[-4:], text)
    return PHONE_RE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
