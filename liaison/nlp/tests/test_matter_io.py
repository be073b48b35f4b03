"""A `MatterIndex` saved by one process and loaded by another answers exactly as the one saved
(decision 0050); a file that is not whole, or whose space is not the one it names, is refused."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from liaison.nlp import matter_io
from liaison.nlp.matter import MatterIndex, MatterMatch, reference_space
from liaison.nlp.matter_io import IndexFileError, load_index, read_meta, save_index

PAVING = (
    "人民路人行道地砖松动",
    "人民路步行街一段人行道地砖松动，下雨天踩上去溅水，老人容易摔倒，希望尽快修复。",
)


def _answers(index: MatterIndex, queries: list[tuple[str, str]]) -> list[list[MatterMatch]]:
    return [index.query(title, detail, k=15, min_similarity=0.2) for title, detail in queries]


def _roundtrip(index: MatterIndex, path: Path) -> MatterIndex:
    save_index(path, index, meta={"last_pk": 7})
    loaded, meta = load_index(path)
    assert meta["last_pk"] == 7
    return loaded


def test_a_loaded_index_answers_exactly_as_the_one_saved(
    labeled_rows: list[dict[str, str]], tmp_path: Path
) -> None:
    sample = random.Random(13).sample(labeled_rows, 2_100)
    rows = [(i, r["title"], r["detail"]) for i, r in enumerate(sample[:2_000])]
    rows.append((5_000, *PAVING))
    built = MatterIndex(rows, space=reference_space())
    loaded = _roundtrip(built, tmp_path / "county.npz")
    queries = [(r["title"], r["detail"]) for r in sample[2_000:]] + [PAVING]
    queries += [(title, detail) for _, title, detail in rows[:50]]
    assert loaded._common == built._common
    # Equal, not approximately: the same vectors, the same place flags, the same arithmetic.
    assert _answers(loaded, queries) == _answers(built, queries)
    assert any(_answers(built, queries))
    # The file carries its space; the indexes a process loads share one copy of it.
    again = _roundtrip(MatterIndex(rows[:10], space=reference_space()), tmp_path / "other.npz")
    assert again._space is loaded._space


def test_a_grown_index_is_saved_with_every_row(tmp_path: Path) -> None:
    rows = [(i, f"枫林路第{i}段路灯不亮", f"枫林路{i}号路灯坏了") for i in range(40)]
    grown = MatterIndex(rows[:5], space=reference_space())
    for start in range(5, 40, 3):  # more blocks than MAX_BLOCKS
        grown.add(rows[start : start + 3])
    loaded = _roundtrip(grown, tmp_path / "grown.npz")
    assert len(loaded) == 40
    queries = [(title, detail) for _, title, detail in rows[::7]]
    assert _answers(loaded, queries) == _answers(grown, queries)


def test_an_index_with_its_own_idf_carries_it(tmp_path: Path) -> None:
    built = MatterIndex([(1, *PAVING), (2, "医院停车难", "停车位太少")], space=None)
    loaded = _roundtrip(built, tmp_path / "own.npz")
    assert _answers(loaded, [PAVING]) == _answers(built, [PAVING])
    assert [m.id for m in _answers(loaded, [PAVING])[0]] == [1]


def test_an_empty_index_round_trips(tmp_path: Path) -> None:
    loaded = _roundtrip(MatterIndex([], space=reference_space()), tmp_path / "empty.npz")
    assert len(loaded) == 0
    assert loaded.query(*PAVING) == []


def test_a_partial_or_garbage_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "county.npz"
    save_index(path, MatterIndex([(1, *PAVING)], space=reference_space()), meta={})
    whole = path.read_bytes()
    for broken in (whole[: len(whole) // 2], b"not an index", b""):
        path.write_bytes(broken)
        with pytest.raises(IndexFileError):
            load_index(path)
        with pytest.raises(IndexFileError):
            read_meta(path)


def test_a_space_that_does_not_match_its_fingerprint_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "county.npz"
    save_index(path, MatterIndex([(1, *PAVING)], space=reference_space()), meta={})
    with np.load(path) as archive:
        arrays = {name: archive[name] for name in archive.files}
    arrays["space_idf"] = arrays["space_idf"] * 2
    np.savez(path, **arrays)
    monkeypatch.setattr(matter_io, "_spaces", {})
    with pytest.raises(IndexFileError, match="fingerprint"):
        load_index(path)


def test_the_write_replaces_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "county.npz"
    save_index(path, MatterIndex([(1, *PAVING)], space=reference_space()), meta={"n": 1})
    save_index(path, MatterIndex([], space=reference_space()), meta={"n": 2})
    assert read_meta(path)["n"] == 2
    assert [p.name for p in tmp_path.iterdir()] == ["county.npz"]  # no temporary file left


def test_only_integer_ids_are_saved(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        save_index(
            tmp_path / "x.npz",
            MatterIndex([("paving", *PAVING)], space=reference_space()),
            meta={},
        )
