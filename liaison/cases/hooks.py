"""What the apps above cases (insights, reports) ask to be told about a case.

Cases sits below the apps that analyse it, so it cannot call them. An app above adds its
listener here when the apps are ready (its AppConfig.ready); the case services call the
listeners after the transaction that made the change has committed, so a listener never sees a
change that was rolled back, and a failing listener cannot undo the person's work.

Today: `reply_recorded` (insights scores the new reply, `liaison.insights.apps`), and the
mentions of a case shown on its timeline and tracking page (`case_mentions`: suggestions names
the deputy's suggestion a case was raised in, `liaison.suggestions.apps`).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)

ReplyListener = Callable[[int], None]
_reply_listeners: list[ReplyListener] = []


def reply_listener_add(listener: ReplyListener) -> None:
    """Call `listener(case_id)` after every reply recorded on a case (idempotent per listener)."""
    if listener not in _reply_listeners:
        _reply_listeners.append(listener)


def reply_recorded_on_commit(*, case_id: int) -> None:
    """Tell every listener about the reply, once the current transaction commits."""
    for listener in _reply_listeners:
        transaction.on_commit(partial(_call, listener, case_id))


def _call(listener: ReplyListener, case_id: int) -> None:
    try:
        listener(case_id)
    except Exception:
        # The reply is recorded either way; a listener's own work (a score) can be redone later.
        logger.exception("reply listener %r failed for case %s", listener, case_id)


@dataclass(frozen=True)
class CaseMention:
    """A line about the case from an app above (public text: no personal data)."""

    at: datetime.datetime
    text: str


MentionProvider = Callable[[int], list[CaseMention]]
_mention_providers: list[MentionProvider] = []


def mention_provider_add(provider: MentionProvider) -> None:
    """Add `provider(case_id) -> [CaseMention]` to the case's timeline (idempotent)."""
    if provider not in _mention_providers:
        _mention_providers.append(provider)


def case_mentions(case_id: int) -> list[CaseMention]:
    """Every mention of the case by the apps above, oldest first (one query per provider)."""
    found = [m for provider in _mention_providers for m in provider(case_id)]
    return sorted(found, key=lambda m: m.at)
