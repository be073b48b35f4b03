"""Background tasks of the insights app (Django tasks; run by `manage.py worker`)."""

from __future__ import annotations

from typing import Any

from django.tasks import task

from liaison.insights.reply_scores import reply_scores_store


@task()
def score_reply_task(case_id: int) -> dict[str, Any]:
    """Assess a reply once it is recorded and store its score (enqueued on commit).

    The monthly report then reads the stored score instead of scoring the month's replies.
    """
    stored = reply_scores_store(case_ids=[case_id]).get(case_id)
    return {"case_id": case_id, "score": stored.score if stored else None}


def reply_score_enqueue(case_id: int) -> None:
    """Queue the scoring of a reply just recorded (called after its commit, cases/hooks.py)."""
    score_reply_task.enqueue(case_id=case_id)
