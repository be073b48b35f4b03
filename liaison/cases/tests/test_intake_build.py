"""One builder from a checked submission to a case (`services/intake_build.py`): a case looks the
same whether it came in directly (`case_submit`) or through the public API's journal."""

from __future__ import annotations

from typing import Any

import pytest

from liaison.cases.models import Case, CaseEvent, Channel, Kind
from liaison.cases.services.intake import case_submit
from liaison.cases.services.intake_build import Submission
from liaison.cases.services.journal import intake_entry_submit
from liaison.cases.services.journal_move import intake_entries_move

pytestmark = pytest.mark.django_db

# The columns that say when and how a case came in, and which row it is.
CHANNEL_COLUMNS = {
    "id", "tracking_code", "pin_digest", "client_token", "channel", "submitted_at", "consent_at",
    "accept_due", "created_at", "updated_at", "free_text_private", "hint_pending",
}  # fmt: skip


def _values(case: Case) -> dict[str, Any]:
    return {
        f.attname: getattr(case, f.attname)
        for f in Case._meta.concrete_fields
        if f.attname not in CHANNEL_COLUMNS
    }


def test_a_direct_case_and_a_journal_case_are_built_alike(station: Any, settings: Any) -> None:
    settings.INTAKE_MOVE_INLINE = False
    values: dict[str, Any] = {
        "station": station,
        "kind": Kind.COMPLAINT,
        "title": "夜间施工噪音扰民",
        "content": "某工地每晚施工到凌晨两点，电话 13900001111。",
        "place": "麓山南路",
        "contact_name": "李四",
        "contact_phone": "139 0000 1111",
        "allow_publish": True,
        "consent": True,
    }
    direct = case_submit(channel=Channel.API, **values).case
    receipt = intake_entry_submit(**values)
    assert intake_entries_move(classify=False) == 1
    journaled = Case.objects.get(tracking_code=receipt.tracking_code)
    direct.refresh_from_db()
    assert _values(direct) == _values(journaled)
    assert direct.consent_at is not None
    assert journaled.consent_at is not None
    events = {
        e.case_id: (e.kind, e.actor_role, e.to_status, e.note, e.is_public, e.data)
        for e in CaseEvent.objects.all()
    }
    assert events[direct.pk] == events[journaled.pk]


def test_the_journal_payload_is_the_submission() -> None:
    submission = Submission(
        kind="help",
        title="路灯",
        content="路灯坏了",
        place="",
        region_id="430104002000",
        station_id=3,
        deputy_id=None,
        contact_name="",
        contact_phone="13900001111",
        is_anonymous=True,
        allow_publish=False,
        consent=True,
    )
    assert Submission.from_payload({**submission.payload(), "pin": "123456"}) == submission
