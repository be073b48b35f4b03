"""Factories for case tests: rows written directly (not through `case_submit`).

Shared by the three parts of the case loop; add new factories at the end of the file.
"""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from liaison.accounts.models import Membership, Role, User
from liaison.accounts.services import membership_scope_fields
from liaison.accounts.tests.factories import UserFactory
from liaison.cases.models import Case, Channel, Kind, Status
from liaison.units.models import HandlingUnit, UnitKind

DEFAULT_PIN = "123456"
YUELU_STREET = "430104002000"  # 岳麓街道, 岳麓区
YUELU = "430104000000"


def _pin_digest(tracking_code: str, pin: str = DEFAULT_PIN) -> str:
    from liaison.cases.services.intake import pin_digest

    return pin_digest(tracking_code=tracking_code, pin=pin)


class CaseFactory(factory.django.DjangoModelFactory):
    """A case in any status: pass `status=` and the milestones you need (or use `case_in`)."""

    class Meta:
        model = Case

    tracking_code = factory.Sequence(lambda n: f"CT{n:07d}")
    pin_digest = factory.LazyAttribute(lambda o: _pin_digest(o.tracking_code))
    kind = Kind.HELP
    title = factory.Sequence(lambda n: f"小区路灯不亮{n}")
    content = "小区门口路灯坏了两个月，晚上出行不便。"
    channel = Channel.QR
    region_id = YUELU_STREET
    contact_name = "王小明"
    contact_phone = "13812345678"
    contact_phone_tail = "5678"
    consent_at = factory.LazyFunction(timezone.now)
    status = Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
    accept_due = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=3))


class HandlingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandlingUnit

    region_id = YUELU
    name = factory.Sequence(lambda n: f"岳麓区城管局{n}")
    kind = UnitKind.DEPARTMENT
    contact_name = "刘科长"
    contact_phone = "0731-88880000"


def make_unit_staff(unit: HandlingUnit, *, user: User | None = None, **kw: Any) -> User:
    """A user holding the handling_unit role for `unit`."""
    user = user or UserFactory(**kw)
    Membership.objects.create(
        user=user, role=Role.HANDLING_UNIT, **membership_scope_fields(unit=unit)
    )
    return user


def case_in(status: str, **kw: Any) -> Case:
    """A case already in `status` with the milestones a real one would have."""
    now = timezone.now()
    today = timezone.localdate()
    fields: dict[str, Any] = {"status": status}
    if status not in (Status.SUBMITTED, Status.DECLINED, Status.WITHDRAWN, Status.FORWARDED):
        fields["accepted_at"] = now
    if status in (Status.ASSIGNED, Status.REPLIED, Status.EVALUATED, Status.CLOSED):
        fields.setdefault("assigned_at", now)
        fields.setdefault("reply_due", today + datetime.timedelta(days=21))
    if status in (Status.REPLIED, Status.EVALUATED, Status.CLOSED):
        fields["reply"] = "已安排维修，路灯已修复。"
        fields["replied_at"] = now
    if status in (Status.EVALUATED, Status.CLOSED):
        fields["rating"] = "satisfied"
        fields["rated_at"] = now
    if status == Status.CLOSED:
        fields["closed_at"] = now
    fields.update(kw)
    if fields.get("allow_publish") and fields.get("replied_at"):
        fields.setdefault("published_at", fields["replied_at"])
    return CaseFactory(**fields)
