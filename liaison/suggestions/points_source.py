"""What deputies' suggestions hand the points ledger (registered in `SuggestionsConfig.ready`).

A suggestion counts for its lead deputy (领衔代表) once congress staff accept it (立案), in the
quarter of acceptance, for as long as it stays on the handling path; merged into another one it
stops counting (the primary counts for its own author), which appends a reversal (decision 0030).
Co-signers earn nothing: one suggestion, one deputy's points.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.points.rules import RuleKey
from liaison.points.sources import Fact
from liaison.suggestions.models import Status, Suggestion

SOURCE = "suggestion"
COUNTING = (Status.ACCEPTED, Status.ASSIGNED, Status.ANSWERED, Status.REHANDLING, Status.CLOSED)


def suggestion_facts(
    deputy_ids: Collection[int] | None, start: datetime.date, end: datetime.date
) -> Iterator[Fact]:
    rows = Suggestion.objects.filter(
        status__in=COUNTING,
        accepted_at__isnull=False,
        accepted_at__date__gte=start - datetime.timedelta(days=1),
        accepted_at__date__lte=end + datetime.timedelta(days=1),
    )
    if deputy_ids is not None:
        rows = rows.filter(author_id__in=deputy_ids)
    for pk, author_id, accepted_at, title in rows.values_list(
        "pk", "author_id", "accepted_at", "title"
    ):
        assert accepted_at is not None
        label = (_("代表建议：%(t)s") % {"t": title})[:200]
        on = timezone.localtime(accepted_at).date()
        yield Fact(author_id, RuleKey.SUGGESTION, SOURCE, pk, on, label=label)
