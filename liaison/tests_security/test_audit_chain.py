"""Issue 10, audit: replays of the review's attacks on the audit trail, its scope and the keys.

- raw SQL DELETE / UPDATE and `QuerySet._raw_delete()` on the audit table, on the current database;
- DROP TRIGGER + UPDATE, and a row deleted in the middle: `verify_audit` names the broken event;
- the newest events cut off: found against the recorded head;
- an auditor of 长沙县 reading 岳麓区's trail (logins included);
- `make run`'s data directory: keys and database readable by others.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client

from liaison.accounts.models import Role
from liaison.accounts.selectors import audit_events_visible_to
from liaison.accounts.tests.factories import PASSWORD, add_totp, make_member
from liaison.audit.models import AuditAction, AuditEvent
from liaison.audit.services import audit_record
from liaison.audit.triggers import triggers_install

pytestmark = pytest.mark.django_db

TABLE = AuditEvent._meta.db_table
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def production_triggers() -> None:
    """Every append-only trigger, as migrations leave a production database (the test database
    lacks the one that would stop Django's flush; this test's transaction rolls it back)."""
    triggers_install(connection)


@pytest.fixture
def head_file(settings: Any, tmp_path: Path) -> Path:
    settings.AUDIT_HEAD_FILE = str(tmp_path / "audit_head.jsonl")
    return tmp_path / "audit_head.jsonl"


def _events(n: int) -> list[AuditEvent]:
    return [
        audit_record(
            actor=None,
            action=AuditAction.UPDATE,
            object_type="x.y",
            object_id=str(i),
            region_code="430104000000",
            note=f"第 {i} 件",
        )
        for i in range(n)
    ]


def _drop_triggers() -> None:
    """What an attacker with the database's owner rights does first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")


def _verify_fails() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", "--no-record")
    return str(failure.value)


def test_raw_sql_cannot_change_or_remove_audit_events(production_triggers: None) -> None:
    event = _events(1)[0]
    for sql, params in [
        (f"DELETE FROM {TABLE} WHERE id = %s", [event.pk]),
        (f"DELETE FROM {TABLE}", []),
        (f"UPDATE {TABLE} SET note = 'x' WHERE id = %s", [event.pk]),
    ]:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    assert AuditEvent.objects.get(pk=event.pk).note == "第 0 件"


def test_raw_delete_of_the_queryset_is_refused(production_triggers: None) -> None:
    event = _events(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk)._raw_delete(connection.alias)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_truncate_is_refused_on_postgresql(production_triggers: None) -> None:
    _events(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE}")
    assert AuditEvent.objects.count() == 1


def test_verify_names_the_event_changed_after_drop_trigger(
    production_triggers: None, head_file: Path
) -> None:
    events = _events(5)
    call_command("verify_audit", "--no-record")
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET note = '改过' WHERE id = %s", [events[2].pk])
    message = _verify_fails()
    assert f"id={events[2].pk}" in message
    assert "内容被修改" in message
    assert "之前的 2 个事件完好" in message


def test_verify_names_the_event_after_a_row_deleted_in_the_middle(
    production_triggers: None, head_file: Path
) -> None:
    events = _events(5)
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[1].pk])
    message = _verify_fails()
    assert f"id={events[2].pk}" in message
    assert "缺少序号 2–2 的事件" in message


def test_verify_finds_the_newest_events_cut_off(production_triggers: None, head_file: Path) -> None:
    events = _events(4)
    call_command("verify_audit")  # records the head, as the worker does daily
    assert head_file.exists()
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id >= %s", [events[2].pk])
    message = _verify_fails()
    assert "最新的事件被截掉" in message
    assert "序号为 2" in message


def test_verify_reports_a_missing_trigger(head_file: Path) -> None:
    _events(2)
    triggers_install(connection)
    _drop_triggers()
    assert "缺少防篡改触发器" in _verify_fails()


def test_auditor_of_another_county_sees_no_event_of_yuelu(
    as_user: Any, changsha_county: Any, county_staff: Any, station: Any
) -> None:
    other_auditor = make_member(Role.AUDITOR, region=changsha_county, username="cs_auditor")
    # A login of 岳麓区's staff, through the login view (it records no region itself).
    add_totp(county_staff)
    Client().post("/staff/login/", {"username": "county_staff", "password": PASSWORD})
    # A security action on a 岳麓区 user and a private view, with no region given either.
    audit_record(actor=county_staff, action=AuditAction.SECURITY, obj=county_staff, note="重置")
    audit_record(actor=county_staff, action=AuditAction.VIEW_PRIVATE, obj=station)
    yuelu_events = AuditEvent.objects.filter(actor=county_staff)
    assert yuelu_events.filter(action=AuditAction.LOGIN).exists()
    assert not yuelu_events.filter(region_code="").exists()
    assert not audit_events_visible_to(other_auditor).filter(actor=county_staff).exists()
    page = as_user(other_auditor).get("/staff/audit/")
    assert page.status_code == 200
    assert str(county_staff) not in page.content.decode()
    export = as_user(other_auditor).get("/staff/audit/export.csv")
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert str(county_staff) not in body


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_directory_set_up_leaves_keys_and_database_owner_only(tmp_path: Path) -> None:
    """`scripts/run.sh` calls scripts/data-dir.sh before anything writes to var/; an installation
    made by the old script (0755 directory, 0644 key and database) is fixed on the next start."""
    var = tmp_path / "var"
    (var / "media" / "photos").mkdir(parents=True)
    (var / "cache").mkdir()
    old = {
        "secret_key": "old-secret\n",
        "liaison.sqlite3": "",
        "liaison.sqlite3-wal": "",
        "liaison.sqlite3-shm": "",
        "media/photos/a.jpg": "",
        "cache/x.djcache": "",
    }
    for name, text in old.items():
        (var / name).write_text(text)
        (var / name).chmod(0o644)
    var.chmod(0o755)
    (var / "media").chmod(0o755)
    script = ROOT / "scripts" / "data-dir.sh"
    subprocess.run(
        ["bash", str(script), str(var)], check=True, env={**os.environ, "PYTHON": "python3"}
    )
    assert _mode(var) == 0o700
    assert _mode(var / "media") == 0o700
    for name in old:
        assert _mode(var / name) == 0o600, name
    assert (var / "secret_key").read_text() == "old-secret\n"  # kept, never regenerated
    field_key = var / "field_key"
    assert _mode(field_key) == 0o600
    assert len(field_key.read_text().strip()) == 44
    # And what is written afterwards under the umask run.sh sets: owner-only too.
    probe = subprocess.run(
        ["bash", "-c", f'source "{script}" "{var}" && touch "{var}/new.sqlite3" && echo ok'],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHON": "python3"},
    )
    assert probe.stdout.strip().endswith("ok")
    assert _mode(var / "new.sqlite3") == 0o600
    assert "data-dir.sh" in (ROOT / "scripts" / "run.sh").read_text()
