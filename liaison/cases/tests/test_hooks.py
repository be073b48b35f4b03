"""cases/hooks.py: apps above cases hear of a reply after commit, and a failing one is contained."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from django.db import transaction

from liaison.cases import hooks

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def listeners() -> Iterator[list[hooks.ReplyListener]]:
    saved = list(hooks._reply_listeners)
    hooks._reply_listeners.clear()
    yield hooks._reply_listeners
    hooks._reply_listeners[:] = saved


def test_insights_listens_for_replies_once_the_apps_are_ready() -> None:
    from liaison.insights.tasks import reply_score_enqueue

    assert reply_score_enqueue in hooks._reply_listeners


def test_listeners_run_after_commit_and_not_after_a_rollback(
    listeners: list[hooks.ReplyListener],
) -> None:
    heard: list[int] = []
    hooks.reply_listener_add(heard.append)
    hooks.reply_listener_add(heard.append)  # added twice, called once
    with transaction.atomic():
        hooks.reply_recorded_on_commit(case_id=7)
        assert heard == []
    assert heard == [7]
    with pytest.raises(RuntimeError), transaction.atomic():
        hooks.reply_recorded_on_commit(case_id=8)
        raise RuntimeError("the move failed")
    assert heard == [7]


def test_a_failing_listener_is_logged_and_the_others_still_run(
    listeners: list[hooks.ReplyListener], caplog: pytest.LogCaptureFixture
) -> None:
    heard: list[int] = []

    def broken(case_id: int) -> None:
        raise ValueError("scorer down")

    hooks.reply_listener_add(broken)
    hooks.reply_listener_add(heard.append)
    with caplog.at_level(logging.ERROR, logger="liaison.cases.hooks"), transaction.atomic():
        hooks.reply_recorded_on_commit(case_id=3)
    assert heard == [3]
    assert "reply listener" in caplog.text
