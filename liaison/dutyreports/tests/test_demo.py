"""The demo (`make run`) shows a published, rated duty report and one scheduled."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from liaison.dutyreports.models import DutyReport, Status

pytestmark = pytest.mark.django_db


def test_demo_has_duty_reports(hunan: None) -> None:
    call_command("import_categories", verbosity=0)
    call_command("demo")
    call_command("demo")  # idempotent
    statuses = sorted(DutyReport.objects.values_list("status", flat=True))
    assert statuses == [Status.PUBLISHED, Status.SCHEDULED]
    published = DutyReport.objects.get(status=Status.PUBLISHED)
    assert published.ratings.count() == 19
    page = Client().get(reverse("dutyreports_h5:detail", args=[published.pk])).content.decode()
    assert "满意：14" in page
