from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from liaison.audit.models import AppendOnlyError, AuditAction, AuditEvent
from liaison.audit.services import audit_record, diff
from liaison.audit.triggers import triggers_install

pytestmark = pytest.mark.django_db


def _event(actor: Any = None) -> AuditEvent:
    return audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="x.y",
        object_id="1",
        before={"a": 1},
        after={"a": 2},
        region_code="430104000000",
    )


def test_events_cannot_be_updated_or_deleted_through_the_orm() -> None:
    event = _event()
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_database_refuses_raw_updates_and_deletes() -> None:
    # The test database lacks the trigger that would stop Django's flush; put it back here.
    triggers_install(connection)
    event = _event()
    table = AuditEvent._meta.db_table
    statements = [
        f"UPDATE {table} SET note = 'x' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ]
    for sql in statements:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).note == ""


def test_diff_keeps_only_changed_keys() -> None:
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3}) == ({"b": 2}, {"b": 3})


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("auditor", 200),
        ("system_admin", 403),
        ("security_admin", 403),
        ("county_staff", 403),
    ],
)
def test_audit_log_is_for_auditors_only(
    request: Any, as_user: Any, persona: str, status: int
) -> None:
    user = request.getfixturevalue(persona)
    assert as_user(user).get("/staff/audit/").status_code == status


def test_auditor_sees_own_jurisdiction_only(as_user: Any, auditor: Any) -> None:
    audit_record(
        actor=None, action=AuditAction.UPDATE, object_label="岳麓的记录", region_code="430104002000"
    )
    audit_record(
        actor=None,
        action=AuditAction.UPDATE,
        object_label="长沙县的记录",
        region_code="430121000000",
    )
    text = as_user(auditor).get("/staff/audit/").content.decode()
    assert "岳麓的记录" in text
    assert "长沙县的记录" not in text


def test_audit_list_query_count(
    as_user: Any, auditor: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(60):
        _event()
    client = as_user(auditor)
    with django_assert_max_num_queries(10):
        client.get("/staff/audit/")


def test_audit_export_is_csv_and_itself_audited(as_user: Any, auditor: Any) -> None:
    _event()
    response = as_user(auditor).get("/staff/audit/export.csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("时间,操作人,操作")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=auditor).exists()


def test_bad_date_range_shows_message(as_user: Any, auditor: Any) -> None:
    response = as_user(auditor).get("/staff/audit/?date_from=2026-05-01&date_to=2026-01-01")
    assert "起始日期不能晚于截止日期" in response.content.decode()


@pytest.mark.django_db
def test_audit_rows_carry_the_visitors_address_behind_a_trusted_proxy(
    county_staff: Any, settings: Any
) -> None:
    from django.test import Client

    settings.RATELIMIT_TRUST_X_FORWARDED_FOR = True
    client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.1")
    client.post("/staff/login/", {"username": "county_staff", "password": "wrong"})
    assert AuditEvent.objects.filter(ip="203.0.113.7").exists()
    assert not AuditEvent.objects.filter(ip="10.0.0.1").exists()
