from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from liaison.accounts.validators import CharacterClassValidator


@pytest.mark.parametrize("password", ["abcdefgh", "abcd1234", "ABCDEFG1", "12345678"])
def test_fewer_than_three_classes_are_refused(password: str) -> None:
    with pytest.raises(ValidationError, match="至少 3 类"):
        CharacterClassValidator().validate(password)


@pytest.mark.parametrize("password", ["abcD1234", "abc!1234", "ABC!defg", "Zz9-Zz9-"])
def test_three_classes_pass(password: str) -> None:
    CharacterClassValidator().validate(password)


def test_policy_requires_eight_characters() -> None:
    with pytest.raises(ValidationError):
        validate_password("aB1!")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Demo@2026", "演示密码"),
        ("Aa1!aaaa", "重复"),
        ("Aa1!Aa1!", "重复"),
        ("Abcd@1234", "键盘顺序、连续或重复"),
        ("Qwer@1234", "键盘顺序、连续或重复"),
        ("1qaz@WSX#", "键盘顺序、连续或重复"),
        ("Password1!", "常见词"),
        ("P@ssw0rd#9", "常见词"),
        ("Hunan@2026", "年份"),
        ("2025#Spring", "年份"),
        ("Renda#8812", "平台名称"),
        ("联络站#Ab12x", "平台名称"),
        ("Wang_li#77x", "用户名"),
    ],
)
def test_guessable_patterns_are_refused(password: str, message: str) -> None:
    from liaison.accounts.models import User
    from liaison.accounts.validators import PatternPasswordValidator

    with pytest.raises(ValidationError, match=message):
        PatternPasswordValidator().validate(password, User(username="wang_li"))


@pytest.mark.parametrize("password", ["Xiao!Ming#82", "Kx7#mq2p", "Lz#8831kq", "Strong-Pass-1"])
def test_ordinary_strong_passwords_pass_the_whole_policy(password: str) -> None:
    validate_password(password)


def test_policy_messages_are_chinese() -> None:
    with pytest.raises(ValidationError) as info:
        validate_password("Qwer@1234")
    assert all(any("\u4e00" <= c <= "\u9fff" for c in m) for m in info.value.messages)
