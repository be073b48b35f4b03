"""Agreement of the reply-quality score with hand ratings: bands, κ, and the rated set."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from liaison.nlp.agreement import (
    RATINGS_PATH,
    AgreementError,
    _kappa,
    agreement,
    band,
    read_ratings,
    read_replies,
    scores_of,
)
from liaison.nlp.reply_quality import ReplyAssessment


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


def test_replies_file_gives_keyed_items_and_a_missing_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "replies.csv"
    path.write_text(
        "\ufeffid,title,detail,reply,submitted_at,replied_at\n"
        "7,路灯不亮,路灯坏了,已修复,2024-03-01 10:00:00,\n",
        encoding="utf-8",
    )
    [item] = read_replies(path)
    assert (item.key, item.title, item.reply) == ("7", "路灯不亮", "已修复")
    assert item.submitted_at is not None
    assert item.replied_at is None
    with pytest.raises(AgreementError, match="找不到答复数据文件"):
        read_replies(tmp_path / "absent.csv")


def test_scores_of_refuses_ids_the_replies_do_not_have() -> None:
    assessed = [ReplyAssessment(key="1", score=70, flags=(), substance_chars=30, relevance=0.2,
                                working_days=None)]  # fmt: skip
    assert scores_of(assessed, {"1"}) == {"1": 70}
    with pytest.raises(AgreementError, match="找不到"):
        scores_of(assessed, {"1", "2"})
