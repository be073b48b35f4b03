"""Cached template fragments of the public pages (decision 0048): their keys (language, station,
filter, what they show), what is never cached (a bound form, the CSRF token), and that personal
data stays masked in what is kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from liaison.cases.models import Case
from liaison.cases.tests.public_helpers import force_replied, submitted
from liaison.common.hotcache import clear_all
from liaison.common.pagecache import fragment_digest
from liaison.jurisdiction.models import JurisdictionSetting
from liaison.stations import public_picker

pytestmark = pytest.mark.django_db

NEW = "/cases/new/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN = re.compile(r'name="client_token" value="([0-9a-f]{32})"')


@pytest.fixture(autouse=True)
def _fragments_on(settings: Any) -> Iterator[None]:
    settings.HOT_CACHE_SECONDS = 30
    clear_all()
    yield
    clear_all()


def _fragments() -> list[str]:
    """The fragments in the (local memory) fragment cache of this process."""
    store = caches["template_fragments"]
    keys = [key.split(":", 2)[2] for key in list(store._cache)]  # type: ignore[attr-defined]
    return [str(store.get(key)) for key in keys]


def _html(response: Any) -> str:
    assert response.status_code == 200
    return str(response.content.decode())


# --- keys ---------------------------------------------------------------------------------------


def test_digest_has_the_language_the_time_zone_and_every_part_apart() -> None:
    base = fragment_digest("S1", "岳麓")
    assert base == fragment_digest("S1", "岳麓")
    assert base != fragment_digest("S1", "岳麓街道")
    assert fragment_digest("a:", "b") != fragment_digest("a", ":b")  # no joined text
    with translation.override("en"):
        assert fragment_digest("S1", "岳麓") != base
    with timezone.override("UTC"):
        assert fragment_digest("S1", "岳麓") != base


def test_form_fragments_are_per_language(station: Any, settings: Any) -> None:
    """One language only today; a second would get fragments of its own."""
    settings.LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
    _html(Client().get(NEW, {"station": station.code}))
    chinese = len(_fragments())
    assert chinese >= 1
    _html(Client().get(NEW, {"station": station.code}, HTTP_ACCEPT_LANGUAGE="en"))
    assert len(_fragments()) == 2 * chinese


def test_region_select_is_kept_per_language_and_value(hunan: None) -> None:
    first = public_picker.region_select(value="", empty_label="全部", attrs={"id": "r"})
    assert public_picker.region_select(value="", empty_label="全部", attrs={"id": "r"}) is first
    chosen = public_picker.region_select(value="430104000000", empty_label="全部", attrs={})
    assert '<option value="430104000000" selected>' in chosen
    assert " selected" not in first.replace('<option value="" selected>', "")
    with translation.override("en"):
        assert public_picker.region_select(value="", empty_label="全部", attrs={"id": "r"}) == first
    languages = {key[0] for key in public_picker._region_selects._data}
    assert languages == {"zh-hans", "en"}


# --- the intake form ----------------------------------------------------------------------------


def test_every_visitor_gets_a_token_of_their_own_around_the_cached_fields(station: Any) -> None:
    pages = []
    for _visitor in range(2):
        client = Client(enforce_csrf_checks=True)
        pages.append(_html(client.get(NEW, {"station": station.code})))
    assert _fragments()  # the fields came from the cache the second time
    tokens = [CSRF.search(page) for page in pages]
    clients = [TOKEN.search(page) for page in pages]
    assert all(tokens) and all(clients)
    assert tokens[0].group(1) != tokens[1].group(1)  # type: ignore[union-attr]
    assert clients[0].group(1) != clients[1].group(1)  # type: ignore[union-attr]
    for fragment in _fragments():
        assert "csrfmiddlewaretoken" not in fragment
        assert "client_token" not in fragment


def test_a_form_sent_back_with_errors_is_never_cached(station: Any) -> None:
    client = Client()
    _html(client.get(NEW, {"station": station.code}))
    sent = {"station": station.code, "title": "我家漏水王小明", "content": "", "client_token": "x"}
    page = _html(client.post(NEW + f"?station={station.code}", sent))
    assert "我家漏水王小明" in page  # the person's own text comes back to them
    assert "请填写内容" in page
    assert not any("我家漏水王小明" in fragment for fragment in _fragments())
    other = _html(Client().get(NEW, {"station": station.code}))
    assert "我家漏水王小明" not in other
    assert "请填写内容" not in other


def test_the_publish_default_of_each_station_is_its_own(station: Any, other_station: Any) -> None:
    JurisdictionSetting.objects.create(
        region_id="430104000000", key="echo_wall_publish_default", value=True
    )
    checked = re.compile(r'<input type="checkbox" name="allow_publish"[^>]*checked')
    assert checked.search(_html(Client().get(NEW, {"station": station.code})))
    assert not checked.search(_html(Client().get(NEW, {"station": other_station.code})))
    assert checked.search(_html(Client().get(NEW, {"station": station.code})))


def test_the_station_picker_is_kept_per_filter(station: Any, other_station: Any) -> None:
    everywhere = _html(Client().get(NEW))
    assert station.name in everywhere
    assert other_station.name in everywhere
    narrowed = _html(Client().get(NEW, {"region": "430121"}))
    assert other_station.name in narrowed
    assert station.name not in narrowed
    # The cache tag joins its keys with ":": two filters that would join alike stay apart.
    first = _html(Client().get(NEW, {"region": "43:", "q": "岳麓"}))
    second = _html(Client().get(NEW, {"region": "43", "q": ":岳麓"}))
    assert 'value="岳麓"' in first
    assert 'value=":岳麓"' in second


def test_a_new_station_shows_in_the_picker_after_the_services_clear_the_caches(
    station: Any,
) -> None:
    from liaison.stations.tests.factories import StationFactory

    _html(Client().get(NEW))
    StationFactory(name="新开的联络站", region_id="430104002000")
    assert "新开的联络站" not in _html(Client().get(NEW))  # kept, as the rows it is made of
    clear_all()  # what the station services do on commit
    assert "新开的联络站" in _html(Client().get(NEW))


# --- the echo wall and the directory ------------------------------------------------------------


def test_echo_entries_are_never_stale_and_keep_personal_data_masked(
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
    force_replied(case, reply="已修复，王小明请知悉。")
    url = reverse("cases_h5:echo")
    assert "已修复" in _html(client.get(url))
    kept = "".join(_fragments())
    assert "路灯不亮" in kept
    for secret in ("王小明", "13800138000"):
        assert secret not in kept
    # Changed without a move (no version bump): the entry's key follows what it shows.
    Case.objects.filter(pk=case.pk).update(reply="已于周五修复。")
    page = _html(client.get(url))
    assert "已于周五修复" in page
    assert "已修复，" not in page


def test_directory_rows_follow_a_renamed_station(client: Any, station: Any) -> None:
    url = reverse("h5:directory")
    assert station.name in _html(client.get(url))
    assert any(station.name in fragment for fragment in _fragments())
    station.name = "改名后的联络站"
    station.save()
    assert "改名后的联络站" in _html(client.get(url))
