"""`seal`/`unseal`: the authenticated cipher of the intake journal's payloads."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.fernet import Fernet

from liaison.common import crypto
from liaison.common.crypto import seal, unseal

LETTER = "王小明反映：麓山南路东门路灯坏了半个月，电话 13800138000。🙂"


def reset_keys() -> None:
    """The ciphers are cached per process; a key change in a test needs them rebuilt."""
    crypto._fernet.cache_clear()
    crypto._aead.cache_clear()


@pytest.fixture(autouse=True)
def fresh_keys(settings: Any) -> Iterator[None]:
    reset_keys()
    yield
    reset_keys()


def flipped(token: str, position: int) -> str:
    """`token` with one byte of its decoded form changed."""
    raw = bytearray(base64.urlsafe_b64decode(token))
    raw[position] ^= 0x01
    return base64.urlsafe_b64encode(bytes(raw)).decode()


def test_round_trip_of_chinese_text() -> None:
    token = seal(LETTER)
    assert unseal(token) == LETTER
    assert unseal(seal("")) == ""


def test_token_is_url_safe_ascii_and_hides_the_text() -> None:
    token = seal(LETTER)
    assert token.isascii()
    assert "王小明" not in token
    assert "13800138000" not in token
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=")


def test_two_seals_of_the_same_text_differ() -> None:
    first, second = seal(LETTER), seal(LETTER)
    assert first != second
    assert unseal(first) == unseal(second) == LETTER


@pytest.mark.parametrize(
    "position", [0, 11, 12, -17, -1], ids=["nonce", "nonce-end", "text", "text-end", "tag"]
)
def test_a_changed_token_is_refused(position: int) -> None:
    token = seal(LETTER)
    with pytest.raises(ValueError, match="cannot unseal"):
        unseal(flipped(token, position))


@pytest.mark.parametrize(
    "token", ["", "not a token!", "AAAA", "QUJD"], ids=["empty", "garbage", "short", "tiny"]
)
def test_garbage_is_refused_with_value_error(token: str) -> None:
    with pytest.raises(ValueError, match="cannot unseal"):
        unseal(token)


def test_a_truncated_token_is_refused() -> None:
    raw = base64.urlsafe_b64decode(seal(LETTER))
    with pytest.raises(ValueError):
        unseal(base64.urlsafe_b64encode(raw[:-1]).decode())


def test_a_token_from_another_secret_key_is_refused(settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEY = ""  # the key is derived from SECRET_KEY
    settings.SECRET_KEY = "deployment-one"
    token = seal(LETTER)
    reset_keys()
    settings.SECRET_KEY = "deployment-two"
    with pytest.raises(ValueError):
        unseal(token)
    reset_keys()
    settings.SECRET_KEY = "deployment-one"
    assert unseal(token) == LETTER


def test_a_token_from_another_field_encryption_key_is_refused(settings: Any) -> None:
    one, two = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEY = one
    token = seal(LETTER)
    reset_keys()
    settings.FIELD_ENCRYPTION_KEY = two
    with pytest.raises(ValueError):
        unseal(token)
    reset_keys()
    settings.FIELD_ENCRYPTION_KEY = one
    assert unseal(token) == LETTER


def test_the_seal_key_is_not_the_fernet_key() -> None:
    """One key never serves two ciphers: a Fernet token does not unseal, a seal does not
    decrypt as a Fernet token."""
    with pytest.raises(ValueError):
        unseal(crypto.encrypt(LETTER))
    assert crypto.decrypt(seal(LETTER)) == ""
