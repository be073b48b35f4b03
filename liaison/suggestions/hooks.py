"""What suggestions hands the apps below it at start-up (see `apps.SuggestionsConfig.ready`):
the "raised in suggestion No. n" line on a source case's timeline, and the published suggestions
on the deputy's public page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from liaison.cases.hooks import CaseMention, mention_provider_add
from liaison.deputies.models import Deputy
from liaison.deputies.selectors import PublicItem, PublicSection, public_section_provider_add
from liaison.suggestions.models import SourceKind, Status, Suggestion, SuggestionSource

PUBLIC_LIMIT = 20


def case_mentions(case_id: int) -> list[CaseMention]:
    """The submitted suggestions that name the case as a source: one query, two when the case is
    named at all."""
    sources = SuggestionSource.objects.filter(kind=SourceKind.CASE, case_id=case_id)
    # Most cases are never named: a probe of the source table alone (nothing joined to compile)
    # answers them, a tenth of the public tracking page's time otherwise (issue 16).
    if not sources.exists():
        return []
    rows = (
        sources.filter(suggestion__number__isnull=False)
        .exclude(suggestion__status__in=(Status.DRAFT, Status.WITHDRAWN))
        .select_related("suggestion__session__congress")
        # Only what the line shows: the three joined rows are wide, and compiling their every
        # column was a third of the public tracking page's time (issue 16).
        .only(
            "suggestion__submitted_at",
            "suggestion__created_at",
            "suggestion__number",
            "suggestion__session__term",
            "suggestion__session__session",
            "suggestion__session__congress__name",
        )
    )
    return [
        CaseMention(
            at=row.suggestion.submitted_at or row.suggestion.created_at,
            text=_("已被人大代表写入代表建议（%(session)s %(number)s）")
            % {"session": row.suggestion.session, "number": row.suggestion.number_label},
        )
        for row in rows
    ]


def public_suggestions(deputy: Deputy) -> PublicSection | None:
    """The deputy's suggestions that both the deputy and the congress allowed to publish."""
    rows = Suggestion.objects.filter(
        author=deputy,
        deputy_allows_publication=True,
        congress_allows_publication=True,
        status__in=(Status.ANSWERED, Status.CLOSED),
    ).order_by("-answered_at")[:PUBLIC_LIMIT]
    items = tuple(
        PublicItem(
            title=row.title,
            meta=f"{row.number_label} · {row.get_grade_display()}",
            text=row.answer,
        )
        for row in rows
    )
    return PublicSection(heading=_("代表建议及办理答复"), items=items)


def register() -> None:
    mention_provider_add(case_mentions)
    public_section_provider_add(public_suggestions)
