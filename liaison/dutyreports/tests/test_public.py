"""The public face: the report page, its photos, the rating page and the deputy page section
(results only after the window closes), within the public query budget."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.cases.tests.public_helpers import png_upload
from liaison.common.hotcache import clear_all
from liaison.dutyreports.models import DutyReport, Rating, Status
from liaison.dutyreports.services import duty_report_hold, duty_report_publish, duty_report_rate
from liaison.dutyreports.tests.factories import codes_of, report_in

pytestmark = pytest.mark.django_db
PUBLIC_BUDGET = 6


@pytest.fixture
def published(station_officer: Any, deputy: Any, station: Any) -> DutyReport:
    report = report_in(Status.SCHEDULED, actor=station_officer, deputy=deputy, station=station)
    report = duty_report_hold(
        report=report,
        actor=station_officer,
        expected_version=None,
        text="我的年度述职报告",
        attendance=30,
        photos=[png_upload()],
    )
    for code, verdict in zip(codes_of(report, 3), ["satisfied", "satisfied", "basic"], strict=True):
        duty_report_rate(report=report, code=code, verdict=verdict)
    return duty_report_publish(report=report, actor=station_officer, expected_version=None)


def test_the_published_report_page(client: Any, published: Any) -> None:
    page = client.get(reverse("dutyreports_h5:detail", args=[published.pk])).content.decode()
    assert "我的年度述职报告" in page and "测评进行中" in page
    photo = published.photos.get()
    response = client.get(reverse("dutyreports_h5:photo", args=[published.pk, photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_results_show_once_the_window_closed(client: Any, published: Any) -> None:
    with time_machine.travel(published.rating_closes_at + datetime.timedelta(minutes=1)):
        page = client.get(reverse("dutyreports_h5:detail", args=[published.pk])).content.decode()
        deputy_page = client.get(
            reverse("deputies_h5:detail", args=[published.deputy.code])
        ).content.decode()
    assert "满意：2" in page and "基本满意：1" in page
    assert "满意 2，基本满意 1，不满意 0" in deputy_page


def test_an_unpublished_report_and_its_photos_are_not_public(
    client: Any, station_officer: Any, deputy: Any, station: Any
) -> None:
    report = report_in(Status.SCHEDULED, actor=station_officer, deputy=deputy, station=station)
    report = duty_report_hold(
        report=report,
        actor=station_officer,
        expected_version=None,
        text="未公开",
        attendance=3,
        photos=[png_upload()],
    )
    photo = report.photos.get()
    assert client.get(reverse("dutyreports_h5:detail", args=[report.pk])).status_code == 404
    assert (
        client.get(reverse("dutyreports_h5:photo", args=[report.pk, photo.pk])).status_code == 404
    )
    deputy_page = client.get(reverse("deputies_h5:detail", args=[deputy.code])).content.decode()
    assert "未公开" not in deputy_page


def test_the_deputy_page_lists_the_report_and_links_it(client: Any, published: Any) -> None:
    page = client.get(reverse("deputies_h5:detail", args=[published.deputy.code])).content.decode()
    assert "代表述职" in page
    assert reverse("dutyreports_h5:detail", args=[published.pk]) in page
    assert "满意 2" not in page  # still rating


def test_public_pages_stay_within_budget(
    client: Any, published: Any, station_officer: Any, deputy: Any, station: Any, settings: Any
) -> None:
    # As in production and in workbench/tests/test_page_budgets.py: per-process caches on.
    settings.HOT_CACHE_SECONDS = 30
    clear_all()
    for _ in range(12):
        report_in(Status.PUBLISHED, actor=station_officer, deputy=deputy, station=station)
    for url in (
        reverse("deputies_h5:detail", args=[deputy.code]),
        reverse("dutyreports_h5:detail", args=[published.pk]),
        reverse("dutyreports_h5:rate", args=[published.token]),
    ):
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert len(ctx.captured_queries) <= PUBLIC_BUDGET, url
    clear_all()


def test_rating_through_the_page_once(client: Any, published: Any) -> None:
    url = reverse("dutyreports_h5:rate", args=[published.token])
    code = codes_of(published, 4)[3]
    first = client.post(url, {"code": code, "verdict": "unsatisfied", "comment": "希望多来社区"})
    assert "感谢您的参与" in first.content.decode()
    second = client.post(url, {"code": code, "verdict": "satisfied"})
    assert "每人只能测评一次" in second.content.decode()
    assert Rating.objects.filter(report=published).count() == 4


def test_the_rating_page_after_the_window(client: Any, published: Any) -> None:
    url = reverse("dutyreports_h5:rate", args=[published.token])
    with time_machine.travel(published.rating_closes_at + datetime.timedelta(days=1)):
        page = client.get(url).content.decode()
        posted = client.post(url, {"code": codes_of(published, 5)[4], "verdict": "satisfied"})
    assert "当前不在测评时间内" in page
    assert "截止" in posted.content.decode()
    assert Rating.objects.filter(report=published).count() == 3


def test_an_unknown_or_cancelled_report_has_no_rating_page(
    client: Any, station_officer: Any, deputy: Any, station: Any
) -> None:
    cancelled = report_in(Status.CANCELLED, actor=station_officer, deputy=deputy, station=station)
    assert client.get(reverse("dutyreports_h5:rate", args=["nope"])).status_code == 404
    assert client.get(reverse("dutyreports_h5:rate", args=[cancelled.token])).status_code == 404


def test_the_rating_form_is_rate_limited(client: Any, published: Any, settings: Any) -> None:
    settings.RATE_LIMITS = {"duty_report_rate": (2, 600)}
    url = reverse("dutyreports_h5:rate", args=[published.token])
    for _ in range(2):
        client.post(url, {"code": "00000000", "verdict": "satisfied"})
    refused = client.post(url, {"code": codes_of(published, 6)[5], "verdict": "satisfied"})
    assert refused.status_code == 429
    assert "操作过于频繁" in refused.content.decode()
