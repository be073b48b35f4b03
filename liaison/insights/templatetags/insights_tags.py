"""Template filters of the insights app: the classifier's confidence in words.

A number such as "置信度 0.99" reads as a promise; on short texts the model is sure of wrong
answers ("咨询加装电梯补贴政策" → 商贸旅游, 0.99). Staff see a word instead, from the same
threshold that decides whether a person must choose (`suggestion_needs_review`).
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()

#: At or above this (and not flagged for review) a suggestion is called 高.
HIGH_CONFIDENCE = 0.9


@register.filter
def confidence_words(case: object) -> str:
    """高 / 中 / 低 for the suggestion stored on a case ("" when it has none)."""
    confidence = getattr(case, "suggestion_confidence", None)
    if not getattr(case, "suggestion_label", "") or confidence is None:
        return ""
    if getattr(case, "suggestion_needs_review", False):
        return _("低")
    return _("高") if confidence >= HIGH_CONFIDENCE else _("中")
