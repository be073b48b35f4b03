"""The command that publishes the agreement of the reply-quality score with hand ratings."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from liaison.common.shared_data import shared_file
from liaison.nlp.agreement import END, START


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
