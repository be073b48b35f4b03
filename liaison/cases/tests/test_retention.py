from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from liaison.audit.models import AuditEvent
from liaison.cases.models import CaseEvent, Status
from liaison.cases.services.retention import purge_expired_personal_data
from liaison.cases.tests.factories import case_in
from liaison.jurisdiction.models import JurisdictionSetting

pytestmark = pytest.mark.django_db


def _ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def test_finished_cases_past_retention_lose_name_and_phone(hunan: None) -> None:
    old = case_in(Status.CLOSED, closed_at=_ago(1200))
    recent = case_in(Status.CLOSED, closed_at=_ago(30))
    still_open = case_in(Status.ASSIGNED, submitted_at=_ago(2000))
    result = purge_expired_personal_data()
    assert result.purged == 1
    old.refresh_from_db()
    assert (old.contact_name, old.contact_phone, old.contact_phone_tail) == ("", "", "")
    assert old.personal_data_purged_at is not None
    # the matter itself is kept
    assert old.title
    assert old.content
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert recent.contact_phone
    assert still_open.contact_phone
    assert CaseEvent.objects.filter(case=old, data__purged=True).exists()
    assert AuditEvent.objects.filter(note__contains="清除超过保存期限").exists()


def test_declined_cases_count_from_submission(hunan: None) -> None:
    declined = case_in(Status.DECLINED, submitted_at=_ago(1100))
    assert purge_expired_personal_data().purged == 1
    declined.refresh_from_db()
    assert declined.contact_name == ""


def test_retention_is_a_jurisdiction_setting(yuelu: Any) -> None:
    JurisdictionSetting.objects.create(region=yuelu, key="personal_data_retention_days", value=200)
    case = case_in(Status.CLOSED, closed_at=_ago(250))
    assert purge_expired_personal_data().purged == 1
    case.refresh_from_db()
    assert case.contact_phone == ""


def test_running_twice_changes_nothing_more(hunan: None) -> None:
    case_in(Status.CLOSED, closed_at=_ago(1200))
    assert purge_expired_personal_data().purged == 1
    events = CaseEvent.objects.count()
    assert purge_expired_personal_data().purged == 0
    assert CaseEvent.objects.count() == events
