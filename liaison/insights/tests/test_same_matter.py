"""The duplicate hint on reworded messages about one matter, on the platform (issue 11, item 3).

The engine's side (the index, the topics) is liaison/nlp/tests/test_same_matter.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from liaison.cases.similar import clear_cache, similar_to_text
from liaison.cases.tests.factories import CaseFactory

PAVING = (
    "人民路人行道地砖松动",
    "人民路步行街一段人行道地砖松动，下雨天踩上去溅水，老人容易摔倒，希望尽快修复。",
)
PAVING_AGAIN = (
    "反映人民路地砖松动问题",
    "人民路步行街人行道上的地砖很多松动了，雨天一踩就溅一身泥水，老年人走路容易摔跤，请尽快维修。",
)
SAME_ROAD_OTHER_PROBLEM = ("人民路路灯不亮", "人民路步行街晚上路灯不亮，行人看不清。")
OTHER_ROAD_SAME_PROBLEM = ("芙蓉路人行道地砖松动", "芙蓉路人行道地砖松动，雨天溅水，请修复。")


@pytest.mark.django_db
class TestOnThePlatform:
    @pytest.fixture(autouse=True)
    def _fresh_cache(self) -> None:
        clear_cache()

    def test_intake_hint_shows_the_case_at_the_same_station(
        self, county_staff: Any, station: Any, as_user: Any
    ) -> None:
        earlier = CaseFactory(
            title=PAVING[0], content=PAVING[1], station=station, region_id=station.region_id
        )
        CaseFactory(
            title=SAME_ROAD_OTHER_PROBLEM[0],
            content=SAME_ROAD_OTHER_PROBLEM[1],
            station=station,
            region_id=station.region_id,
        )
        params = {"station": str(station.pk), "title": PAVING_AGAIN[0], "content": PAVING_AGAIN[1]}
        response = as_user(county_staff).get(reverse("cases:intake_similar"), params)
        body = response.content.decode()
        assert response.status_code == 200
        assert earlier.tracking_code in body

    def test_other_county_never_sees_the_hint(
        self, other_county_staff: Any, station: Any, other_station: Any, as_user: Any
    ) -> None:
        ours = CaseFactory(
            title=PAVING[0], content=PAVING[1], station=station, region_id=station.region_id
        )
        params = {
            "station": str(other_station.pk),
            "title": PAVING_AGAIN[0],
            "content": PAVING_AGAIN[1],
        }
        response = as_user(other_county_staff).get(reverse("cases:intake_similar"), params)
        assert ours.tracking_code not in response.content.decode()
        found = similar_to_text(
            region_code=other_station.region_id, title=PAVING_AGAIN[0], content=PAVING_AGAIN[1]
        )
        assert found == []
