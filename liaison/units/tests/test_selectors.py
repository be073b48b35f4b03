from __future__ import annotations

from typing import Any

import pytest

from liaison.taxonomy.models import Category
from liaison.units.selectors import suggest_unit, unit_get_for_user, units_visible_to
from liaison.units.tests.factories import HandlingUnitFactory, make_rule, make_unit_staff

pytestmark = pytest.mark.django_db

YUELU = "430104000000"
YUELU_STREET = "430104002000"
CHANGSHA = "430100000000"


@pytest.fixture
def tree() -> dict[str, Category]:
    top = Category.objects.create(name="城乡建设", level=1, path="城乡建设")
    mid = Category.objects.create(name="物业管理", level=2, path="城乡建设/物业管理", parent=top)
    leaf = Category.objects.create(
        name="电梯维修", level=3, path="城乡建设/物业管理/电梯维修", parent=mid
    )
    other = Category.objects.create(name="教育", level=1, path="教育")
    return {"top": top, "mid": mid, "leaf": leaf, "other": other}


def test_suggest_unit_nearest_region_wins(yuelu: Any, tree: dict[str, Category]) -> None:
    city = HandlingUnitFactory(region_id=CHANGSHA, name="市住建局")
    county = HandlingUnitFactory(region_id=YUELU, name="区住建局")
    make_rule(unit=city, region_id=CHANGSHA, category=tree["leaf"])
    make_rule(unit=county, region_id=YUELU, category=tree["top"])
    assert suggest_unit(region=YUELU_STREET, category=tree["leaf"]) == county


def test_suggest_unit_nearest_category_wins_in_one_region(
    yuelu: Any, tree: dict[str, Category]
) -> None:
    general = HandlingUnitFactory(name="区政府办")
    housing = HandlingUnitFactory(name="区住建局")
    lift = HandlingUnitFactory(name="区市场监管局")
    make_rule(unit=general, region_id=YUELU)
    make_rule(unit=housing, region_id=YUELU, category=tree["top"])
    make_rule(unit=lift, region_id=YUELU, category=tree["leaf"])
    assert suggest_unit(region=YUELU_STREET, category=tree["leaf"]) == lift
    assert suggest_unit(region=YUELU_STREET, category=tree["mid"]) == housing
    assert suggest_unit(region=YUELU_STREET, category=tree["other"]) == general
    assert suggest_unit(region=YUELU_STREET, category=None) == general


def test_suggest_unit_skips_inactive_and_unrelated(yuelu: Any, tree: dict[str, Category]) -> None:
    closed = HandlingUnitFactory(is_active=False)
    make_rule(unit=closed, region_id=YUELU, category=tree["leaf"])
    make_rule(unit=HandlingUnitFactory(region_id="430121000000"), region_id="430121000000")
    assert suggest_unit(region=YUELU_STREET, category=tree["leaf"]) is None


def test_suggest_unit_query_count(
    yuelu: Any, tree: dict[str, Category], django_assert_max_num_queries: Any
) -> None:
    make_rule(unit=HandlingUnitFactory(), region_id=YUELU, category=tree["mid"])
    with django_assert_max_num_queries(2):
        assert suggest_unit(region=YUELU_STREET, category=tree["leaf"]) is not None


def test_units_visible_by_scope(
    county_staff: Any, other_county_staff: Any, station_officer: Any
) -> None:
    mine = HandlingUnitFactory(region_id=YUELU)
    city = HandlingUnitFactory(region_id=CHANGSHA)
    theirs = HandlingUnitFactory(region_id="430121000000")
    assert set(units_visible_to(county_staff)) == {mine}
    assert set(units_visible_to(other_county_staff)) == {theirs}
    # Station staff see the units above their station that they can assign to.
    assert set(units_visible_to(station_officer)) == {mine, city}
    clerk = make_unit_staff(theirs)
    assert set(units_visible_to(clerk)) == {theirs}
    from django.http import Http404

    with pytest.raises(Http404):
        unit_get_for_user(county_staff, theirs.pk)
