"""The classifier's confidence is shown in words (高/中/低), never as a number (issue 11)."""

from __future__ import annotations

from types import SimpleNamespace

from liaison.insights.templatetags.insights_tags import confidence_words


def _case(confidence: float | None, *, review: bool = False, label: str = "城乡建设") -> object:
    return SimpleNamespace(hint_label=label, hint_confidence=confidence, hint_needs_review=review)


def test_words_follow_the_review_flag_and_the_high_bar() -> None:
    assert confidence_words(_case(0.99)) == "高"
    assert confidence_words(_case(0.75)) == "中"
    assert confidence_words(_case(0.5, review=True)) == "低"


def test_no_suggestion_no_word() -> None:
    assert confidence_words(_case(None)) == ""
    assert confidence_words(_case(0.9, label="")) == ""
