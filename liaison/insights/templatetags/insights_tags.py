"""Template filters of the insights app: the classifier's confidence in words.

A number such as "置信度 0.99" reads as a promise; on short texts the model is sure of wrong
answers ("咨询加装电梯补贴政策" → 商贸旅游, 0.99). Staff see a word instead, from the same
threshold that decides whether a person must choose (`hint_needs_review`).
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()

#: At or above this (and not flagged for review) a hint is called 高.
HIGH_CONFIDENCE = 0.9


@register.filter
def confidence_words(case: object) -> str:
    """高 / 中 / 低 for the hint stored on a case ("" when it has none)."""
    confidence = getattr(case, "hint_confidence", None)
    if not getattr(case, "hint_label", "") or confidence is None:
        return ""
    if getattr(case, "hint_needs_review", False):
        return _("低")
    return _("高") if confidence >= HIGH_CONFIDENCE else _("中")
