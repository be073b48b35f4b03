"""The coverage page and the files: what they list, that queries do not grow with the page, and
that the xlsx files read back with the declared headers and rows."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from liaison.audit.models import AuditAction, AuditEvent
from liaison.deputies.tests.factories import DeputyFactory, SeatFactory
from liaison.grids.tests.factories import GridFactory, PostAssignmentFactory, PostFactory

pytestmark = pytest.mark.django_db

D = datetime.date
REGISTER_HEADER = ["网格", "岗位", "职责类型", "代表", "代表层级", "上岗日期", "离岗日期"]


def exported(client: Any, capture: Any, target: str, query: str = "") -> Any:
    """Queue the export as the page's button does, let the (immediate) worker build it, and
    fetch the file from the job's page."""
    with capture(execute=True):
        response = client.post(target, {"query": query})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "已完成" in page and '<a href="/staff/grids/' in page  # and the way back
    download = response["Location"] + "download/"
    assert download in page
    return client.get(download)


def sheet_rows(response: Any) -> list[list[Any]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _rows_after_header(rows: list[list[Any]], header: list[str]) -> list[list[Any]]:
    index = next(i for i, row in enumerate(rows) if row[: len(header)] == header)
    return rows[index + 1 :]


def test_register_reads_back(
    as_user: Any, county_staff: Any, post: Any, county_deputy: Any, other_post: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    SeatFactory(deputy=county_deputy, level="township", congress_id="430104002000")
    PostAssignmentFactory(
        post=post,
        deputy=county_deputy,
        starts_on=D(2024, 1, 1),
        ends_on=D(2024, 12, 31),
        end_reason="换届",
    )
    PostAssignmentFactory(post=post, deputy=county_deputy, starts_on=D(2025, 1, 1))
    PostAssignmentFactory(post=other_post)  # another county: not in the file
    response = exported(
        as_user(county_staff), django_capture_on_commit_callbacks, reverse("grids:register_export")
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "xlsx" in response["Content-Disposition"]
    rows = sheet_rows(response)
    assert rows[0][0] == "网格岗位台账"
    body = _rows_after_header(rows, REGISTER_HEADER)
    levels = "县（区）人大代表、乡镇人大代表"
    assert body == [
        [
            "岳麓街道第一网格",
            "安全巡查岗",
            "安全巡查",
            "李县代表",
            levels,
            "2024-01-01",
            "2024-12-31",
        ],
        ["岳麓街道第一网格", "安全巡查岗", "安全巡查", "李县代表", levels, "2025-01-01", None],
    ]
    built, fetched = AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("id")
    assert built.actor == fetched.actor == county_staff
    assert "网格岗位台账" in built.note and "2 行" in built.note
    assert "下载网格岗位台账" in fetched.note


def test_coverage_exports_read_back(
    as_user: Any, county_staff: Any, grid: Any, post: Any, township_deputy: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    client = as_user(county_staff)

    def export(show: str) -> Any:
        target = reverse("grids:coverage_export", kwargs={"show": show})
        return exported(client, django_capture_on_commit_callbacks, target)

    today = timezone.localdate()
    PostAssignmentFactory(post=post, starts_on=today - datetime.timedelta(days=10))

    posts = sheet_rows(export("posts"))
    header = ["网格", "所在区划", "联络站", "岗位", "职责类型", "所需代表数", "在岗代表数", "缺额"]
    assert _rows_after_header(posts, header) == [
        ["岳麓街道第一网格", "岳麓街道", grid.station.name, "安全巡查岗", "安全巡查", 2, 1, 1]
    ]

    empty = GridFactory(name="空网格")
    grids = sheet_rows(export("grids"))
    assert _rows_after_header(grids, ["网格", "所在区划", "联络站", "岗位数"]) == [
        [empty.name, "岳麓街道", None, 0]
    ]

    deputies = sheet_rows(export("deputies"))
    header = ["代表", "代表码", "代表层级", "所属区划", "工作单位及职务"]
    body = _rows_after_header(deputies, header)
    assert [township_deputy.name, township_deputy.code, "乡镇人大代表", "岳麓街道"] in [
        row[:4] for row in body
    ]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 6  # built, fetched


def test_coverage_page_tabs(
    as_user: Any, county_staff: Any, grid: Any, post: Any, township_deputy: Any
) -> None:
    client = as_user(county_staff)
    page = client.get(reverse("grids:coverage")).content.decode()
    assert "安全巡查岗" in page and "无代表" in page
    page = client.get(reverse("grids:coverage"), {"show": "grids"}).content.decode()
    assert grid.name in page
    page = client.get(reverse("grids:coverage"), {"show": "deputies"}).content.decode()
    assert township_deputy.name in page and "乡镇人大代表" in page
    page = client.get(reverse("grids:coverage"), {"show": "bogus"}).content.decode()
    assert "安全巡查岗" in page  # falls back to the posts tab


def test_coverage_page_empty_states(as_user: Any, county_staff: Any) -> None:
    client = as_user(county_staff)
    assert (
        "所有岗位的在岗代表都已达到所需人数"
        in client.get(reverse("grids:coverage")).content.decode()
    )
    page = client.get(reverse("grids:coverage"), {"show": "grids"}).content.decode()
    assert "每个网格都有代表在岗" in page


def _many(grid_count: int, posts_per_grid: int) -> None:
    for _g in range(grid_count):
        grid = GridFactory()
        for _p in range(posts_per_grid):
            post = PostFactory(grid=grid, needed=3)
            deputy = DeputyFactory()
            SeatFactory(deputy=deputy)
            PostAssignmentFactory(post=post, deputy=deputy, starts_on=D(2025, 1, 1))
        DeputyFactory()


@pytest.mark.parametrize("show", ["posts", "grids", "deputies"])
def test_coverage_queries_do_not_grow_with_rows(
    as_user: Any, county_staff: Any, django_assert_max_num_queries: Any, show: str
) -> None:
    client = as_user(county_staff)
    target = reverse("grids:coverage")
    _many(2, 2)
    client.get(target, {"show": show})  # warm the session and the caches
    with django_assert_max_num_queries(16) as few:
        client.get(target, {"show": show})
    _many(12, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(target, {"show": show})
    assert response.status_code == 200


def test_grid_list_queries_do_not_grow_with_rows(
    as_user: Any, county_staff: Any, django_assert_max_num_queries: Any
) -> None:
    client = as_user(county_staff)
    _many(2, 1)
    client.get(reverse("grids:list"))
    with django_assert_max_num_queries(16) as few:
        client.get(reverse("grids:list"))
    _many(20, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("grids:list")).content.decode()
    assert page.count('data-label="岗位"') == 22


def test_post_and_assign_pages_queries_do_not_grow(
    as_user: Any, county_staff: Any, post: Any, django_assert_max_num_queries: Any
) -> None:
    client = as_user(county_staff)
    pages = [
        reverse("grids:post", kwargs={"pk": post.pk}),
        reverse("grids:assign", kwargs={"pk": post.pk}),
        reverse("grids:detail", kwargs={"pk": post.grid_id}),
    ]

    def add(n: int) -> None:
        for _i in range(n):
            deputy = DeputyFactory()
            SeatFactory(deputy=deputy)
            PostAssignmentFactory(post=post, deputy=deputy, starts_on=D(2025, 1, 1))
            PostAssignmentFactory(
                post=post, deputy=deputy, starts_on=D(2023, 1, 1), ends_on=D(2023, 2, 1)
            )
            PostFactory(grid=post.grid)

    add(1)
    for target in pages:
        client.get(target)
        with django_assert_max_num_queries(20) as few:
            client.get(target)
        add(6)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(target).status_code == 200


@pytest.mark.parametrize("persona", ["county_staff", "other_county_staff", "station_officer"])
def test_the_home_card_counts_what_the_coverage_page_lists(
    request: Any, as_user: Any, post: Any, other_post: Any, persona: str
) -> None:
    PostFactory(grid=GridFactory(name="区级网格"), needed=1)  # no station: county staff only
    client = as_user(request.getfixturevalue(persona))
    cards = {card["label"]: card for card in client.get("/staff/").context["cards"]}
    card = cards["缺少代表的岗位"]
    listed = client.get(card["url"])
    assert card["value"] == listed.context["page_obj"].paginator.count
    assert (
        card["value"] == {"county_staff": 2, "other_county_staff": 1, "station_officer": 1}[persona]
    )


def test_administrators_get_no_grid_card(as_user: Any, system_admin: Any) -> None:
    cards = {card["label"] for card in as_user(system_admin).get("/staff/").context["cards"]}
    assert "缺少代表的岗位" not in cards
