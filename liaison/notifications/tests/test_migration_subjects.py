"""Migration 0002: every message's case becomes its subject, and back again (decision 0015)."""

from __future__ import annotations

from typing import Any

import pytest

from liaison.accounts.models import User
from liaison.cases.models import Status
from liaison.cases.tests.factories import case_in
from liaison.common.tests.migrations import migrate_to, migrate_to_latest
from liaison.notifications.models import Notification, OutboundMessage
from liaison.notifications.subjects import Subject

BEFORE = ("notifications", "0001_initial")
AFTER = ("notifications", "0002_subjects")


# Schema changes on SQLite cannot run inside the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_case_links_become_subjects_and_back(station: Any, county_staff: User) -> None:
    case = case_in(Status.SUBMITTED, station=station)
    other = case_in(Status.SUBMITTED, station=station)
    try:
        old = migrate_to(BEFORE)
        OldNotification = old.get_model("notifications", "Notification")
        OldOutbound = old.get_model("notifications", "OutboundMessage")
        for title, case_id in (("甲", case.pk), ("乙", other.pk), ("丙", None)):
            OldNotification.objects.create(user_id=county_staff.pk, title=title, case_id=case_id)
            OldOutbound.objects.create(
                channel="sms", recipient_masked="138****5678", body=title, case_id=case_id
            )

        migrate_to(AFTER)
        assert [n.title for n in Notification.objects.about(case)] == ["甲"]
        assert [n.title for n in Notification.objects.about(other)] == ["乙"]
        assert Notification.objects.get(title="甲").subject == Subject("cases.case", case.pk)
        assert Notification.objects.get(title="丙").subject is None
        assert [m.body for m in OutboundMessage.objects.about(case)] == ["甲"]
        assert OutboundMessage.objects.get(body="丙").subject is None

        old = migrate_to(BEFORE)
        for name in ("Notification", "OutboundMessage"):
            rows = old.get_model("notifications", name).objects.order_by("pk")
            assert list(rows.values_list("case_id", flat=True)) == [case.pk, other.pk, None]
    finally:
        # Leave the database as every other test expects it.
        migrate_to_latest("notifications")
