"""The KPI and hot-topic pages explain themselves in Chinese (not by pointing at repo files)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.urls("liaison.insights.tests.urls")]


def test_kpi_page_explains_the_figures(county_staff: Any, as_user: Any) -> None:
    body = as_user(county_staff).get(reverse("cases:kpis")).content.decode()
    assert "docs/" not in body
    assert ".md" not in body
    assert 'id="kpi-definitions"' in body
    assert "按期答复率 = " in body


def test_hot_topic_page_explains_the_heat(county_staff: Any, as_user: Any) -> None:
    body = as_user(county_staff).get(reverse("insights:hot_topics")).content.decode()
    assert "docs/" not in body
    assert ".md" not in body
    assert 'id="heat-definition"' in body
    assert "每过 14 天减半" in body


def test_category_select_is_searchable_without_inline_script(
    county_staff: Any, as_user: Any
) -> None:
    body = as_user(county_staff).get(reverse("cases:intake")).content.decode()
    assert 'data-searchable="输入关键词筛选分类"' in body
    assert "js/select_search.js" in body
