"""Text preparation shared by training and prediction.

Every message goes through the same steps so the model sees at prediction time exactly what it saw
in training: missing fields become empty strings, very long fields are cut (the first few thousand
characters carry the topic; a 50,000-character paste must not slow a batch down), full-width forms
are folded to half-width (NFKC), Latin letters are lower-cased, every run of digits becomes ``0``
(house numbers and dates carry no category) and whitespace is collapsed.
"""

from __future__ import annotations

import re
import unicodedata

MAX_TITLE_CHARS = 200
MAX_DETAIL_CHARS = 3000

_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
# NFKC folds full-width ASCII (U+FF01–U+FF5E) and the ideographic space to plain ASCII. Doing just
# that first (Chinese text is full of "，") lets most messages skip the ~4× slower full NFKC pass;
# the result is the same as NFKC of the original.
_FULL_WIDTH = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
_FULL_WIDTH_CHAR = re.compile("[\uff01-\uff5e\u3000]")
# C0/C1 control characters other than whitespace (stray bytes from copy and paste).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def as_text(value: object) -> str:
    """`None` and other non-strings become text; never raises."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _fold(match: re.Match[str]) -> str:
    return _FULL_WIDTH[match.group()]


def normalize(value: object, limit: int) -> str:
    """Normalise one field and keep at most `limit` characters of it."""
    text = _FULL_WIDTH_CHAR.sub(_fold, as_text(value)[: limit * 2])
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.lower()
    text = _CONTROL.sub(" ", text)
    text = _DIGITS.sub("0", text)
    return _SPACE.sub(" ", text).strip()[:limit]


def prepare(title: object, detail: object) -> tuple[str, str]:
    """Return the two views the model reads: the title alone, and title plus detail."""
    head = normalize(title, MAX_TITLE_CHARS)
    body = normalize(detail, MAX_DETAIL_CHARS)
    return head, f"{head} {body}".strip()
