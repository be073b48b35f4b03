"""The audit page reads in Chinese: object types, field labels, choice labels (issue 11)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from liaison.audit.models import AuditAction, AuditEvent
from liaison.audit.services import audit_record

pytestmark = pytest.mark.django_db

URL = "/staff/audit/"


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def _case_event(pk: int = 12) -> AuditEvent:
    return audit_record(
        actor=None,
        action=AuditAction.UPDATE,
        object_type="cases.case",
        object_id=str(pk),
        object_label=f"MY-{pk:04d}",
        region_code="430104002000",
        before={"status": "submitted", "reply_due": None},
        after={"status": "accepted", "reply_due": "2026-03-20"},
    )


def test_object_type_is_shown_in_chinese(as_user: Any, auditor: Any) -> None:
    _case_event()
    text = _text(as_user(auditor).get(URL).content.decode())
    assert "民意诉求" in text
    assert "MY-0012" in text
    assert "cases.case" not in text


def test_changes_are_a_table_of_labels_and_choice_labels(as_user: Any, auditor: Any) -> None:
    _case_event()
    html = as_user(auditor).get(URL).content.decode()
    text = _text(html)
    assert "状态" in text
    assert "待受理" in text
    assert "已受理" in text
    assert "→" in text
    for code in ("submitted", "accepted", "{", "'status'", "reply_due"):
        assert code not in text, code
    assert '<table class="changes' in html


def test_object_links_to_its_history_in_the_trail(as_user: Any, auditor: Any) -> None:
    _case_event(12)
    _case_event(13)
    client = as_user(auditor)
    html = client.get(URL).content.decode()
    assert "object_type=cases.case&amp;object_id=12" in html
    history = client.get(URL, {"object_type": "cases.case", "object_id": "12"})
    text = _text(history.content.decode())
    assert "MY-0012" in text
    assert "MY-0013" not in text


def test_object_type_filter_is_a_select_and_dates_are_date_inputs(
    as_user: Any, auditor: Any
) -> None:
    html = as_user(auditor).get(URL).content.decode()
    assert '<select name="object_type"' in html
    assert '<option value="cases.case">民意诉求</option>' in html
    assert html.count('type="date"') == 2


def test_unknown_object_type_is_refused_with_a_message(as_user: Any, auditor: Any) -> None:
    _case_event()
    response = as_user(auditor).get(URL, {"object_type": "no.such"})
    assert "请选择" in response.content.decode()


def test_a_relation_recorded_by_its_label_still_renders(as_user: Any, auditor: Any) -> None:
    """Membership events record the user by name ("user": "deputy"); the page once tried to
    look that up as a key and failed with a 500 on the demo's trail."""
    audit_record(
        actor=None,
        action=AuditAction.CREATE,
        object_type="accounts.membership",
        object_id="7",
        object_label="谭志刚 · 代表",
        region_code="430104002000",
        after={"user": "deputy", "role": "deputy", "scope": "岳麓街道"},
    )
    response = as_user(auditor).get(URL)
    assert response.status_code == 200
    assert "deputy" in _text(response.content.decode())
