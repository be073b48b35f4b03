"""The similar-case index (decisions 0046 and 0050): grown by the cases that arrive and still
scoped to the viewer (built in the request, as the test settings do), then the production way:
built by the worker into a file that the web processes load, never built in a request."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from liaison.cases import similar, similar_store
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
def worker(settings: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """Production mode: the index files live in tmp_path, and the test runs the worker's sweep
    (in its own thread, so the worker sees the test database) when it wants: the counties built."""
    settings.SIMILAR_INDEX_INLINE = False
    settings.SIMILAR_INDEX_DIR = tmp_path
    monkeypatch.setattr(similar_store, "_failed", {})

    def sweep() -> int:
        built = 0
        while similar_store.similar_indexes_sweep():
            built += 1
        return built

    return sweep


def _age(case: Any, seconds: float) -> None:
    """Make the county's file look `seconds` old (the worker rebuilds by its age)."""
    path = similar_store.index_path(*similar.county_bounds(case.region_id))
    then = time.time() - seconds
    os.utime(path, (then, then))


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
    county_staff: Any, as_user: Any, worker: Callable[[], int]
) -> None:
    case = _noise_case()
    twin = _noise_case()
    client = as_user(county_staff)
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "相似件正在准备" in body
    assert twin.tracking_code not in body
    client.get(reverse("cases:detail", args=[case.pk]))
    assert worker() == 1  # asked twice, built once
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "相似件正在准备" not in body
    assert twin.tracking_code in body
    assert worker() == 0  # fresh: nothing to do


def test_the_intake_panel_asks_again_while_the_index_is_prepared(
    county_staff: Any, station: Any, as_user: Any, worker: Callable[[], int]
) -> None:
    twin = _noise_case(station=station)
    client = as_user(county_staff)
    params = {"station": str(station.pk), "title": TITLE, "content": NOISE}
    body = client.get(reverse("cases:intake_similar"), params).content.decode()
    assert "data-similar-retry" in body
    worker()
    body = client.get(reverse("cases:intake_similar"), params).content.decode()
    assert twin.tracking_code in body
    assert "data-similar-retry" not in body


def test_a_request_never_builds_the_index(
    county_staff: Any, as_user: Any, worker: Callable[[], int], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _noise_case()
    _noise_case()
    read: list[str] = []
    reading = similar_store.county_rows

    def counted(low: str, high: str) -> Any:
        read.append(low)
        return reading(low, high)

    monkeypatch.setattr(similar_store, "county_rows", counted)
    client = as_user(county_staff)
    for _ in range(3):
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert similar.similar_open_cases(case) is None
    assert read == []
    assert similar._counties == {}
    worker()
    assert len(read) == 1  # the worker's build


def test_a_missing_file_asks_the_worker(
    yuelu: Any, changsha_county: Any, worker: Callable[[], int]
) -> None:
    case = _noise_case()
    _noise_case(region_id="430121001000")  # a county nobody looks at
    assert similar_store.due_counties() == []
    assert similar.similar_open_cases(case) is None
    bounds = similar.county_bounds(case.region_id)
    assert similar_store.due_counties() == [bounds]
    assert worker() == 1
    assert similar_store.index_path(*bounds).exists()
    assert not similar_store.index_path(*similar.county_bounds("430121001000")).exists()
    # Asked long ago, the county is no longer kept.
    asked = similar_store.index_dir() / f"{bounds[0]}-{bounds[1]}.asked"
    then = time.time() - similar_store.ASKED_SECONDS - 1
    os.utime(asked, (then, then))
    _age(case, similar_store.REBUILD_SECONDS + 1)
    assert similar_store.due_counties() == []


def test_a_newer_file_is_picked_up_and_closed_rows_are_pruned(
    yuelu: Any, worker: Callable[[], int]
) -> None:
    case = _noise_case()
    twin = _noise_case()
    similar.similar_open_cases(case)
    worker()
    assert _found(case) == [twin.pk]
    first = _entry(case)
    assert first.stamp is not None
    assert len(first.index) == 2
    twin.status = Status.CLOSED
    twin.save()
    assert _found(case) == []  # dropped by the final query, still indexed
    assert _entry(case) is first
    assert worker() == 0  # not old yet
    _age(case, similar_store.REBUILD_SECONDS + 1)
    assert worker() == 1
    assert _found(case) == []
    assert _entry(case) is not first
    assert len(_entry(case).index) == 1  # the closed case is no longer indexed


@pytest.mark.parametrize("broken", ["garbage", "partial"])
def test_an_unusable_file_is_ignored_logged_and_rebuilt(
    yuelu: Any, worker: Callable[[], int], broken: str, caplog: pytest.LogCaptureFixture
) -> None:
    case = _noise_case()
    twin = _noise_case()
    similar.similar_open_cases(case)
    worker()
    path = similar_store.index_path(*similar.county_bounds(case.region_id))
    whole = path.read_bytes()
    path.write_bytes(b"PK\x03\x04 not an index" if broken == "garbage" else whole[:-100])
    similar.clear_cache()  # a process that starts now
    with caplog.at_level(logging.WARNING, logger="liaison.cases.similar_store"):
        assert similar.similar_open_cases(case) is None
        assert similar.similar_open_cases(case) is None
    unusable = [r for r in caplog.records if "unusable" in r.getMessage()]
    assert len(unusable) == 1  # tried once, not at every view
    assert worker() == 1  # asked at once, whatever the file's age
    assert _found(case) == [twin.pk]


def test_nothing_is_lost_across_the_rebuild(
    yuelu: Any, worker: Callable[[], int], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _noise_case()
    assert similar.similar_open_cases(case) is None
    worker()
    added = _noise_case()
    assert _found(case) == [added.pk]  # grown in the process

    # A case arrives after the worker has read the open cases, before its file is written.
    reading = similar_store.county_rows
    late: list[Any] = []

    def read_then_a_case_arrives(low: str, high: str) -> Any:
        found = reading(low, high)
        late.append(_noise_case())
        return found

    monkeypatch.setattr(similar_store, "county_rows", read_then_a_case_arrives)
    _age(case, similar_store.REBUILD_SECONDS + 1)
    assert worker() == 1
    assert set(_found(case)) == {added.pk, late[0].pk}


def test_a_long_quiet_spell_is_rebuilt_by_the_worker(
    yuelu: Any, worker: Callable[[], int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(similar, "DELTA_MAX", 2)
    case = _noise_case()
    similar.similar_open_cases(case)
    worker()
    assert _found(case) == []
    many = [_noise_case() for _ in range(3)]
    # Too many to read in a request: the old index answers and the worker is asked at once.
    assert _found(case) == []
    assert _entry(case).rebuilding
    assert _found(case) == []  # no second look at the new cases
    assert worker() == 1
    assert set(_found(case)) == {c.pk for c in many}


def test_a_failed_build_is_tried_again(
    yuelu: Any,
    worker: Callable[[], int],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    case = _noise_case()
    twin = _noise_case()
    reading = similar_store.county_rows

    def broken(low: str, high: str) -> Any:
        raise RuntimeError("disk full")

    monkeypatch.setattr(similar_store, "county_rows", broken)
    assert similar.similar_open_cases(case) is None
    assert worker() == 0
    assert "failed" in caplog.text
    monkeypatch.setattr(similar_store, "county_rows", reading)
    assert worker() == 0  # paused, so that one county failing does not hold the others
    monkeypatch.setattr(similar_store, "FAILED_PAUSE_SECONDS", 0)
    assert worker() == 1
    assert _found(case) == [twin.pk]


def test_a_failed_inline_build_is_tried_at_the_next_view(
    yuelu: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _noise_case()
    twin = _noise_case()
    reading = similar._build

    def broken(low: str, high: str) -> similar.CountyIndex:
        raise RuntimeError("disk full")

    monkeypatch.setattr(similar, "_build", broken)
    assert similar.similar_open_cases(case) is None
    monkeypatch.setattr(similar, "_build", reading)
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


def test_the_command_builds_a_county_or_all_of_them(
    yuelu: Any, changsha_county: Any, worker: Callable[[], int]
) -> None:
    case = _noise_case()
    twin = _noise_case()
    elsewhere = _noise_case(region_id="430121001000")
    out = StringIO()
    call_command("similar_index", county=["430104"], stdout=out)
    assert "430104000000: 2 open case(s)" in out.getvalue()
    assert _found(case) == [twin.pk]  # no worker needed: the file is there
    call_command("similar_index", all=True, stdout=StringIO())
    assert similar_store.index_path(*similar.county_bounds(elsewhere.region_id)).exists()
    with pytest.raises(CommandError):
        call_command("similar_index", county=["43"], stdout=StringIO())


def test_a_county_nobody_views_for_a_week_is_forgotten(
    yuelu: Any, changsha_county: Any, worker: Callable[[], int]
) -> None:
    viewed, quiet = _noise_case(), _noise_case(region_id="430121001000")
    for case in (viewed, quiet):
        similar.similar_open_cases(case)
    similar_store.county_ask(*similar.county_bounds(quiet.region_id), stale=True)
    assert worker() == 2
    by_hand = ("430199000000", "430199999999")  # built by `manage.py similar_index`, never viewed
    similar_store.county_build(*by_hand)
    stray = similar_store.index_dir() / "notes.txt"  # not the sweeper's: left alone
    stray.write_text("x")
    week_ago = time.time() - similar_store.FORGET_SECONDS - 1
    quiet_files = list(similar_store.index_dir().glob("430121*"))
    assert {p.suffix for p in quiet_files} == {".npz", ".asked", ".stale"}
    for path in [*quiet_files, similar_store.index_path(*by_hand)]:
        os.utime(path, (week_ago, week_ago))

    assert worker() == 0  # nothing due: the sweep forgets instead
    assert list(similar_store.index_dir().glob("430121*")) == []
    assert not similar_store.index_path(*by_hand).exists()
    assert similar_store.index_path(*similar.county_bounds(viewed.region_id)).exists()
    assert stray.exists()
    # Viewed again, the county is asked for and built as the first time.
    similar._looked.clear()
    similar.similar_open_cases(quiet)
    assert similar_store.due_counties() == [similar.county_bounds(quiet.region_id)]
    assert worker() == 1


def test_forgetting_is_skipped_while_a_county_is_due_and_survives_a_missing_directory(
    yuelu: Any,
    worker: Callable[[], int],
    settings: Any,
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    similar.similar_open_cases(_noise_case())
    calls: list[float | None] = []

    def counted(now: float | None = None) -> int:
        calls.append(now)
        return 0

    monkeypatch.setattr(similar_store, "forget_unviewed", counted)
    assert worker() == 1
    assert len(calls) == 1  # only the call that found nothing due
    monkeypatch.undo()
    settings.SIMILAR_INDEX_DIR = tmp_path / "missing"
    assert similar_store.forget_unviewed() == 0
