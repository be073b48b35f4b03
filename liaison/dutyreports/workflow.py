"""The life of a duty report as a pure transition table. No database access.

scheduled ──hold──▶ held ──publish──▶ published
    └─cancel──▶ cancelled

Actors are staff roles (liaison.accounts.models.Role values) and the deputy who reports
(REPORTER), who may schedule, record and cancel their own report like station staff. Publishing
puts text and photos on the public page: station or congress staff decide it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from liaison.accounts.capabilities import Capability, roles_with
from liaison.dutyreports.models import Status
from liaison.workflow.table import transition_allowed

REPORTER: Final = "reporter"

ORGANISERS: Final = frozenset({*roles_with(Capability.SCHEDULE_DUTY_REPORTS), REPORTER})
PUBLISHERS: Final = frozenset(roles_with(Capability.SCHEDULE_DUTY_REPORTS))

TRANSITIONS: Final[Mapping[tuple[str, str], frozenset[str]]] = {
    # After the meeting: the text, how many came, the photos.
    (Status.SCHEDULED, Status.HELD): ORGANISERS,
    # On the deputy's public page.
    (Status.HELD, Status.PUBLISHED): PUBLISHERS,
    # A scheduled report that will not take place.
    (Status.SCHEDULED, Status.CANCELLED): ORGANISERS,
}

ALL_ACTORS: Final = frozenset({*roles_with(*Capability), REPORTER})


def allowed(current: str, target: str, actor: str) -> bool:
    return transition_allowed(TRANSITIONS, current, target, actor)
