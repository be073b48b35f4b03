"""The per-process similar-case index (decision 0046): built off the request, grown by the cases
that arrive, rebuilt in the background without losing any, and still scoped to the viewer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import reverse

from liaison.cases import similar
from liaison.cases.models import Status
from liaison.cases.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

TITLE = "A3区枫林小区夜间施工噪音扰民"
NOISE = "枫林小区旁工地每天夜里施工到凌晨，噪音严重扰民，居民无法休息，请求查处。"


def _noise_case(**kw: Any) -> Any:
    return CaseFactory(title=TITLE, content=NOISE, **kw)


def _found(case: Any, user: Any = None) -> list[int]:
    result = similar.similar_open_cases(case, user=user)
    assert result is not None
    return [s.case.pk for s in result]


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The counties whose index is built from scratch (every build is counted)."""
    done: list[str] = []
    original = similar._build

    def counted(low: str, high: str) -> similar.CountyIndex:
        done.append(low)
        return original(low, high)

    monkeypatch.setattr(similar, "_build", counted)
    return done


@pytest.fixture
def background(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[Callable[[], None]]]:
    """Builds are queued as they would go to a thread; the test runs them when it wants."""
    settings.SIMILAR_INDEX_INLINE = False
    jobs: list[Callable[[], None]] = []
    monkeypatch.setattr(
        similar,
        "_spawn",
        lambda low, high: jobs.append(lambda: similar._build_and_store(low, high)),
    )
    yield jobs


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1000.0]
    monkeypatch.setattr(similar, "_now", lambda: now[0])
    return now


def _entry(case: Any) -> similar.CountyIndex:
    return similar._counties[similar.county_bounds(case.region_id)[0]]


def test_an_added_case_becomes_a_candidate_without_a_rebuild(yuelu: Any, builds: list[str]) -> None:
    case = _noise_case()
    CaseFactory(title="医院停车难", content="停车位太少")
    assert _found(case) == []
    read = _entry(case).rows_read
    twin = _noise_case()
    assert _found(case) == [twin.pk]
    assert len(builds) == 1
    assert _entry(case).rows_read == read + 1  # only the new case was read
    assert len(_entry(case).index) == 3


def test_a_case_of_another_county_is_read_but_not_indexed(
    yuelu: Any, changsha_county: Any, builds: list[str]
) -> None:
    case = _noise_case()
    _found(case)
    elsewhere = _noise_case(region_id="430121001000")
    assert _found(case) == []
    assert len(_entry(case).index) == 1
    assert _entry(case).last_pk == elsewhere.pk  # not read again
    assert len(builds) == 1


def test_added_candidates_still_respect_the_viewer_scope(
    station: Any, station_officer: Any, county_staff: Any
) -> None:
    case = _noise_case(station=station)
    assert _found(case, station_officer) == []
    hidden = _noise_case(station=None)  # same county, outside the station's scope
    mine = _noise_case(station=station)
    assert _found(case, station_officer) == [mine.pk]
    assert set(_found(case, county_staff)) == {hidden.pk, mine.pk}


def test_a_candidate_that_closed_is_dropped_by_the_final_query(yuelu: Any) -> None:
    case = _noise_case()
    twin = _noise_case()
    assert _found(case) == [twin.pk]
    twin.status = Status.CLOSED
    twin.save()
    assert _found(case) == []


def test_the_page_says_the_index_is_being_prepared_until_it_is_built(
    county_staff: Any, as_user: Any, background: list[Callable[[], None]]
) -> None:
    case = _noise_case()
    twin = _noise_case()
    client = as_user(county_staff)
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "相似件正在准备" in body
    assert twin.tracking_code not in body
    assert len(background) == 1
    client.get(reverse("cases:detail", args=[case.pk]))
    assert len(background) == 1  # one build at a time
    background.pop()()
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "相似件正在准备" not in body
    assert twin.tracking_code in body


def test_the_intake_panel_asks_again_while_the_index_is_prepared(
    county_staff: Any, station: Any, as_user: Any, background: list[Callable[[], None]]
) -> None:
    twin = _noise_case(station=station)
    client = as_user(county_staff)
    params = {"station": str(station.pk), "title": TITLE, "content": NOISE}
    body = client.get(reverse("cases:intake_similar"), params).content.decode()
    assert "data-similar-retry" in body
    background.pop()()
    body = client.get(reverse("cases:intake_similar"), params).content.decode()
    assert twin.tracking_code in body
    assert "data-similar-retry" not in body


def test_nothing_is_lost_across_the_rebuild(
    yuelu: Any,
    builds: list[str],
    background: list[Callable[[], None]],
    clock: list[float],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = _noise_case()
    assert similar.similar_open_cases(case) is None
    background.pop()()
    added = _noise_case()
    assert _found(case) == [added.pk]
    clock[0] += similar.REBUILD_SECONDS + 1
    before_rebuild = _noise_case()
    # The expired index catches up once more and answers while the new one is built.
    assert set(_found(case)) == {added.pk, before_rebuild.pk}
    assert len(background) == 1
    during = _noise_case()
    assert set(_found(case)) == {added.pk, before_rebuild.pk}

    # A case that arrives after the rebuild has read the open cases, before it is swapped in.
    reading = similar._build
    late: list[Any] = []

    def build_then_a_case_arrives(low: str, high: str) -> similar.CountyIndex:
        entry = reading(low, high)
        late.append(_noise_case())
        return entry

    monkeypatch.setattr(similar, "_build", build_then_a_case_arrives)
    background.pop()()
    assert set(_found(case)) == {added.pk, before_rebuild.pk, during.pk, late[0].pk}
    assert len(builds) == 2


def test_a_long_quiet_spell_is_rebuilt_in_the_background(
    yuelu: Any,
    background: list[Callable[[], None]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(similar, "DELTA_MAX", 2)
    case = _noise_case()
    similar.similar_open_cases(case)
    background.pop()()
    many = [_noise_case() for _ in range(3)]
    # Too many to read in a request: the old index answers and a rebuild is queued.
    assert _found(case) == []
    assert len(background) == 1
    assert _found(case) == []  # no second look while it is rebuilt
    background.pop()()
    assert set(_found(case)) == {c.pk for c in many}


def test_a_failed_build_is_tried_again(
    yuelu: Any, background: list[Callable[[], None]], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _noise_case()
    twin = _noise_case()
    reading = similar._build

    def broken(low: str, high: str) -> similar.CountyIndex:
        raise RuntimeError("disk full")

    monkeypatch.setattr(similar, "_build", broken)
    assert similar.similar_open_cases(case) is None
    background.pop()()
    monkeypatch.setattr(similar, "_build", reading)
    assert similar.similar_open_cases(case) is None
    background.pop()()
    assert _found(case) == [twin.pk]


def test_the_same_question_is_answered_from_the_index_state(
    yuelu: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _noise_case()
    twin = _noise_case()
    assert _found(case) == [twin.pk]
    asked: list[str] = []
    index = _entry(case).index
    original = index.query

    def counted(*args: Any, **kw: Any) -> Any:
        asked.append("q")
        return original(*args, **kw)

    monkeypatch.setattr(index, "query", counted)
    assert _found(case) == [twin.pk]
    assert asked == []
    third = _noise_case()  # added: the answers of the old state are forgotten
    assert set(_found(case)) == {twin.pk, third.pk}
    assert asked == ["q"]
