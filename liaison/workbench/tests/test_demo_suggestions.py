"""The demo's suggestions: a session open now, one suggestion waiting for review and one with
the demo unit, so that the suggestions can be tried from a fresh `make run`."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from liaison.accounts.models import User
from liaison.suggestions.models import CongressSession, Status, Suggestion


@pytest.mark.django_db
def test_the_demo_has_a_session_open_and_suggestions_in_two_states(
    hunan: None, as_user: Any
) -> None:
    call_command("import_categories", verbosity=0)
    call_command("demo", verbosity=0)
    call_command("demo", verbosity=0)  # idempotent
    session = CongressSession.objects.get()
    assert session.congress_id == "430104000000"
    statuses = sorted(Suggestion.objects.filter(session=session).values_list("status", flat=True))
    assert statuses == sorted([Status.SUBMITTED, Status.ASSIGNED])
    assert all(s.category_id for s in Suggestion.objects.all())

    lift = "关于加快老旧小区加装电梯的建议"
    staff = as_user(User.objects.get(username="county_staff"))
    assert lift in staff.get(reverse("suggestions:queue")).content.decode()
    for name in ("table", "report"):
        assert staff.get(reverse(f"suggestions:{name}")).status_code == 200
    unit = as_user(User.objects.get(username="unit"))
    assert lift in unit.get(reverse("suggestions:units")).content.decode()
    deputy_user = User.objects.get(username="deputy")
    mine = as_user(deputy_user).get(reverse("suggestions:mine")).content.decode()
    assert "关于在学校周边增设护学岗和临时停车区的建议" in mine
    # Still introduced by their highest seat.
    assert deputy_user.display_name == "谭志刚（全国人大代表）"
