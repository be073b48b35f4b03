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
