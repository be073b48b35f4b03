"""The shared cache of whole public pages (decision 0041): its keys, what it never stores, and
that personal data stays masked on the pages it keeps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from liaison.cases.tests.public_helpers import force_replied, submitted
from liaison.common.pagecache import PREFIX, page_key
from liaison.deputies.tests.factories import DeputyFactory, SeatFactory, StationDeputyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings: Any) -> Iterator[None]:
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30
    cache.clear()
    yield
    cache.clear()


def _stored() -> list[Any]:
    """The public pages in the (local memory) test cache."""
    keys = [key.split(":", 2)[2] for key in list(cache._cache) if PREFIX in key]  # type: ignore[attr-defined]
    return [cache.get(key) for key in keys]


def test_key_has_the_view_the_language_the_path_and_every_parameter() -> None:
    rf = RequestFactory()
    base = page_key("echo", rf.get("/cases/echo/", {"region": "430104", "page": "2"}))
    assert base == page_key("echo", rf.get("/cases/echo/?page=2&region=430104"))  # any order
    assert base != page_key("echo", rf.get("/cases/echo/", {"region": "430104", "page": "3"}))
    assert base != page_key("echo", rf.get("/cases/echo/", {"region": "430105", "page": "2"}))
    assert base != page_key("echo", rf.get("/cases/echo/?page=2&region=430104&region=430105"))
    assert base != page_key("station", rf.get("/cases/echo/?page=2&region=430104"))
    assert page_key("s", rf.get("/s/SA/")) != page_key("s", rf.get("/s/SA/?via=qr"))
    with translation.override("en"):
        assert base != page_key("echo", rf.get("/cases/echo/?page=2&region=430104"))


def test_second_visitor_gets_the_stored_page_with_its_own_headers(
    client: Any, station: Any
) -> None:
    url = reverse("h5:station", args=[station.code])
    first = client.get(url)
    assert len(_stored()) == 1
    station.name = "改名后的站点"
    station.save()
    second = client.get(url)
    # Stale within the bound (decision 0041), and the headers are made anew for this answer.
    assert second.content == first.content
    assert "Content-Security-Policy" in second.headers
    assert "Set-Cookie" not in second.headers


def test_cached_public_pages_hold_no_personal_data_nonce_or_token(
    client: Any, station: Any
) -> None:
    case, _pin = submitted(
        station,
        allow_publish=True,
        title="路灯不亮",
        content="我叫王小明，电话13800138000，住麓山小区3栋",
        contact_name="王小明",
        contact_phone="13800138000",
    )
    force_replied(case)
    deputy = DeputyFactory()
    SeatFactory(deputy=deputy)
    StationDeputyFactory(station=station, deputy=deputy)
    urls = [
        "/",
        reverse("h5:directory"),
        reverse("h5:station", args=[station.code]),
        reverse("deputies_h5:detail", args=[deputy.code]),
        reverse("cases_h5:echo"),
        reverse("cases_h5:echo") + f"?station={station.code}",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    pages = _stored()
    assert len(pages) == len(urls)
    html = "".join(body.decode() for body, _type in pages)
    assert "路灯不亮" in html  # the echo wall is among them
    for secret in ("王小明", "13800138000", "csrfmiddlewaretoken", "nonce="):
        assert secret not in html


def test_pages_with_a_visitors_own_data_are_never_stored(client: Any, station: Any) -> None:
    case, _pin = submitted(station)
    session = client.session
    session["cases_tracked"] = [case.tracking_code]
    session.save()
    assert client.get(reverse("cases_h5:track", args=[case.tracking_code])).status_code == 200
    assert client.get(reverse("cases_h5:track")).status_code == 200
    assert client.get(reverse("cases_h5:submit") + f"?s={station.code}").status_code == 200
    assert _stored() == []


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page_that_is_not_stored(
    client: Any, rf: Any, station: Any
) -> None:
    storage = CookieStorage(rf.get("/"))
    storage.add(constants.INFO, "仅给这位访客的提示")
    response = HttpResponse()
    storage.update(response)  # the cookie a redirect would have carried to this visitor
    client.cookies[storage.cookie_name] = response.cookies[storage.cookie_name].value
    body = client.get("/").content.decode()
    assert "仅给这位访客的提示" in body
    assert _stored() == []
    client.cookies.pop(storage.cookie_name, None)
    assert "仅给这位访客的提示" not in client.get("/").content.decode()
    assert len(_stored()) == 1
