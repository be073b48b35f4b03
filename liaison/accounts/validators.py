from __future__ import annotations

import re
import string
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """At least three of: lower-case, upper-case, digits, symbols (等保 password complexity)."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。")
                % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。") % {
            "n": self.min_classes
        }


# Passwords published with the platform (the demo's) and words anyone would try first here: the
# platform's name in characters and pinyin, and the usual English ones. Matched inside the
# password after undoing look-alike digits and symbols (p@ssw0rd → password).
PUBLISHED_PASSWORDS = frozenset({"demo@2026"})
BANNED_WORDS = (
    "人大",
    "代表",
    "联络站",
    "智慧平台",
    "renda",
    "daibiao",
    "lianluo",
    "liaison",
    "password",
    "passwd",
    "admin",
    "qwerty",
    "welcome",
    "iloveyou",
)
# Keys next to each other on a keyboard, by rows and by columns (1qaz, 2wsx …).
KEYBOARD_LINES = (
    "`1234567890-=",
    "qwertyuiop[]\\",
    "asdfghjkl;'",
    "zxcvbnm,./",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/",
)
LOOK_ALIKES = str.maketrans(
    {"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t"}
)
YEAR_WORD = re.compile(r"^(?:[^\W\d_]+[\W_]*(?:19|20)\d\d|(?:19|20)\d\d[\W_]*[^\W\d_]+)[\W_]*$")


def _trivial_spans(text: str) -> list[tuple[int, int]]:
    """Spans of `text` (lower case) that add nothing: runs of one character (aaa), steps up or
    down (abc, 4321), keyboard lines (qwer, 1qaz) and years (19xx, 20xx)."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    i = 0
    while i < n:
        j = i + 1
        while j < n and text[j] == text[i]:
            j += 1
        if j - i >= 3:
            spans.append((i, j))
        i = j
    for step in (1, -1):
        i = 0
        while i < n:
            j = i + 1
            while j < n and text[j].isalnum() and ord(text[j]) - ord(text[j - 1]) == step:
                j += 1
            if j - i >= 3 and text[i].isalnum():
                spans.append((i, j))
            i = j
    lines = KEYBOARD_LINES + tuple(line[::-1] for line in KEYBOARD_LINES)
    for start in range(n):
        for end in range(start + 4, n + 1):
            if any(text[start:end] in line for line in lines):
                spans.append((start, end))
    spans.extend(m.span() for m in re.finditer(r"(?:19|20)\d\d", text))
    return spans


class PatternPasswordValidator:
    """Refuse passwords that pass the class rule but are guessed first (`Aa1!aaaa`, `Qwer@1234`,
    `Password1!`, `Xxxx@2026`, the demo's, the platform's name, the user's own name)."""

    def __init__(self, min_meaningful: int = 6) -> None:
        # How many letters and digits must remain once the trivial parts are taken out.
        self.min_meaningful = min_meaningful

    def validate(self, password: str, user: Any = None) -> None:
        lowered = password.lower()
        plain = lowered.translate(LOOK_ALIKES)
        if lowered in PUBLISHED_PASSWORDS:
            raise ValidationError(
                _("该密码是公开的演示密码，不能使用。"), code="password_published"
            )
        username = str(getattr(user, "username", "") or "").lower()
        if len(username) >= 3 and (username in lowered or username in plain):
            raise ValidationError(_("密码不能包含用户名。"), code="password_contains_username")
        for word in BANNED_WORDS:
            if word in lowered or word in plain:
                raise ValidationError(
                    _("密码不能包含平台名称或常见词（%(word)s）。") % {"word": word},
                    code="password_banned_word",
                )
        if YEAR_WORD.match(password):
            raise ValidationError(
                _("密码不能是“单词 + 年份”的形式（如 Xxxx@2026），请加入无规律的字符。"),
                code="password_word_year",
            )
        if len(set(lowered)) < 5 or any(
            lowered == lowered[:size] * (len(lowered) // size)
            for size in range(1, len(lowered) // 2 + 1)
            if len(lowered) % size == 0
        ):
            raise ValidationError(
                _("密码不能由少数几个字符重复组成（如 Aa1!Aa1!、Aa1!aaaa）。"),
                code="password_repeated",
            )
        trivial = [False] * len(lowered)
        for start, end in _trivial_spans(lowered):
            for k in range(start, end):
                trivial[k] = True
        meaningful = sum(1 for k, c in enumerate(lowered) if c.isalnum() and not trivial[k])
        if meaningful < self.min_meaningful:
            raise ValidationError(
                _(
                    "密码主要由键盘顺序、连续或重复的字符组成（如 qwer、abcd、1234、aaaa），"
                    "请换一个更难猜的密码。"
                ),
                code="password_pattern",
            )

    def get_help_text(self) -> str:
        return _(
            "密码不能是演示密码，不能包含用户名、平台名称或常见词，不能是“单词 + 年份”，"
            "也不能主要由键盘顺序、连续或重复的字符组成。"
        )
