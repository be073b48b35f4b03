"""The per-process cache of hot reads and the precompiled one-row INSERT."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from liaison.cases.models import Case, EventKind
from liaison.cases.tests.factories import CaseFactory
from liaison.common import hotcache
from liaison.common.fastinsert import insert_one
from liaison.jurisdiction.models import JurisdictionSetting
from liaison.jurisdiction.selectors import setting_value
from liaison.jurisdiction.services import setting_set


def test_values_are_kept_until_they_expire(monkeypatch: Any) -> None:
    cache: hotcache.HotCache[int] = hotcache.HotCache("test")
    clock = [100.0]
    monkeypatch.setattr(hotcache.time, "monotonic", lambda: clock[0])
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    with override_settings(HOT_CACHE_SECONDS=30):
        assert cache.get("k", compute) == 1
        clock[0] += 29
        assert cache.get("k", compute) == 1
        clock[0] += 2
        assert cache.get("k", compute) == 2
        hotcache.clear_all()
        assert cache.get("k", compute) == 3


def test_zero_seconds_turns_caching_off() -> None:
    cache: hotcache.HotCache[int] = hotcache.HotCache("off")
    values = iter([1, 2])
    with override_settings(HOT_CACHE_SECONDS=0):
        assert cache.get("k", lambda: next(values)) == 1
        assert cache.get("k", lambda: next(values)) == 2


def test_the_cache_stays_bounded() -> None:
    cache: hotcache.HotCache[int] = hotcache.HotCache("small", max_entries=3)
    with override_settings(HOT_CACHE_SECONDS=30):
        for key in range(10):
            cache.get(key, lambda key=key: key)  # type: ignore[misc]
    assert len(cache._data) <= 3


@pytest.mark.django_db
def test_a_setting_change_in_this_process_is_seen_at_once(
    hunan: None, county_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from liaison.regions.models import Region

    county = Region.objects.get(code="430104000000")
    with override_settings(HOT_CACHE_SECONDS=300):
        before = setting_value(key="case_accept_working_days", region=county)
        with django_capture_on_commit_callbacks(execute=True):
            setting_set(region=county, key="case_accept_working_days", value=5, actor=county_staff)
        assert before != 5
        assert setting_value(key="case_accept_working_days", region=county) == 5
        # A row written behind the services' back is only seen after the expiry (documented).
        JurisdictionSetting.objects.filter(region=county).update(value=7)
        assert setting_value(key="case_accept_working_days", region=county) == 5
    hotcache.clear_all()


@pytest.mark.django_db
def test_insert_one_writes_what_save_would(station: Any) -> None:
    same = {"station": station, "region": station.region, "title": "同一件事"}
    template = CaseFactory.build(tracking_code="C1", contact_phone="13800001111", **same)
    saved = CaseFactory.build(tracking_code="C2", contact_phone="13800001111", **same)
    insert_one(template)
    saved.save(force_insert=True)
    fast = Case.objects.get(pk=template.pk)
    slow = Case.objects.get(pk=saved.pk)
    skip = {"id", "tracking_code", "pin_digest", "submitted_at", "consent_at", "accept_due"}
    for field in Case._meta.concrete_fields:
        if field.attname not in skip:
            assert getattr(fast, field.attname) == getattr(slow, field.attname), field.name
    assert fast.contact_phone == "13800001111"  # decrypted on read: encrypted on write
    event = fast.events.model(case=fast, kind=EventKind.NOTE, actor_role="system", note="x")
    insert_one(event)
    assert fast.events.get().at is not None


@pytest.mark.django_db
def test_cached_lists_are_handed_out_as_copies(hunan: None) -> None:
    from liaison.jurisdiction.registry import SETTINGS

    key = next(k for k, d in SETTINGS.items() if d.type == "json_list")
    with override_settings(HOT_CACHE_SECONDS=300):
        first = setting_value(key=key, region="430104000000")
        first.append("changed by a careless caller")
        assert "changed by a careless caller" not in setting_value(key=key, region="430104000000")
    hotcache.clear_all()
