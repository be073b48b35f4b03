"""Where a suggestion came from (decision 0025): cases, hot topics of the monthly analysis,
reception records and verified activities (the last two through `source_kinds`, decision 0039).

Each kind is one function here and one typed foreign key on `SuggestionSource`; the person may
link only what they may see.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.cases.models import Case
from liaison.cases.selectors import cases_visible_to
from liaison.reports.models import MonthlyReport
from liaison.reports.selectors import reports_visible_to
from liaison.suggestions.models import (
    SOURCE_FIELDS,
    EventKind,
    SourceKind,
    Suggestion,
    SuggestionSource,
)
from liaison.suggestions.services.flow import suggestion_begin
from liaison.suggestions.source_kinds import label_of, may_link

MAX_SOURCES = 50


def _add(suggestion: Suggestion, actor: User, **fields: object) -> SuggestionSource:
    with transaction.atomic():
        step = suggestion_begin(suggestion=suggestion, action="edit", actor=actor)
        if SuggestionSource.objects.filter(suggestion=step.row).count() >= MAX_SOURCES:
            raise ValidationError({"source": _("来源最多 %(n)s 项") % {"n": MAX_SOURCES}})
        source = SuggestionSource.objects.create(suggestion=step.row, **fields)
        step.save(fields=[])
        step.audit(
            EventKind.EDITED,
            after={"source": source.kind, "label": source.label},
            note=_("添加建议来源"),
        )
    return source


def source_add_case(*, suggestion: Suggestion, actor: User, case: Case) -> SuggestionSource:
    """Link a case the actor may see (each case once)."""
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise ValidationError({"source": _("您无权引用该群众意见")})
    if SuggestionSource.objects.filter(suggestion=suggestion, case=case).exists():
        raise ValidationError({"source": _("该意见已是本建议的来源")})
    label = f"{case.tracking_code} {case.title}"[:200]
    return _add(suggestion, actor, kind=SourceKind.CASE, case=case, label=label)


def source_add_hot_topic(
    *, suggestion: Suggestion, actor: User, report: MonthlyReport, rank: int
) -> SuggestionSource:
    """Link the `rank`-th hot topic of a monthly report the actor may see."""
    if not reports_visible_to(actor).filter(pk=report.pk).exists():
        raise ValidationError({"source": _("您无权引用该月度研判报告")})
    topics = (report.data or {}).get("hot_topics") or []
    topic = next((t for t in topics if t.get("rank") == rank), None)
    if topic is None:
        raise ValidationError({"source": _("该月度研判报告中没有这个热点")})
    label = _("%(month)s 热点：%(label)s") % {
        "month": report.month.strftime("%Y-%m"),
        "label": topic.get("label", ""),
    }
    return _add(
        suggestion, actor, kind=SourceKind.HOT_TOPIC, report=report, topic_rank=rank, label=label
    )


def _add_linked(
    suggestion: Suggestion, actor: User, kind: str, row: Model, *, refused: str, twice: str
) -> SuggestionSource:
    field = SOURCE_FIELDS[kind]
    if not may_link(kind, actor, row):
        raise ValidationError({"source": refused})
    if SuggestionSource.objects.filter(suggestion=suggestion, **{field: row}).exists():
        raise ValidationError({"source": twice})
    label = label_of(kind, row)[:200]
    return _add(suggestion, actor, kind=kind, label=label, **{field: row})


def source_add_reception(
    *, suggestion: Suggestion, actor: User, reception: Model
) -> SuggestionSource:
    """Link a reception record (接待记录) of a station the actor may see."""
    return _add_linked(
        suggestion,
        actor,
        SourceKind.RECEPTION,
        reception,
        refused=_("您无权引用该接待记录"),
        twice=_("该接待记录已是本建议的来源"),
    )


def source_add_activity(
    *, suggestion: Suggestion, actor: User, activity: Model
) -> SuggestionSource:
    """Link a verified activity the actor may see (an unverified one is refused)."""
    return _add_linked(
        suggestion,
        actor,
        SourceKind.ACTIVITY,
        activity,
        refused=_("只能引用您可查看的、已核实的履职活动"),
        twice=_("该履职活动已是本建议的来源"),
    )


def source_remove(*, suggestion: Suggestion, actor: User, source_id: int) -> None:
    with transaction.atomic():
        step = suggestion_begin(suggestion=suggestion, action="edit", actor=actor)
        deleted, _rows = SuggestionSource.objects.filter(suggestion=step.row, pk=source_id).delete()
        if not deleted:
            raise ValidationError({"source": _("没有这项来源")})
        step.save(fields=[])
        step.audit(EventKind.EDITED, after={"source_removed": source_id}, note=_("删除建议来源"))
