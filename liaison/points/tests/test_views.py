"""The points pages: who may open which (every role of two counties), bad input answered in
Chinese with nothing written, and page queries independent of the rows. The bulletin's files:
test_bulletin_jobs.py."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.accounts.models import Role
from liaison.deputies.tests.factories import DeputyFactory
from liaison.jobs.tests.matrix import ROLES, STAFF, TOWNSHIP
from liaison.points.models import PointEntry
from liaison.points.rules import RuleKey
from liaison.points.services import points_sync
from liaison.points.tests.world import YEAR
from liaison.regions.tests.factories import CHANGSHA_COUNTY, YUELU

pytestmark = pytest.mark.django_db

STAFF_BUDGET = 12  # workbench/tests/test_page_budgets.py


def _expected(page: str, role: str, same_county: bool) -> int:
    if page == "mine":
        return 200 if role == Role.DEPUTY else 403
    if page in ("ranking", "bulletin"):
        return 200 if role in STAFF else 403
    if page == "ledger":
        return (200 if same_county else 404) if role in STAFF else 403
    assert page == "correct"
    if role != Role.CONGRESS_STAFF:
        return 403
    return 200 if same_county else 404


@pytest.mark.parametrize("page", ["mine", "ranking", "bulletin", "ledger", "correct"])
def test_permission_matrix_every_role_of_two_counties(
    page: str, world: dict[str, Any], as_user: Any
) -> None:
    target = world[YUELU]["deputy"]
    kwargs = {"pk": target.pk} if page in ("ledger", "correct") else {}
    url = reverse(f"points:{page}", kwargs=kwargs)
    for county in (YUELU, CHANGSHA_COUNTY):
        for role in ROLES:
            response = as_user(world[county]["users"][role]).get(url)
            expected = _expected(page, role, county == YUELU)
            assert response.status_code == expected, (page, role, county)


def test_deputy_sees_own_entries_and_how_they_arose(world: dict[str, Any], as_user: Any) -> None:
    user = world[YUELU]["users"][Role.DEPUTY]
    from liaison.deputies.models import Deputy

    own = Deputy.objects.get(user=user)
    PointEntry.objects.create(
        deputy=own, kind="grant", rule=RuleKey.ACTIVITY, source_kind="activity", source_id=1,
        source_label="调研：社区养老", occurred_on=datetime.date(YEAR, 1, 3), year=YEAR, quarter=1,
        points=4,
    )  # fmt: skip
    body = as_user(user).get(reverse("points:mine")).content.decode()
    assert "调研：社区养老" in body and "参加履职活动" in body
    assert "向选民述职" not in body  # another deputy's entry


def test_ranking_of_a_scope_not_held_is_refused_in_chinese(
    world: dict[str, Any], as_user: Any
) -> None:
    staff = world[YUELU]["users"][Role.CONGRESS_STAFF]
    url = reverse("points:ranking") + f"?scope=r:{CHANGSHA_COUNTY}"
    response = as_user(staff).get(url)
    assert response.status_code == 403
    assert "所选范围不在您的辖区内" in response.content.decode()


def test_correction_without_reason_is_refused_and_nothing_written(
    world: dict[str, Any], as_user: Any
) -> None:
    staff = world[YUELU]["users"][Role.CONGRESS_STAFF]
    deputy = world[YUELU]["deputy"]
    before = PointEntry.objects.count()
    url = reverse("points:correct", kwargs={"pk": deputy.pk})
    response = as_user(staff).post(url, {"year": YEAR, "quarter": 1, "points": "2", "reason": ""})
    assert response.status_code == 200
    assert "请填写更正原因" in response.content.decode()
    assert PointEntry.objects.count() == before
    response = as_user(staff).post(
        url, {"year": YEAR, "quarter": 1, "points": "2", "reason": "补记视察"}
    )
    assert response.status_code == 302
    assert PointEntry.objects.filter(kind="correction", deputy=deputy).count() == 1


def test_correction_with_bad_points_is_refused(world: dict[str, Any], as_user: Any) -> None:
    staff = world[YUELU]["users"][Role.CONGRESS_STAFF]
    url = reverse("points:correct", kwargs={"pk": world[YUELU]["deputy"].pk})
    for points in ("abc", "0", "500", "1.25"):
        response = as_user(staff).post(
            url, {"year": YEAR, "quarter": 1, "points": points, "reason": "补记"}
        )
        assert response.status_code == 200, points
    assert not PointEntry.objects.filter(kind="correction").exists()


def test_ranking_page_queries_do_not_grow_with_rows(
    world: dict[str, Any], as_user: Any, hand: Any
) -> None:
    staff = world[YUELU]["users"][Role.CONGRESS_STAFF]
    client = as_user(staff)
    url = reverse("points:ranking") + f"?scope=r:{YUELU}&year={YEAR}"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    more = [DeputyFactory(home_region_id=TOWNSHIP[YUELU]) for _ in range(30)]
    points_sync(deputy_ids=[d.pk for d in more], year=YEAR)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries) <= STAFF_BUDGET
    assert "page=2" in body


@pytest.mark.parametrize("page", ["mine", "ledger", "bulletin"])
def test_other_pages_stay_within_the_staff_budget(
    page: str, world: dict[str, Any], as_user: Any, settings: Any
) -> None:
    from liaison.common.hotcache import clear_all

    settings.HOT_CACHE_SECONDS = 30  # as in production and in test_page_budgets
    clear_all()
    users = world[YUELU]["users"]
    user = users[Role.DEPUTY] if page == "mine" else users[Role.CONGRESS_STAFF]
    kwargs = {"pk": world[YUELU]["deputy"].pk} if page == "ledger" else {}
    client = as_user(user)
    url = reverse(f"points:{page}", kwargs=kwargs)
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    clear_all()  # nothing cached here reaches the next test
    sqls = [q["sql"][:150] for q in ctx.captured_queries]
    assert len(sqls) <= STAFF_BUDGET, "\n".join(sqls)


def test_the_rules_are_on_the_jurisdiction_settings_page_in_chinese(
    world: dict[str, Any], as_user: Any
) -> None:
    staff = world[YUELU]["users"][Role.CONGRESS_STAFF]
    body = (
        as_user(staff).get(reverse("jurisdiction:settings") + f"?region={YUELU}").content.decode()
    )
    for text in (
        "履职积分",
        "各类履职活动积分",
        "已设 9 类活动，每次 2–4 分",
        "积分上限",
        "参加接待日",
    ):
        assert text in body, text
    assert "每季度≤20" in body


def test_bulletin_form_shows_the_quarter_it_is_of(world: dict[str, Any], as_user: Any) -> None:
    client = as_user(world[YUELU]["users"][Role.CONGRESS_STAFF])
    page = client.get(reverse("points:bulletin"), {"year": 2025}).content.decode()
    form = page.split('class="filters"')[1].split("</form>")[0]
    assert '<option value="4" selected>' in form and "全年" not in form
