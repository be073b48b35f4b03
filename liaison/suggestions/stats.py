"""The handling table (办理情况) per lead unit and the session's totals: aggregates in the
database, a fixed number of queries whatever the number of suggestions or units."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.scoping import AnyUser
from liaison.suggestions.models import CongressSession, Grade, Rating, Status, Suggestion

# Everything the congress received (drafts and withdrawn ones never reached it).
RECEIVED_EXCLUDE = (Status.DRAFT, Status.WITHDRAWN)


def sessions_visible_to(user: AnyUser) -> QuerySet[CongressSession]:
    scope = capability_scope(user, Capability.REVIEW_SUGGESTIONS)
    return (
        CongressSession.objects.filter(scope.q(region_field="congress_id"))
        .select_related("congress")
        .order_by("-opens_on", "-pk")
    )


def session_rows(
    user: AnyUser, session: CongressSession, *, category_id: int | None = None
) -> QuerySet[Suggestion]:
    """The suggestions of a session in the user's review scope (optionally of one category and
    its children): what the handling table, the report and the register count."""
    scope = capability_scope(user, Capability.REVIEW_SUGGESTIONS)
    rows = Suggestion.objects.filter(scope.q(region_field="congress_id"), session=session)
    if category_id:
        rows = rows.filter(Q(category_id=category_id) | Q(category__parent_id=category_id))
    return rows


def _share(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


@dataclass
class UnitRow:
    unit_id: int | None
    name: str
    assigned: int = 0
    answered: int = 0
    on_time: int = 0
    grade_a: int = 0
    grade_b: int = 0
    grade_c: int = 0
    rated: int = 0
    satisfied: int = 0
    basic: int = 0
    unsatisfied: int = 0

    @property
    def on_time_share(self) -> float:
        return _share(self.on_time, self.answered)

    @property
    def a_share(self) -> float:
        return _share(self.grade_a, self.answered)

    @property
    def b_share(self) -> float:
        return _share(self.grade_b, self.answered)

    @property
    def c_share(self) -> float:
        return _share(self.grade_c, self.answered)

    @property
    def satisfaction(self) -> float:
        """满意 and 基本满意 among the rated answers (the first rating of a re-handled one)."""
        return _share(self.satisfied + self.basic, self.rated)


def _answered() -> Q:
    return Q(answered_at__isnull=False)


def _rating_q(rating: str) -> Q:
    # A re-handled suggestion counts by the deputy's first rating (it is the unit's first answer
    # that is judged); the others by their only rating.
    return Q(first_rating=rating) | Q(first_rating="", rating=rating)


def _aggregates() -> dict[str, Count]:
    return {
        "assigned": Count("pk"),
        "answered": Count("pk", filter=_answered()),
        "on_time": Count("pk", filter=_answered() & Q(answered_late=False)),
        "grade_a": Count("pk", filter=Q(grade=Grade.A)),
        "grade_b": Count("pk", filter=Q(grade=Grade.B)),
        "grade_c": Count("pk", filter=Q(grade=Grade.C)),
        "rated": Count("pk", filter=Q(rated_at__isnull=False)),
        "satisfied": Count("pk", filter=Q(rated_at__isnull=False) & _rating_q(Rating.SATISFIED)),
        "basic": Count("pk", filter=Q(rated_at__isnull=False) & _rating_q(Rating.BASIC)),
        "unsatisfied": Count(
            "pk", filter=Q(rated_at__isnull=False) & _rating_q(Rating.UNSATISFIED)
        ),
    }


def handling_table(rows: QuerySet[Suggestion]) -> list[UnitRow]:
    """One row per lead unit of `rows` (assigned ones), most assigned first; one query."""
    names = list(_aggregates())
    grouped: Any = (
        rows.filter(lead_unit__isnull=False)
        .values("lead_unit_id", "lead_unit__name")
        .annotate(**_aggregates())
        .values_list("lead_unit_id", "lead_unit__name", *names)
    )
    result = [
        UnitRow(unit_id, name, **dict(zip(names, counts, strict=True)))
        for unit_id, name, *counts in grouped
    ]
    return sorted(result, key=lambda u: (-u.assigned, u.name))


@dataclass
class SessionSummary:
    received: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    total: UnitRow = field(default_factory=lambda: UnitRow(unit_id=None, name="合计"))
    priority: list[Suggestion] = field(default_factory=list)


def session_summary(rows: QuerySet[Suggestion]) -> SessionSummary:
    """The session's totals: received, by status, the handling totals, the priority ones."""
    received = rows.exclude(status__in=RECEIVED_EXCLUDE)
    by_status = {
        str(Status(r["status"]).label): r["n"]
        for r in received.values("status").annotate(n=Count("pk")).order_by("status")
    }
    totals = received.filter(lead_unit__isnull=False).aggregate(**_aggregates())
    summary = SessionSummary(
        received=sum(by_status.values()),
        by_status=by_status,
        total=UnitRow(unit_id=None, name="合计", **totals),
        priority=list(
            received.filter(is_priority=True)
            .select_related("author", "lead_unit")
            .order_by("number")[:100]
        ),
    )
    return summary
