from __future__ import annotations

import pytest

from liaison.regions.models import Level, Region, ancestor_codes, code_bounds
from liaison.regions.selectors import region_ancestors, region_path_label, region_subtree
from liaison.regions.tests.factories import CHANGSHA, YUELU, YUELU_STREET, region

pytestmark = pytest.mark.django_db


def test_code_bounds_cover_the_subtree_only() -> None:
    assert code_bounds(YUELU, Level.COUNTY) == ("430104000000", "430104999999")
    assert code_bounds("430104002000", Level.TOWNSHIP) == ("430104002000", "430104002999")


def test_ancestor_codes_stop_at_the_region() -> None:
    assert ancestor_codes(YUELU_STREET) == [
        "430000000000",
        "430100000000",
        "430104000000",
        "430104002000",
    ]
    assert ancestor_codes("430000000000") == ["430000000000"]


def test_subtree_is_the_region_and_everything_under_it(hunan: None) -> None:
    subtree = region_subtree(region(YUELU))
    codes = set(subtree.values_list("code", flat=True))
    assert YUELU in codes
    assert YUELU_STREET in codes
    assert all(c.startswith("430104") for c in codes)
    assert len(codes) == 1 + Region.objects.filter(parent_id=YUELU).count()


def test_subtree_of_a_city_holds_its_counties_and_townships(hunan: None) -> None:
    subtree = region_subtree(region(CHANGSHA))
    levels = set(subtree.values_list("level", flat=True))
    assert levels == {Level.CITY, Level.COUNTY, Level.TOWNSHIP}


def test_subtree_is_one_query(hunan: None, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    yuelu = region(YUELU)
    with django_assert_num_queries(1):
        list(region_subtree(yuelu))


def test_ancestors_and_path_label(hunan: None) -> None:
    street = region(YUELU_STREET)
    assert [r.name for r in region_ancestors(street)] == ["湖南省", "长沙市", "岳麓区", "岳麓街道"]
    assert region_path_label(street) == "湖南省 / 长沙市 / 岳麓区 / 岳麓街道"
