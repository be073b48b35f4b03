"""The demo (`make run`) shows activities at every step and a published work plan."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from liaison.activities.models import Activity, Status, WorkPlan
from liaison.stations.models import Station

pytestmark = pytest.mark.django_db


def test_demo_has_activities_and_a_published_plan(hunan: None) -> None:
    call_command("import_categories", verbosity=0)
    call_command("demo")
    call_command("demo")  # idempotent
    statuses = list(Activity.objects.values_list("status", flat=True).order_by("starts_at"))
    assert statuses.count(Status.VERIFIED) == 2 and Status.SUBMITTED in statuses
    assert Activity.objects.count() == 5
    plan = WorkPlan.objects.get()
    assert plan.published_at is not None and plan.items.count() == 6
    home = Station.objects.get(pk=plan.station_id)
    page = Client().get(f"/s/{home.code}/").content.decode()
    assert "年度工作计划" in page and "代表履职能力培训" in page
