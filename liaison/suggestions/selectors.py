"""Scoped reads of suggestions: who may see which, the queues, similar suggestions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Q, QuerySet, When
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability, capability_scope, has_capability
from liaison.accounts.scoping import AnyUser
from liaison.nlp.matter import DEFAULT_MIN_SIMILARITY, MAX_ROWS, MatterIndex, reference_space
from liaison.suggestions.models import (
    OPEN_STATUSES,
    WATCHED_STATUSES,
    Cosigner,
    DueState,
    Status,
    Suggestion,
    SuggestionUnit,
)
from liaison.suggestions.permissions import deputy_of, unit_ids_of

LIST_RELATED = ("author", "lead_unit", "session__congress", "congress", "category")
# The queues show neither the session nor the congress: fewer joins before the sort.
QUEUE_RELATED = ("author", "lead_unit", "category")


def _visible_q(user: AnyUser) -> Q:
    condition = Q(pk__in=[])
    deputy = deputy_of(user)
    if deputy is not None:
        cosigned = Cosigner.objects.filter(deputy=deputy).values("suggestion_id")
        condition |= Q(author=deputy) | Q(pk__in=cosigned)
    staff = capability_scope(user, Capability.REVIEW_SUGGESTIONS)
    condition |= staff.q(region_field="congress_id")
    helper = capability_scope(user, Capability.HELP_SUGGESTIONS)
    condition |= helper.q(region_field="station__region_id", station_path_field="station__path")
    units = unit_ids_of(user)
    if units:
        # The lead unit has its SuggestionUnit row too: one indexed subquery, no OR per row.
        condition |= Q(pk__in=_unit_rows(units))
    return condition


def _unit_rows(units: tuple[int, ...]) -> QuerySet[SuggestionUnit, Any]:
    return SuggestionUnit.objects.filter(unit_id__in=units, is_current=True).values("suggestion_id")


def suggestions_visible_to(user: AnyUser) -> QuerySet[Suggestion]:
    """Suggestions the user may see: as author or co-signer, staff of the congress, staff of the
    station that helped, or a unit it is assigned to. Drafts only to their writers."""
    if not user.is_authenticated:
        return Suggestion.objects.none()
    return Suggestion.objects.filter(_visible_q(user))


def suggestion_get_for_user(user: AnyUser, pk: int) -> Suggestion:
    found = (
        suggestions_visible_to(user)
        .select_related(*LIST_RELATED, "station", "category", "merged_into")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("no such suggestion")
    if found.status == Status.DRAFT and not _writes_drafts(user, found):
        raise Http404("a draft of someone else")
    return found


def _writes_drafts(user: AnyUser, suggestion: Suggestion) -> bool:
    deputy = deputy_of(user)
    if deputy is not None and (
        suggestion.author_id == deputy.pk
        or Cosigner.objects.filter(suggestion=suggestion, deputy=deputy).exists()
    ):
        return True
    station = suggestion.station
    return station is not None and capability_scope(
        user, Capability.HELP_SUGGESTIONS
    ).covers_station(region_code=station.region_id, path=station.path)


def deputy_suggestions(user: AnyUser) -> QuerySet[Suggestion]:
    """The deputy's own suggestions and those they were asked to co-sign, newest first."""
    deputy = deputy_of(user)
    if deputy is None:
        return Suggestion.objects.none()
    cosigned = Cosigner.objects.filter(deputy=deputy).values("suggestion_id")
    return (
        Suggestion.objects.filter(Q(author=deputy) | Q(pk__in=cosigned))
        .select_related(*LIST_RELATED)
        .order_by("-updated_at", "-pk")
    )


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    due_state: str = ""
    session_id: int | None = None
    priority: bool = False
    category_id: int | None = None
    q: str = ""


def _filtered(rows: QuerySet[Suggestion], filters: QueueFilters) -> QuerySet[Suggestion]:
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.due_state:
        rows = rows.filter(due_state=filters.due_state)
    if filters.session_id:
        rows = rows.filter(session_id=filters.session_id)
    if filters.priority:
        rows = rows.filter(is_priority=True)
    if filters.category_id:
        # A first-level category takes its children too (the draft offers two levels).
        rows = rows.filter(
            Q(category_id=filters.category_id) | Q(category__parent_id=filters.category_id)
        )
    if filters.q:
        rows = rows.filter(title__icontains=filters.q)
    return rows


def staff_queue(user: AnyUser, filters: QueueFilters) -> QuerySet[Suggestion]:
    """The congress staff's suggestions (never drafts), the nearest deadline first."""
    scope = capability_scope(user, Capability.REVIEW_SUGGESTIONS)
    rows = Suggestion.objects.filter(scope.q(region_field="congress_id")).exclude(
        status=Status.DRAFT
    )
    return _filtered(rows, filters).select_related(*LIST_RELATED).order_by("due_on", "-pk")


def unit_queue(user: AnyUser, filters: QueueFilters) -> QuerySet[Suggestion]:
    """What the user's units lead or co-handle now, the nearest deadline first."""
    units = unit_ids_of(user)
    if not units:
        return Suggestion.objects.none()
    rows = Suggestion.objects.filter(pk__in=_unit_rows(units))
    return _filtered(rows, filters).select_related(*QUEUE_RELATED).order_by("due_on", "pk")


SUPERVISION_ROWS = 20
_RED_FIRST = Case(When(due_state=DueState.RED, then=0), default=1)


def supervised_suggestions(user: AnyUser) -> list[Suggestion]:
    """The late (red) and nearly late (yellow) suggestions in the user's review scope, red and
    nearest deadline first, capped (the page links to the queue for the rest); one query."""
    scope = capability_scope(user, Capability.REVIEW_SUGGESTIONS)
    if scope.is_empty:
        return []
    rows = Suggestion.objects.filter(
        scope.q(region_field="congress_id"),
        status__in=WATCHED_STATUSES,
        due_state__in=(DueState.RED, DueState.YELLOW),
    )
    return list(
        rows.select_related(*QUEUE_RELATED).order_by(_RED_FIRST, "due_on", "pk")[:SUPERVISION_ROWS]
    )


@dataclass(frozen=True)
class SimilarSuggestion:
    suggestion: Suggestion
    similarity: float


def _text(row: Suggestion) -> str:
    return "\n".join(p for p in (row.problem, row.proposal) if p)


def similar_suggestions(
    suggestion: Suggestion, *, user: AnyUser, limit: int = 5
) -> list[SimilarSuggestion]:
    """Open suggestions of the same session most like this one (merge candidates), by the
    duplicate search of the NLP engine (`nlp.matter`, as cases/similar.py)."""
    candidates = list(
        suggestions_visible_to(user)
        .filter(session_id=suggestion.session_id, status__in=OPEN_STATUSES)
        .exclude(pk=suggestion.pk)
        .order_by("-pk")
        .only("pk", "title", "problem", "proposal")[:MAX_ROWS]
    )
    if not candidates:
        return []
    index = MatterIndex([(c.pk, c.title, _text(c)) for c in candidates], space=reference_space())
    matches = index.query(
        suggestion.title, _text(suggestion), k=limit, min_similarity=DEFAULT_MIN_SIMILARITY
    )
    found = {
        s.pk: s
        for s in Suggestion.objects.filter(pk__in=[m.id for m in matches]).select_related(
            *LIST_RELATED
        )
    }
    return [
        SimilarSuggestion(found[int(str(m.id))], m.similarity) for m in matches if m.id in found
    ]


def suggestion_cards(user: AnyUser) -> list[dict[str, object]]:
    """The workbench home cards of the suggestion loop (one count each), by capability."""
    cards: list[dict[str, object]] = []
    if has_capability(user, Capability.HANDLE_SUGGESTIONS):
        waiting = unit_queue(user, QueueFilters()).filter(
            status__in=(Status.ASSIGNED, Status.REHANDLING)
        )
        cards.append(
            {
                "label": _("待办理的代表建议"),
                "value": waiting.count(),
                "help": _("本单位主办或协办"),
                "url": reverse("suggestions:units"),
            }
        )
    if has_capability(user, Capability.REVIEW_SUGGESTIONS):
        waiting = staff_queue(user, QueueFilters()).filter(
            status__in=(Status.SUBMITTED, Status.ACCEPTED)
        )
        cards.append(
            {
                "label": _("待审查交办的建议"),
                "value": waiting.count(),
                "help": _("交办期限内"),
                "url": reverse("suggestions:queue"),
            }
        )
    if deputy_of(user) is not None:
        cards.append(
            {
                "label": _("我的代表建议"),
                "value": deputy_suggestions(user).count(),
                "help": _("领衔和附议"),
                "url": reverse("suggestions:mine"),
            }
        )
    return cards


def suggestions_of_deputy_in_year(*, deputy_id: int, year: int) -> QuerySet[Suggestion]:
    """Suggestions the deputy led and submitted in `year` (drafts are the deputy's own business
    and stay out of the file), by submission."""
    return (
        Suggestion.objects.filter(author_id=deputy_id, submitted_at__year=year)
        .select_related("session", "lead_unit")
        .order_by("submitted_at", "id")
    )


def suggestions_of_station_in_year(*, station_id: int, year: int) -> QuerySet[Suggestion]:
    """Submitted suggestions of `year` drafted with the station's help or led by a deputy
    assigned to it (the station's suggestion register)."""
    from_station = Q(station_id=station_id) | Q(
        author__assignments__station_id=station_id, author__assignments__ends_on__isnull=True
    )
    return (
        Suggestion.objects.filter(from_station, submitted_at__year=year)
        .distinct()
        .order_by("number", "pk")
    )
