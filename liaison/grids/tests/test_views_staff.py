"""Who may open which grids page (the permission matrix over the personas), and the forms."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.audit.models import AuditEvent
from liaison.grids.models import Grid, Post, PostAssignment
from liaison.grids.selectors import PostWorkLog, WorkLogRow, post_work_log_provider_set
from liaison.grids.tests.factories import PostAssignmentFactory
from liaison.jurisdiction.models import JurisdictionSetting
from liaison.stations.tests.factories import StationFactory

pytestmark = pytest.mark.django_db

# Pages about one grid, post or assignment: those who may see, and those who may change.
VIEW_PAGES = ["detail", "post"]
MANAGE_PAGES = [
    "edit",
    "deactivate",
    "post_create",
    "post_edit",
    "post_deactivate",
    "assign",
    "assignment_end",
]
OBJECT_PAGES = VIEW_PAGES + MANAGE_PAGES
# Pages of the whole scope.
LIST_PAGES = ["list", "coverage"]
# The files: a POST queues a job for the task worker (its page is the jobs app's).
EXPORT_PAGES = [
    "register_export",
    "coverage_export:posts",
    "coverage_export:grids",
    "coverage_export:deputies",
]
ON_GRID = {"detail", "edit", "deactivate", "post_create"}
ON_POST = {"post", "post_edit", "post_deactivate", "assign"}


@pytest.fixture
def assignment(post: Any) -> Any:
    return PostAssignmentFactory(post=post, starts_on=datetime.date(2025, 1, 1))


def url(page: str, assignment: Any = None) -> str:
    if page in ON_GRID:
        return reverse(f"grids:{page}", kwargs={"pk": assignment.post.grid_id})
    if page in ON_POST:
        return reverse(f"grids:{page}", kwargs={"pk": assignment.post_id})
    if page == "assignment_end":
        return reverse("grids:assignment_end", kwargs={"pk": assignment.pk})
    if page.startswith("coverage_export:"):
        return reverse("grids:coverage_export", kwargs={"show": page.split(":")[1]})
    return reverse(f"grids:{page}")


@pytest.mark.parametrize("page", [*OBJECT_PAGES, *LIST_PAGES, "create"])
def test_county_staff_open_every_page(
    as_user: Any, county_staff: Any, assignment: Any, page: str
) -> None:
    assert as_user(county_staff).get(url(page, assignment)).status_code == 200


@pytest.mark.parametrize("page", [*OBJECT_PAGES, *LIST_PAGES, "create"])
def test_station_head_opens_every_page_of_their_stations_grid(
    as_user: Any, station_head: Any, assignment: Any, page: str
) -> None:
    assert as_user(station_head).get(url(page, assignment)).status_code == 200


@pytest.mark.parametrize("page", [*OBJECT_PAGES, "create"])
def test_station_officer_views_but_cannot_manage(
    as_user: Any, station_officer: Any, assignment: Any, page: str
) -> None:
    expected = 200 if page in VIEW_PAGES else 403
    assert as_user(station_officer).get(url(page, assignment)).status_code == expected


@pytest.mark.parametrize("page", LIST_PAGES)
def test_station_officer_opens_the_lists(
    as_user: Any, station_officer: Any, assignment: Any, page: str
) -> None:
    assert as_user(station_officer).get(url(page, assignment)).status_code == 200


@pytest.mark.parametrize("page", OBJECT_PAGES)
def test_other_county_staff_get_404(
    as_user: Any, other_county_staff: Any, assignment: Any, page: str
) -> None:
    assert as_user(other_county_staff).get(url(page, assignment)).status_code == 404


@pytest.mark.parametrize("page", OBJECT_PAGES)
def test_other_station_head_gets_404(
    as_user: Any, assignment: Any, other_station: Any, page: str
) -> None:
    head = make_member(Role.STATION_HEAD, station=other_station, username="other_head")
    assert as_user(head).get(url(page, assignment)).status_code == 404


@pytest.mark.parametrize("page", [*OBJECT_PAGES, *LIST_PAGES, "create"])
@pytest.mark.parametrize(
    "persona", ["deputy_user", "system_admin", "security_admin", "auditor", "platform_admin"]
)
def test_deputies_and_administrators_get_403(
    request: Any, as_user: Any, assignment: Any, page: str, persona: str
) -> None:
    user = request.getfixturevalue(persona)
    assert as_user(user).get(url(page, assignment)).status_code == 403


@pytest.mark.parametrize("page", EXPORT_PAGES)
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("county_staff", 302), ("station_head", 302), ("station_officer", 302),
        ("other_county_staff", 302),  # their own scope's file, which holds none of this grid
        ("deputy_user", 403), ("system_admin", 403), ("security_admin", 403), ("auditor", 403),
        ("platform_admin", 403),
    ],
)  # fmt: skip
def test_exports_are_queued_for_those_who_see_grids(
    request: Any, as_user: Any, assignment: Any, page: str, persona: str, expected: int
) -> None:
    client = as_user(request.getfixturevalue(persona))
    assert client.get(url(page, assignment)).status_code in (403, 405)  # never by a GET
    response = client.post(url(page, assignment), {"query": ""})
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith("/staff/jobs/")


@pytest.mark.parametrize("page", ["list", "detail"])
def test_anonymous_is_sent_to_login(client: Any, assignment: Any, page: str) -> None:
    response = client.get(url(page, assignment))
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_other_county_lists_do_not_show_the_grid(
    as_user: Any, other_county_staff: Any, assignment: Any
) -> None:
    client = as_user(other_county_staff)
    for page in ("list", "coverage"):
        assert "岳麓街道第一网格" not in client.get(url(page, assignment)).content.decode()


# --- the forms ----------------------------------------------------------------------------------


def test_create_grid_through_the_form(as_user: Any, county_staff: Any, station: Any) -> None:
    response = as_user(county_staff).post(
        reverse("grids:create"),
        {"name": "桃花岭网格", "region": "430104002000", "station": station.pk},
    )
    grid = Grid.objects.get(name="桃花岭网格")
    assert response.status_code == 302
    assert response["Location"] == reverse("grids:detail", kwargs={"pk": grid.pk})
    assert grid.station == station


def test_grid_form_shows_the_services_message(as_user: Any, county_staff: Any) -> None:
    other_township = "430104003000"
    station_in_town = StationFactory(region_id="430104002000")
    response = as_user(county_staff).post(
        reverse("grids:create"),
        {"name": "错位网格", "region": other_township, "station": station_in_town.pk},
    )
    assert response.status_code == 200
    assert "须在联络站" in response.content.decode()
    assert not Grid.objects.filter(name="错位网格").exists()


def test_station_head_without_station_sees_scope_message(
    as_user: Any, station_head: Any, station: Any
) -> None:
    response = as_user(station_head).post(
        reverse("grids:create"), {"name": "无站网格", "region": "430104002000"}
    )
    assert response.status_code == 200
    assert "不在您的管辖范围内" in response.content.decode()


def test_region_outside_the_choices_is_a_form_error(as_user: Any, county_staff: Any) -> None:
    response = as_user(county_staff).post(
        reverse("grids:create"), {"name": "越界网格", "region": "430121001000"}
    )
    assert response.status_code == 200
    assert not Grid.objects.filter(name="越界网格").exists()


def test_edit_grid_and_conflict(as_user: Any, county_staff: Any, grid: Any) -> None:
    client = as_user(county_staff)
    target = reverse("grids:edit", kwargs={"pk": grid.pk})
    data = {"name": "新名称", "region": grid.region_id, "station": grid.station_id, "version": 1}
    assert client.post(target, data).status_code == 302
    data["name"] = "再改"
    response = client.post(target, data)
    assert "已被他人修改" in response.content.decode()
    grid.refresh_from_db()
    assert grid.name == "新名称"


def test_create_post_edit_it_and_deactivate_grid(
    as_user: Any, county_staff: Any, grid: Any
) -> None:
    client = as_user(county_staff)
    response = client.post(
        reverse("grids:post_create", kwargs={"pk": grid.pk}),
        {"name": "宣传岗", "duty_kind": "publicity", "needed": 2, "description": "入户宣传"},
    )
    post = Post.objects.get(name="宣传岗")
    assert response["Location"] == reverse("grids:post", kwargs={"pk": post.pk})
    response = client.post(
        reverse("grids:post_edit", kwargs={"pk": post.pk}),
        {"name": "宣传岗", "duty_kind": "publicity", "needed": 0, "version": 1},
    )
    assert response.status_code == 200  # the form refuses 0 before the service
    response = client.post(reverse("grids:deactivate", kwargs={"pk": grid.pk}), {"reason": "合并"})
    assert "还有 1 个启用的岗位" in response.content.decode()
    client.post(reverse("grids:post_deactivate", kwargs={"pk": post.pk}), {"reason": ""})
    client.post(reverse("grids:deactivate", kwargs={"pk": grid.pk}), {"reason": "合并"})
    grid.refresh_from_db()
    assert not grid.is_active
    page = client.get(reverse("grids:detail", kwargs={"pk": grid.pk})).content.decode()
    assert "已停用" in page
    assert reverse("grids:post_create", kwargs={"pk": grid.pk}) not in page


def test_post_edit_keeps_an_old_kind_offered(as_user: Any, county_staff: Any, post: Any) -> None:
    Post.objects.filter(pk=post.pk).update(duty_kind="retired_kind")
    page = as_user(county_staff).get(reverse("grids:post_edit", kwargs={"pk": post.pk}))
    assert 'value="retired_kind" selected' in page.content.decode()


def test_assign_page_searches_and_assigns(
    as_user: Any, county_staff: Any, post: Any, county_deputy: Any, township_deputy: Any
) -> None:
    client = as_user(county_staff)
    target = reverse("grids:assign", kwargs={"pk": post.pk})
    page = client.get(target, {"q": "李县"}).content.decode()
    assert "李县代表" in page and "赵乡代表" not in page
    assert "县（区）人大代表" in page
    response = client.post(target, {"deputy": county_deputy.pk, "start": "2025-05-01"})
    assert response.status_code == 302
    page = client.get(target, {"q": "李县"}).content.decode()
    assert "已在该岗位" in page
    response = client.post(target, {"deputy": county_deputy.pk, "start": "2025-06-01"})
    assert response.status_code == 200
    assert "重叠" in response.content.decode()
    assert PostAssignment.objects.filter(post=post).count() == 1


def test_assign_unknown_or_outside_deputy(
    as_user: Any, county_staff: Any, post: Any, outside_deputy: Any
) -> None:
    client = as_user(county_staff)
    target = reverse("grids:assign", kwargs={"pk": post.pk})
    response = client.post(target, {"deputy": 999999, "start": "2025-05-01"})
    assert "未找到该代表" in response.content.decode()
    response = client.post(target, {"deputy": outside_deputy.pk, "start": "2025-05-01"})
    assert "不在您的管辖范围内" in response.content.decode()
    assert not PostAssignment.objects.exists()


def test_end_an_assignment_through_the_form(
    as_user: Any, county_staff: Any, assignment: Any
) -> None:
    client = as_user(county_staff)
    target = reverse("grids:assignment_end", kwargs={"pk": assignment.pk})
    response = client.post(target, {"end": "2024-12-31", "reason": ""})
    assert "离岗日期不能早于上岗日期" in response.content.decode()
    response = client.post(target, {"end": "2025-06-30", "reason": "调任"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ends_on == datetime.date(2025, 6, 30)
    page = client.get(reverse("grids:post", kwargs={"pk": assignment.post_id})).content.decode()
    assert "调任" in page  # in the history
    assert AuditEvent.objects.filter(object_type="grids.postassignment").exists()


def test_unknown_region_filter_shows_nothing_and_says_so(
    as_user: Any, county_staff: Any, grid: Any
) -> None:
    response = as_user(county_staff).get(reverse("grids:list"), {"region": "999999"})
    page = response.content.decode()
    assert "未找到该区划代码" in page
    assert grid.name not in page


def test_unknown_coverage_export_is_404(as_user: Any, county_staff: Any) -> None:
    target = reverse("grids:coverage_export", kwargs={"show": "nothing"})
    assert as_user(county_staff).post(target, {"query": ""}).status_code == 404


def test_post_page_shows_the_work_log_from_the_hook(
    as_user: Any, station_officer: Any, post: Any
) -> None:
    def provider(p: Any, limit: int) -> PostWorkLog:
        row = WorkLogRow(datetime.date(2025, 5, 1), "五一夜间巡查", "安全巡查", "/staff/x/")
        return PostWorkLog(count=12, rows=[row], full_url="/staff/log/")

    target = reverse("grids:post", kwargs={"pk": post.pk})
    previous = post_work_log_provider_set(provider)
    try:
        page = as_user(station_officer).get(target).content.decode()
    finally:
        post_work_log_provider_set(previous)
    assert "共 12 条" in page
    assert '<a href="/staff/x/">五一夜间巡查</a>' in page
    assert '<a href="/staff/log/">查看全部履职记录</a>' in page  # 12 entries, one shown
    assert "办理离岗" not in page and "安排代表" not in page  # an officer only looks


def test_station_staff_are_offered_their_countys_duty_kinds(
    as_user: Any, station_officer: Any, grid: Any
) -> None:
    kinds = [{"key": "flood", "name": "防汛值守"}]
    JurisdictionSetting.objects.create(region_id="430104000000", key="grid_duty_kinds", value=kinds)
    page = as_user(station_officer).get(reverse("grids:list")).content.decode()
    assert '<option value="flood">防汛值守</option>' in page


def test_post_forms_show_the_services_messages(as_user: Any, county_staff: Any, post: Any) -> None:
    client = as_user(county_staff)
    other = Post.objects.create(grid=post.grid, duty_kind="patrol", name="另一岗")
    response = client.post(
        reverse("grids:post_create", kwargs={"pk": post.grid_id}),
        {"name": post.name, "duty_kind": "patrol", "needed": 1},
    )
    assert "已有名为" in response.content.decode()
    response = client.post(
        reverse("grids:post_edit", kwargs={"pk": other.pk}),
        {"name": post.name, "duty_kind": "patrol", "needed": 1, "version": 1},
    )
    assert "已有名为" in response.content.decode()
    PostAssignmentFactory(post=other, starts_on=datetime.date(2025, 1, 1))
    response = client.post(reverse("grids:post_deactivate", kwargs={"pk": other.pk}), {})
    assert "请先为他们办理离岗" in response.content.decode()
    other.refresh_from_db()
    assert other.is_active


def test_grid_edit_with_too_long_a_description_changes_nothing(
    as_user: Any, county_staff: Any, grid: Any
) -> None:
    response = as_user(county_staff).post(
        reverse("grids:edit", kwargs={"pk": grid.pk}),
        {"name": "改名", "region": grid.region_id, "station": "", "description": "x" * 2001},
    )
    assert response.status_code == 200
    grid.refresh_from_db()
    assert grid.name == "岳麓街道第一网格"


def test_grid_edit_by_station_head_without_station_is_refused(
    as_user: Any, station_head: Any, grid: Any
) -> None:
    response = as_user(station_head).post(
        reverse("grids:edit", kwargs={"pk": grid.pk}),
        {"name": "改名", "region": grid.region_id, "station": "", "version": 1},
    )
    assert "不在您的管辖范围内" in response.content.decode()
    grid.refresh_from_db()
    assert grid.station_id is not None


def test_edit_a_post_through_the_form(as_user: Any, station_head: Any, post: Any) -> None:
    response = as_user(station_head).post(
        reverse("grids:post_edit", kwargs={"pk": post.pk}),
        {"name": "夜间巡查岗", "duty_kind": "patrol", "needed": 3, "description": "", "version": 1},
    )
    assert response["Location"] == reverse("grids:post", kwargs={"pk": post.pk})
    post.refresh_from_db()
    assert (post.name, post.needed, post.version) == ("夜间巡查岗", 3, 2)


def test_post_page_lists_the_latest_departures_and_points_to_the_register(
    as_user: Any, county_staff: Any, post: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr("liaison.grids.views_staff.PAST_LIMIT", 1)
    for year in (2022, 2023):
        PostAssignmentFactory(
            post=post,
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 12, 31),
            end_reason=f"{year}年换届",
        )
    page = as_user(county_staff).get(reverse("grids:post", kwargs={"pk": post.pk})).content
    text = page.decode()
    assert "2023年换届" in text and "2022年换届" not in text
    assert "只列出最近 1 条离岗记录" in text
