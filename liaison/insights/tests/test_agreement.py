"""Agreement of the reply-quality score with hand ratings, and the command that publishes it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from liaison.common.shared_data import shared_file
from liaison.insights.agreement import (
    END,
    RATINGS_PATH,
    START,
    _kappa,
    agreement,
    band,
    read_ratings,
)


def test_bands_follow_the_old_supervision_line() -> None:
    assert [band(s) for s in (0, 59, 60, 79, 80, 100)] == [
        "poor", "poor", "acceptable", "acceptable", "good", "good",
    ]  # fmt: skip


def test_kappa_of_perfect_and_of_chance_agreement() -> None:
    assert _kappa([[5, 0, 0], [0, 5, 0], [0, 0, 5]], weighted=False) == pytest.approx(1.0)
    assert _kappa([[1, 1, 1], [1, 1, 1], [1, 1, 1]], weighted=True) == pytest.approx(0.0)


def test_agreement_counts_the_poor_band() -> None:
    scores = {"a": 20, "b": 30, "c": 90, "d": 85, "e": 65}
    ratings = {"a": "poor", "b": "good", "c": "good", "d": "good", "e": "acceptable"}
    result = agreement(scores=scores, ratings=ratings)
    assert result.rated == 5
    assert result.poor_precision == 0.5
    assert result.poor_recall == 1.0
    assert result.confusion[0] == [1, 0, 1]
    assert not result.meets_bar  # too few ratings, precision too low


def test_the_rated_set_holds_ids_and_ratings_only() -> None:
    with RATINGS_PATH.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 60
    assert set(rows[0]) == {"message_id", "rating"}
    assert all(row["message_id"].isdigit() for row in rows)
    assert set(read_ratings().values()) == {"good", "acceptable", "poor"}


def test_command_writes_the_figures_into_the_doc(tmp_path: Path) -> None:
    replies = shared_file("teddy2020", "replies.csv")
    if not replies.is_file():
        pytest.skip(f"real data not available at {replies}")
    doc = tmp_path / "doc.md"
    doc.write_text(f"# Reply quality\n\n{START}\nold\n{END}\n\nafter\n", encoding="utf-8")
    call_command("reply_quality_agreement", doc=doc, replies=replies, stdout=io.StringIO())
    text = doc.read_text(encoding="utf-8")
    assert "old" not in text
    assert text.endswith("after\n")
    assert "manage.py reply_quality_agreement" in text
    assert "Spearman" in text
    assert "Bar met: no" in text  # 60 ratings from one rater cannot meet it


def test_command_refuses_unknown_ids(tmp_path: Path) -> None:
    replies = shared_file("teddy2020", "replies.csv")
    if not replies.is_file():
        pytest.skip(f"real data not available at {replies}")
    ratings = tmp_path / "r.csv"
    ratings.write_text("message_id,rating\n999999999,good\n1,poor\n", encoding="utf-8")
    with pytest.raises(CommandError, match="找不到"):
        call_command("reply_quality_agreement", ratings=ratings, replies=replies, no_write=True)
