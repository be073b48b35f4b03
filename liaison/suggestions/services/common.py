"""Helpers of the suggestion services: text limits, who to tell, links."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from liaison.cases.selectors import users_by_keys
from liaison.notifications.services import notify_users
from liaison.notifications.subjects import Subject
from liaison.suggestions.models import Suggestion


def staff_url(suggestion_id: int) -> str:
    return reverse("suggestions:detail", kwargs={"pk": suggestion_id})


def reviewer_ids(congress_code: str) -> set[int]:
    """The congress staff whose region covers the congress."""
    return users_by_keys(region_codes=[congress_code]).get(("region", congress_code), set())


def unit_staff_ids(unit_ids: Iterable[int]) -> set[int]:
    keys = users_by_keys(unit_ids=unit_ids)
    return {u for (kind, _id), users in keys.items() if kind == "unit" for u in users}


def notify_later(*, user_ids: Iterable[int], title: str, suggestion_id: int) -> None:
    """An inbox message about the suggestion (run after commit by the step)."""
    notify_users(
        users=list(user_ids),
        title=title,
        url=staff_url(suggestion_id),
        subject=Subject.ref(Suggestion, suggestion_id),
    )
