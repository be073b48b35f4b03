"""Field keys apart from SECRET_KEY: several keys, the old derived key, the check, rotation."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import CommandError, call_command
from django.db import connection

from liaison.cases.models import IntakeEntry
from liaison.common import crypto
from liaison.common.crypto import check_field_keys, decrypt, encrypt, seal, unseal
from liaison.deputies.models import Deputy
from liaison.deputies.tests.factories import DeputyFactory

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def no_field_key(settings: Any) -> None:
    """Start like an installation without a field key (the setting change clears the caches)."""
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.FIELD_ENCRYPTION_KEY = ""


def test_data_under_the_key_derived_from_secret_key_stays_readable(settings: Any) -> None:
    token, sealed = encrypt("13800138000"), seal("信")
    settings.FIELD_ENCRYPTION_KEY = NEW
    assert decrypt(token) == "13800138000"
    assert unseal(sealed) == "信"
    # New values are under the new key: SECRET_KEY alone no longer opens them.
    fresh = encrypt("13900139000")
    with pytest.raises(InvalidToken):
        Fernet(crypto.derived_field_key()).decrypt(fresh.encode())
    assert Fernet(NEW.encode()).decrypt(fresh.encode()) == b"13900139000"


def test_the_newest_key_encrypts_and_every_key_decrypts(settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEY = OLD
    token, sealed = encrypt("张三"), seal("信")
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    assert decrypt(token) == "张三"
    assert unseal(sealed) == "信"
    assert Fernet(NEW.encode()).decrypt(encrypt("李四").encode()) == "李四".encode()
    assert crypto.is_current_token(encrypt("李四"))
    assert not crypto.is_current_token(token)
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    assert decrypt(token) == ""
    with pytest.raises(ValueError):
        unseal(sealed)


def test_production_without_a_field_key_is_warned(settings: Any) -> None:
    settings.DEBUG = False
    assert [m.id for m in check_field_keys()] == ["common.W101"]
    settings.FIELD_ENCRYPTION_KEY = NEW
    assert check_field_keys() == []
    settings.FIELD_ENCRYPTION_KEYS = [NEW, "not-a-key"]
    assert [m.id for m in check_field_keys()] == ["common.E101"]
    settings.FIELD_ENCRYPTION_KEYS, settings.FIELD_ENCRYPTION_KEY = [], ""
    settings.DEBUG = True
    assert check_field_keys() == []


def _raw(table: str, column: str, pk: Any) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


@pytest.mark.django_db
def test_rotation_moves_every_encrypted_field_and_sealed_payload_to_the_newest_key(
    settings: Any, capsys: Any
) -> None:
    # Written by a demo installation before it had a field key (the derived key) and under OLD.
    deputy = DeputyFactory(mobile="13812345678", id_number="430104199001011234")
    settings.FIELD_ENCRYPTION_KEY = OLD
    other = DeputyFactory(mobile="13700000000", home_address="岳麓区麓山南路 1 号")
    entry = IntakeEntry.objects.create(
        tracking_code="A1",
        pin_digest="x",
        payload=seal('{"name": "王"}'),
        received_at="2026-01-01T00:00Z",
    )
    before = _raw("deputies_deputy", "mobile", deputy.pk)
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    call_command("rotate_field_key", "--batch-size", "1")
    out = capsys.readouterr().out
    assert "deputies.Deputy.mobile：已重新加密 2" in out
    assert "cases.IntakeEntry.payload：已重新加密 1" in out
    assert _raw("deputies_deputy", "mobile", deputy.pk) != before
    # Only the newest key is needed now (and the derived one is no longer needed either).
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    settings.SECRET_KEY = "another-secret"
    assert Deputy.objects.get(pk=deputy.pk).mobile == "13812345678"
    assert Deputy.objects.get(pk=deputy.pk).id_number == "430104199001011234"
    assert Deputy.objects.get(pk=other.pk).home_address == "岳麓区麓山南路 1 号"
    assert unseal(IntakeEntry.objects.get(pk=entry.pk).payload) == '{"name": "王"}'
    call_command("rotate_field_key")
    assert "deputies.Deputy.mobile：已重新加密 0，已是最新密钥 2" in capsys.readouterr().out


@pytest.mark.django_db
def test_rotation_leaves_a_value_no_key_opens_and_fails(settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEY = OLD
    deputy = DeputyFactory(mobile="13812345678")
    raw = _raw("deputies_deputy", "mobile", deputy.pk)
    settings.FIELD_ENCRYPTION_KEY = NEW  # OLD forgotten
    with pytest.raises(CommandError, match="1 个值用现有的任何密钥都无法解密"):
        call_command("rotate_field_key")
    assert _raw("deputies_deputy", "mobile", deputy.pk) == raw


@pytest.mark.django_db
def test_dry_run_writes_nothing(settings: Any) -> None:
    deputy = DeputyFactory(mobile="13812345678")
    raw = _raw("deputies_deputy", "mobile", deputy.pk)
    settings.FIELD_ENCRYPTION_KEY = NEW
    call_command("rotate_field_key", "--dry-run")
    assert _raw("deputies_deputy", "mobile", deputy.pk) == raw
