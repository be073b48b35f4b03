"""When the worker moves the journal (`intake_journal_due`, `intake_journal_tick`), giving held
entries back (`intake_entries_release`) and the journal's admin page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from liaison.audit.models import AuditEvent
from liaison.cases.models import Case, IntakeEntry, Kind
from liaison.cases.services.journal import intake_entry_submit
from liaison.cases.services.journal_move import (
    intake_entries_release,
    intake_journal_due,
    intake_journal_tick,
)
from liaison.cases.tests.public_helpers import fresh_cache

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache", "worker_moves")]
__all__ = ["fresh_cache"]

ADMIN = "/admin/cases/intakeentry/"


@pytest.fixture
def worker_moves(settings: Any) -> None:
    settings.INTAKE_MOVE_INLINE = False
    settings.INTAKE_QUIET_SECONDS = 0.5
    settings.INTAKE_MAX_WAIT_SECONDS = 30


def submit(station: Any, n: int = 0) -> str:
    return intake_entry_submit(
        station=station,
        kind=Kind.HELP,
        title=f"楼道灯坏了{n}",
        content="三单元楼道灯坏了一周。",
        consent=True,
    ).tracking_code


def age(code: str, seconds: float) -> None:
    """As if the entry had arrived `seconds` ago."""
    at = timezone.now() - datetime.timedelta(seconds=seconds)
    IntakeEntry.objects.filter(tracking_code=code).update(received_at=at)


def test_nothing_is_due_on_an_empty_journal() -> None:
    assert not intake_journal_due(quiet_seconds=0.5, max_wait_seconds=30)
    assert intake_journal_tick() == 0


def test_a_burst_is_left_alone_until_it_is_quiet(station: Any) -> None:
    first, last = submit(station, 1), submit(station, 2)
    age(first, 5)  # the burst goes on: the newest arrived just now
    assert not intake_journal_due(quiet_seconds=0.5, max_wait_seconds=30)
    assert intake_journal_tick() == 0
    assert not Case.objects.exists()
    age(last, 1)  # quiet for a second
    assert intake_journal_tick() == 2
    assert Case.objects.count() == 2


def test_an_entry_never_waits_longer_than_the_maximum(station: Any) -> None:
    first = submit(station, 1)
    submit(station, 2)
    age(first, 31)  # the burst has lasted 31 s
    assert intake_journal_due(quiet_seconds=0.5, max_wait_seconds=30)
    assert intake_journal_tick() == 2


def test_held_entries_do_not_make_the_journal_due(station: Any) -> None:
    code = submit(station)
    age(code, 60)
    IntakeEntry.objects.filter(tracking_code=code).update(held_at=timezone.now())
    assert not intake_journal_due(quiet_seconds=0.5, max_wait_seconds=30)


def test_release_gives_held_entries_back_and_is_audited(station: Any, system_admin: Any) -> None:
    held, waiting = submit(station, 1), submit(station, 2)
    IntakeEntry.objects.filter(tracking_code=held).update(held_at=timezone.now())
    released = intake_entries_release(entries=IntakeEntry.objects.all(), actor=system_admin)
    assert released == 1  # the waiting one was not held
    assert not IntakeEntry.objects.filter(held_at__isnull=False).exists()
    event = AuditEvent.objects.get(note="重新交给后台转入")
    assert event.actor == system_admin
    assert event.object_label == held
    age(held, 5)
    age(waiting, 5)
    assert intake_journal_tick() == 2


def test_admin_lists_the_journal_read_only(station: Any, as_user: Any, platform_admin: Any) -> None:
    held = submit(station, 1)
    submit(station, 2)
    IntakeEntry.objects.filter(tracking_code=held).update(held_at=timezone.now())
    client = as_user(platform_admin)
    page = client.get(ADMIN, {"state": "held"})
    assert page.status_code == 200
    text = page.content.decode()
    assert held in text
    assert "无法读取，暂扣" in text
    assert "payload" not in text  # the sealed submission is never shown
    assert client.get(ADMIN + "add/").status_code == 403
    response = client.post(
        ADMIN,
        {
            "action": "release_held",
            "_selected_action": [IntakeEntry.objects.get(tracking_code=held).pk],
        },
        follow=True,
    )
    assert "1 条记录已重新交给后台" in response.content.decode()
    assert not IntakeEntry.objects.filter(held_at__isnull=False).exists()


def test_staff_without_system_admin_role_cannot_open_the_journal(
    as_user: Any, county_staff: Any
) -> None:
    assert as_user(county_staff).get(ADMIN).status_code in (302, 403)


def test_county_system_admin_cannot_open_the_journal(
    station: Any, as_user: Any, system_admin: Any
) -> None:
    # Entries have no county until they are cases; the journal is the platform's.
    held = submit(station, 1)
    IntakeEntry.objects.filter(tracking_code=held).update(held_at=timezone.now())
    client = as_user(system_admin)
    assert client.get(ADMIN).status_code == 403
    entry = IntakeEntry.objects.get(tracking_code=held)
    assert client.get(f"{ADMIN}{entry.pk}/change/").status_code == 404
    client.post(ADMIN, {"action": "release_held", "_selected_action": [entry.pk]})
    assert IntakeEntry.objects.filter(held_at__isnull=False).exists()
