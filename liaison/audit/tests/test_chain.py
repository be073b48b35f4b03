"""The hash chain, the verifier, recorded heads, and where events belong."""

from __future__ import annotations

import datetime
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from django.core import checks
from django.core.management import CommandError, call_command
from django.db import connection

from liaison.accounts.models import Role
from liaison.accounts.selectors import audit_events_visible_to
from liaison.accounts.tests.factories import make_member
from liaison.audit.chain import CHAINED_FIELDS, GENESIS, canonical, event_hash, values_of
from liaison.audit.checks import check_append_serialized
from liaison.audit.models import AuditAction, AuditEvent
from liaison.audit.services import audit_record, audit_region_code, common_region_code
from liaison.audit.tasks import verify_audit_task
from liaison.audit.triggers import triggers_install
from liaison.audit.verify import BreakKind, ChainHead, audit_chain_verify, audit_head_record
from liaison.regions.tests.factories import CHANGSHA, CHANGSHA_COUNTY, HUNAN, YUELU, region

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2026, 5, 1, 8, 30, 15, 123456, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def head_file(settings: Any, tmp_path: Path) -> Path:
    settings.AUDIT_HEAD_FILE = str(tmp_path / "audit_head.jsonl")
    return tmp_path / "audit_head.jsonl"


def _record(note: str = "", **kw: Any) -> AuditEvent:
    kw.setdefault("region_code", YUELU)
    return audit_record(actor=None, action=AuditAction.UPDATE, note=note, **kw)


def _values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "seq": 7,
        "at": AT,
        "actor_id": 3,
        "actor_label": "张三",
        "action": "update",
        "object_type": "cases.case",
        "object_id": "12",
        "object_label": "路灯坏了",
        "region_code": YUELU,
        "before": {"status": "submitted"},
        "after": {"status": "accepted"},
        "note": "受理",
        "ip": "10.0.0.1",
    }
    return {**values, **overrides}


def test_each_event_links_to_the_one_before() -> None:
    events = [_record(f"第 {i} 件", before={"n": i}, after={"n": i + 1}) for i in range(3)]
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    for stored in AuditEvent.objects.order_by("seq"):
        assert event_hash(values_of(stored), stored.prev_hash) == stored.hash


def test_appending_reads_one_row(django_assert_num_queries: Any) -> None:
    _record("first")
    # The last (seq, hash) and the insert; on PostgreSQL the advisory lock too.
    expected = 3 if connection.vendor == "postgresql" else 2
    with django_assert_num_queries(expected):
        _record("second")


@pytest.mark.parametrize("name", CHAINED_FIELDS)
def test_the_hash_covers_every_chained_field(name: str) -> None:
    changed = {
        "seq": 8,
        "at": AT + datetime.timedelta(microseconds=1),
        "actor_id": 4,
        "before": {"status": "draft"},
        "after": None,
        "ip": "10.0.0.2",
    }.get(name, "x")
    assert event_hash(_values(**{name: changed}), GENESIS) != event_hash(_values(), GENESIS)


def test_the_hash_covers_the_previous_hash() -> None:
    assert event_hash(_values(), GENESIS) != event_hash(_values(), "1" * 64)


def test_canonical_form_ignores_how_the_database_prints_values() -> None:
    local = AT.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    assert canonical(_values(at=local)) == canonical(_values())
    assert canonical(_values(ip="0:0::1")) == canonical(_values(ip="::1"))
    assert canonical(_values(before={"b": 1, "a": 2})) == canonical(
        _values(before={"a": 2, "b": 1})
    )
    assert canonical(_values(after={"n": 1e16, "z": -0.0})) == canonical(
        _values(after={"n": 10**16, "z": 0})
    )
    assert json.loads(canonical(_values()))["at"] == "2026-05-01T08:30:15.123456Z"


def test_verify_counts_an_intact_chain_and_records_its_head(capsys: Any, head_file: Path) -> None:
    triggers_install(connection)
    events = [_record(str(i)) for i in range(3)]
    call_command("verify_audit")
    assert "审计日志链完好：3 个事件" in capsys.readouterr().out
    head = json.loads(head_file.read_text().splitlines()[-1])
    assert head["seq"] == 3
    assert head["hash"] == events[-1].hash
    assert head["count"] == 3
    assert head_file.stat().st_mode & 0o077 == 0
    _record("later")
    call_command("verify_audit", "--no-record")
    assert len(head_file.read_text().splitlines()) == 1


def test_verify_of_an_empty_trail_is_intact() -> None:
    triggers_install(connection)
    report = audit_chain_verify()
    assert report.intact
    assert report.count == 0
    assert report.head.hash == GENESIS


def test_a_head_whose_event_has_another_hash_is_a_rewrite() -> None:
    triggers_install(connection)
    events = [_record(str(i)) for i in range(3)]
    audit_head_record(head=ChainHead(seq=2, hash="f" * 64, count=2))
    with pytest.raises(CommandError, match="此前的事件被重写"):
        call_command("verify_audit")
    report = audit_chain_verify(compare_with=ChainHead(seq=2, hash="f" * 64, count=2))
    assert report.broken is not None
    assert report.broken.kind == BreakKind.REWRITTEN
    assert report.broken.event_id == events[1].pk


def test_a_link_to_a_rewritten_event_is_named() -> None:
    """Someone who rewrote an event and its hash still breaks the next event's link."""
    triggers_install(connection)
    events = [_record(str(i)) for i in range(3)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.note = "改过"
    new_hash = event_hash(values_of(forged), forged.prev_hash)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET note = %s, hash = %s WHERE id = %s",
            ["改过", new_hash, events[1].pk],
        )
    report = audit_chain_verify()
    assert report.broken is not None
    assert report.broken.kind == BreakKind.LINK
    assert report.broken.event_id == events[2].pk
    assert report.count == 2


def test_the_daily_task_logs_the_head_and_records_it(caplog: Any, head_file: Path) -> None:
    triggers_install(connection)
    _record("x")
    with caplog.at_level(logging.INFO, logger="liaison.audit"):
        result = verify_audit_task.call()
    assert result == {"intact": True, "count": 1, "head_seq": 1}
    assert "审计日志链完好：1 个事件" in caplog.text
    assert head_file.exists()


def test_the_worker_runs_the_check_once_a_day(monkeypatch: Any, head_file: Path) -> None:
    from liaison.workbench.management.commands import worker

    triggers_install(connection)
    _record("x")
    monkeypatch.setattr(worker, "_last_audit_verify", [])
    # Tests run tasks inline: each run of the check appends one head.
    worker.enqueue_audit_verify()
    worker.enqueue_audit_verify()
    assert len(head_file.read_text().splitlines()) == 1


def test_sqlite_must_begin_transactions_immediately(settings: Any, monkeypatch: Any) -> None:
    if connection.vendor != "sqlite":
        assert check_append_serialized() == []
        return
    assert check_append_serialized() == []
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "transaction_mode", "DEFERRED")
    messages = check_append_serialized()
    assert [m.id for m in messages] == ["audit.E001"]
    assert messages[0].level == checks.ERROR


# Where an event belongs.


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ([YUELU], YUELU),
        (["430104002000", "430104002000"], "430104002000"),
        (["430104002000", "430104003000"], YUELU),
        ([YUELU, CHANGSHA_COUNTY], CHANGSHA),
        ([YUELU, "430200000000"], HUNAN),
        ([YUELU, "110101000000"], ""),
        ([], ""),
    ],
)
def test_common_region_code(codes: list[str], expected: str) -> None:
    assert common_region_code(codes) == expected


def test_region_comes_from_the_object_then_the_actor(
    county_staff: Any, station: Any, changsha_county: Any
) -> None:
    assert audit_region_code(actor=None, obj=station) == station.region_id
    assert audit_region_code(actor=None, obj=region(CHANGSHA_COUNTY)) == CHANGSHA_COUNTY
    assert audit_region_code(actor=None, obj=county_staff) == YUELU
    assert audit_region_code(actor=county_staff, obj=None) == YUELU
    assert audit_region_code(actor=None, obj=None) == ""
    both = make_member(Role.CONGRESS_STAFF, region=region(YUELU), username="both")
    make_member(Role.AUDITOR, region=changsha_county, user=both)
    assert audit_region_code(actor=both, obj=None) == CHANGSHA


def test_a_locked_account_still_belongs_to_its_county(county_staff: Any) -> None:
    county_staff.is_active = False
    county_staff.save()
    event = audit_record(actor=None, action=AuditAction.LOGIN_FAILED, obj=county_staff)
    assert event.region_code == YUELU


def test_a_station_member_belongs_to_the_station_region(station_officer: Any) -> None:
    event = audit_record(actor=station_officer, action=AuditAction.LOGIN, obj=station_officer)
    assert event.region_code == "430104002000"


def test_a_given_region_code_wins(county_staff: Any) -> None:
    event = audit_record(
        actor=county_staff, action=AuditAction.UPDATE, obj=county_staff, region_code=CHANGSHA
    )
    assert event.region_code == CHANGSHA


def test_region_less_events_are_for_province_auditors_only(auditor: Any, hunan: None) -> None:
    system = audit_record(actor=None, action=AuditAction.DELETE, note="清除")
    assert system.region_code == ""
    province_auditor = make_member(Role.AUDITOR, region=region(HUNAN), username="hn_auditor")
    assert not audit_events_visible_to(auditor).filter(pk=system.pk).exists()
    assert audit_events_visible_to(province_auditor).filter(pk=system.pk).exists()
