"""The echo wall: what is published, the masking of text, filters and query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liaison.cases.echo import echo_item, echo_wall_cases
from liaison.cases.models import Case, Rating, Status
from liaison.cases.tests.public_helpers import SCRIPT, force_replied, fresh_cache, submitted
from liaison.taxonomy.models import Category

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
__all__ = ["fresh_cache"]

URL = "/cases/echo/"


def published(station: Any, **fields: Any) -> Case:
    submit_fields = {
        k: fields.pop(k)
        for k in ("title", "content", "contact_name", "contact_phone", "place", "category")
        if k in fields
    }
    case, _pin = submitted(station, allow_publish=True, **submit_fields)
    return force_replied(case, **fields)


def test_place_names_stay_readable_and_home_numbers_do_not(station: Any) -> None:
    # The usability review: the whole `place` was blotted out ("********顶楼屋面漏水").
    case = published(
        station,
        title="麓山小区顶楼屋面漏水",
        content="麓山小区3栋2单元502室顶楼漏水，枫林路12号旁",
        place="岳麓区麓山小区",
    )
    item = echo_item(case)
    assert item.title == "麓山小区顶楼屋面漏水"
    assert item.content == "麓山小区*栋*单元***室顶楼漏水，枫林路**号旁"


def test_the_submitters_own_name_and_phone_are_masked(station: Any) -> None:
    case = published(
        station,
        content="我叫王小明，电话13800138000，身份证430104199001011234",
        contact_name="王小明",
        contact_phone="13800138000",
    )
    content = echo_item(case).content
    assert content == "我叫王**，电话138****8000，身份证4301**********1234"


def test_only_published_answered_cases_are_listed(station: Any) -> None:
    shown = published(station, title="已答复可公开")
    published(station, title="评价后", status=Status.EVALUATED, rating=Rating.SATISFIED)
    published(station, title="已办结", status=Status.CLOSED)
    not_allowed, _ = submitted(station, title="不同意公开", allow_publish=False)
    force_replied(not_allowed)
    submitted(station, title="未答复", allow_publish=True)
    titles = {c.title for c in echo_wall_cases()}
    assert titles == {"已答复可公开", "评价后", "已办结"}
    assert shown in echo_wall_cases()


def test_newest_reply_first(station: Any) -> None:
    now = timezone.now()
    old = published(station, title="旧", replied_at=now - timezone.timedelta(days=3))
    new = published(station, title="新", replied_at=now)
    assert list(echo_wall_cases()) == [new, old]


def test_filters_by_station_region_and_category(station: Any, other_station: Any) -> None:
    call_command("import_categories", verbosity=0)
    top = Category.objects.get(path="城乡建设")
    leaf = Category.objects.filter(path__startswith="城乡建设/", level=3).first()
    other_top = Category.objects.exclude(path__startswith="城乡建设").filter(level=1).first()
    a = published(station, title="甲", category=leaf)
    b = published(other_station, title="乙", category=other_top)
    assert list(echo_wall_cases(station=station)) == [a]
    from liaison.regions.models import Region

    assert list(echo_wall_cases(region=Region.objects.get(code="430121000000"))) == [b]
    assert list(echo_wall_cases(category=top)) == [a]
    response = Client().get(URL, {"category": top.pk})
    assert "甲" in response.content.decode()
    assert "乙" not in response.content.decode()
    response = Client().get(URL, {"station": other_station.code})
    assert "乙" in response.content.decode()
    assert "甲" not in response.content.decode()
    response = Client().get(URL, {"region": "430104"})
    assert "甲" in response.content.decode()
    assert "乙" not in response.content.decode()


def test_page_masks_personal_data_in_text(station: Any) -> None:
    published(
        station,
        title="王小明反映13800138000所在小区停水",
        content="联系王小明13800138000，地址枫林路12号",
        contact_name="王小明",
        contact_phone="13800138000",
        reply="已联系王小明（13800138000）处理",
    )
    html = Client().get(URL).content.decode()
    assert "13800138000" not in html
    assert "王小明" not in html
    assert "枫林路12号" not in html
    assert "138****8000" in html
    assert "王**" in html


def test_page_shows_fields_and_rating(station: Any) -> None:
    published(
        station,
        title="路灯不亮",
        reply="已修复",
        status=Status.EVALUATED,
        rating=Rating.BASIC,
    )
    html = Client().get(URL).content.decode()
    for text in ["路灯不亮", "已修复", station.name, "基本满意", "求助"]:
        assert text in html


def test_script_tags_are_shown_as_text(station: Any) -> None:
    published(station, title=SCRIPT, content=SCRIPT, reply=SCRIPT)
    html = Client().get(URL).content.decode()
    assert SCRIPT not in html
    assert "&lt;script&gt;" in html


def test_echo_item_has_no_personal_fields(station: Any) -> None:
    case = published(station, contact_name="王小明", contact_phone="13800138000")
    item = echo_item(case)
    assert not any(hasattr(item, name) for name in ("contact_name", "contact_phone", "place"))


def test_query_count_does_not_grow_with_cases(station: Any, other_station: Any) -> None:
    call_command("import_categories", verbosity=0)
    leaf = Category.objects.filter(level=3).first()
    published(station, category=leaf)
    client = Client()
    client.get(URL)  # warm up sessions/content types
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL).status_code == 200
    for n in range(15):
        published(station if n % 2 else other_station, category=leaf, title=f"第{n}件")
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


def test_pagination(station: Any) -> None:
    for n in range(23):
        published(station, title=f"第{n}件")
    first = Client().get(URL).content.decode()
    second = Client().get(URL, {"page": 2}).content.decode()
    # The wall does not count itself (it only grows): page numbers and next/previous links.
    assert "第 1 页" in first
    assert "page=2" in first
    assert first.count('class="case-title"') == 20
    assert second.count('class="case-title"') == 3
    assert "page=1" in second
    assert "page=3" not in second


def test_bad_filters_do_not_break_the_page(station: Any) -> None:
    published(station)
    for params in [{"region": "abc"}, {"category": "x"}, {"station": "<b>"}, {"page": "999"}]:
        assert Client().get(URL, params).status_code == 200
