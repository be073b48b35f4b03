"""The demo command, which `make run` runs on every start: builds the county, idempotent."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from liaison.accounts.models import Membership, User
from liaison.accounts.scoping import scope_for
from liaison.cases.models import Case
from liaison.grids.models import PostAssignment
from liaison.stations.models import Station


@pytest.mark.django_db
def test_demo_builds_the_county_twice_without_change(hunan: None, capsys: Any) -> None:
    call_command("import_categories", verbosity=0)
    call_command("demo")
    counts = (Station.objects.count(), Case.objects.count(), Membership.objects.count())
    assert counts[0] == 14
    assert counts[1] > 0
    call_command("demo")
    assert (Station.objects.count(), Case.objects.count(), Membership.objects.count()) == counts
    # One community grid of the demo station, its posts held by deputies of several levels.
    assert PostAssignment.objects.filter(post__grid__name="桃花岭社区网格").count() == 6
    staff = User.objects.get(username="county_staff")
    assert not scope_for(staff, ["congress_staff"]).is_empty
    # The demo deputy's header says what the public page says (the highest current seat).
    deputy = User.objects.get(username="deputy")
    public = Client().get(f"/d/{deputy.deputy.code}/").content.decode()
    assert str(deputy) == "谭志刚（全国人大代表）"
    assert "全国人大代表" in public
    out = capsys.readouterr().out
    assert "演示数据就绪" in out
    # The demo cases' codes and their known PIN, so that a newcomer can track and rate them.
    from liaison.cases.services.intake import case_pin_matches
    from liaison.workbench.demo_data import DEMO_PIN

    replied = Case.objects.filter(status="replied").first()
    assert replied is not None
    assert replied.tracking_code in out
    assert DEMO_PIN in out
    assert case_pin_matches(case=replied, pin=DEMO_PIN)
