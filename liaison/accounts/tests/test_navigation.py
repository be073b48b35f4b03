"""The workbench bar: flat for users with few entries, one menu per group for the others."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from liaison.accounts.navigation import FLAT_MAX, NAV

pytestmark = pytest.mark.django_db


def _bar(page: str) -> str:
    return page.split('class="mainnav"')[1].split("</nav>")[0]


def test_a_deputy_gets_a_flat_bar(as_user: Any, deputy_user: Any) -> None:
    bar = _bar(as_user(deputy_user).get(reverse("workbench:home")).content.decode())
    assert "<details" not in bar
    assert ">我的值班</a>" in bar and ">我的活动</a>" in bar
    assert bar.count("<a ") <= FLAT_MAX


def test_congress_staff_get_menus_that_name_the_page_they_are_on(
    as_user: Any, county_staff: Any
) -> None:
    page = as_user(county_staff).get(reverse("grids:list")).content.decode()
    bar = _bar(page)
    top = bar.count('<details class="navgroup"') + bar.count("<a ") - bar.count('class="navmenu"')
    assert '<summary class="active">代表履职</summary>' in bar  # grids is in that menu
    assert 'aria-current="page">网格岗位</a>' in bar
    assert "<summary>民意</summary>" in bar and "<summary>系统</summary>" in bar
    assert top < len([i for i in NAV])  # fewer entries on the bar than pages behind it
    # A group of one is a plain link: county staff review suggestions but do not file them.
    assert ">建议审查交办</a>" in bar and "<summary>代表建议</summary>" not in bar


def test_every_entry_is_in_a_group_or_is_home_or_messages() -> None:
    ungrouped = {str(item.label) for item in NAV if item.group is None}
    assert ungrouped == {"首页", "消息"}


def test_station_heads_reach_the_grant_page_from_the_bar(as_user: Any, station: Any) -> None:
    from liaison.accounts.models import Role
    from liaison.accounts.tests.factories import make_member

    head = make_member(Role.STATION_HEAD, station=station, username="head_nav")
    bar = _bar(as_user(head).get(reverse("workbench:home")).content.decode())
    assert 'href="/staff/memberships/">角色授权</a>' in bar
    assert as_user(head).get("/staff/memberships/").status_code == 200


def test_the_cached_bar_is_keyed_by_roles_language_and_page(
    as_user: Any, county_staff: Any, deputy_user: Any
) -> None:
    from django.utils import translation

    from liaison.accounts import context_processors as cp

    cp._bars.clear()
    cp._links.clear()
    staff = _bar(as_user(county_staff).get(reverse("grids:list")).content.decode())
    deputy = _bar(as_user(deputy_user).get(reverse("workbench:home")).content.decode())
    assert staff != deputy and "<details" not in deputy  # two role sets, two bars
    # The same user on another page: the same entries, another one marked.
    other = _bar(as_user(county_staff).get(reverse("stations:list")).content.decode())
    assert 'aria-current="page">网格岗位</a>' in staff
    assert 'aria-current="page">网格岗位</a>' not in other
    keys = set(cp._bars)
    assert {key[0] for key in keys} == {frozenset({"congress_staff"}), frozenset({"deputy"})}
    # Another language is another entry, never the cached Chinese bar.
    with translation.override("en"):
        cp.workbench_bar(frozenset({"deputy"}), "/staff/")
    assert {key[1] for key in cp._bars} == {"zh-hans", "en"}


def test_labels_in_the_bar_are_escaped() -> None:
    from liaison.accounts import context_processors as cp

    html = cp._bar_html([(None, {"label": "<b>x</b>", "url": "/staff/?a=1&b=2", "active": True})])
    assert html == (
        '<a href="/staff/?a=1&amp;b=2" class="active" aria-current="page">&lt;b&gt;x&lt;/b&gt;</a>'
    )
