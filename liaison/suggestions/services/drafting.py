"""Drafting: a deputy (or station staff helping) writes a suggestion, invites co-signers, links
its sources; co-signers confirm on their own account."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.cases.services.texts import clean_text
from liaison.deputies.models import Deputy, Seat
from liaison.stations.models import Station
from liaison.suggestions.models import (
    CongressSession,
    Cosigner,
    EventKind,
    Kind,
    Status,
    Suggestion,
    SuggestionEvent,
)
from liaison.suggestions.permissions import deputy_of
from liaison.suggestions.services.common import notify_later
from liaison.suggestions.services.flow import suggestion_begin
from liaison.suggestions.workflow import AUTHOR, HELPER
from liaison.taxonomy.models import Category
from liaison.workflow.events import event_append, event_build

TITLE_LIMIT = 100
# A hard cap per part; the congress's own limit on the whole text is checked on submit.
PART_LIMIT = 50_000


def holds_seat(deputy: Deputy, session: CongressSession) -> bool:
    """Whether the deputy sits in the congress (same region, level and term) of `session`."""
    today = timezone.localdate()
    return (
        Seat.objects.filter(
            deputy=deputy, congress_id=session.congress_id, level=session.level, term=session.term
        )
        .exclude(ends_on__lt=today)
        .exists()
    )


def station_deputies(station: Station) -> QuerySet[Deputy]:
    """Active deputies assigned to the station now (whom its staff may draft for)."""
    today = timezone.localdate()
    return Deputy.objects.filter(
        Q(assignments__ends_on__isnull=True) | Q(assignments__ends_on__gte=today),
        assignments__station=station,
        is_active=True,
    ).distinct()


def _texts(*, title: str, problem: str, analysis: str, proposal: str) -> dict[str, str]:
    return {
        "title": clean_text(title, field="title", limit=TITLE_LIMIT, required=_("请填写标题")),
        "problem": clean_text(problem, field="problem", limit=PART_LIMIT),
        "analysis": clean_text(analysis, field="analysis", limit=PART_LIMIT),
        "proposal": clean_text(proposal, field="proposal", limit=PART_LIMIT),
    }


def suggestion_create(
    *,
    actor: User,
    session: CongressSession,
    title: str,
    problem: str = "",
    analysis: str = "",
    proposal: str = "",
    category: Category | None = None,
    kind: str = Kind.INDIVIDUAL,
    author: Deputy | None = None,
    station: Station | None = None,
) -> Suggestion:
    """A new draft: by the deputy themself, or by station staff for a deputy of their station."""
    texts = _texts(title=title, problem=problem, analysis=analysis, proposal=proposal)
    own = deputy_of(actor)
    if author is None:
        author = own
    if author is None:
        raise PermissionDenied
    if author != own:
        # Station staff draft for a deputy: the station must be theirs.
        helper = capability_scope(actor, Capability.HELP_SUGGESTIONS)
        if station is None or not helper.covers_station(
            region_code=station.region_id, path=station.path
        ):
            raise PermissionDenied
        if not station_deputies(station).filter(pk=author.pk).exists():
            raise ValidationError(
                {"author": _("%(name)s 不是本联络站的驻站代表") % {"name": author.name}}
            )
    if kind not in Kind.values:
        raise ValidationError({"kind": _("请选择建议类型")})
    if not holds_seat(author, session):
        raise ValidationError({"session": _("该代表不是此次会议所属人大的代表")})
    with transaction.atomic():
        suggestion = Suggestion.objects.create(
            session=session,
            congress_id=session.congress_id,
            author=author,
            station=station,
            kind=kind,
            category=category,
            created_by=actor,
            **texts,
        )
        event_append(
            event_build(
                model=SuggestionEvent,
                subject=suggestion,
                kind=EventKind.CREATED,
                actor=actor,
                role=AUTHOR if author == own else HELPER,
                note=_("起草建议"),
            )
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=suggestion,
            region_code=session.congress_id,
            after={"title": suggestion.title, "author": author.pk, "session": session.pk},
            note=_("起草代表建议"),
        )
    return suggestion


def suggestion_update(
    *,
    suggestion: Suggestion,
    actor: User,
    expected_version: int | None = None,
    title: str,
    problem: str,
    analysis: str,
    proposal: str,
    category: Category | None = None,
    kind: str | None = None,
) -> Suggestion:
    """Save the draft (the autosave calls this too); no timeline event, an audit row."""
    texts = _texts(title=title, problem=problem, analysis=analysis, proposal=proposal)
    if kind is not None and kind not in Kind.values:
        raise ValidationError({"kind": _("请选择建议类型")})
    with transaction.atomic():
        step = suggestion_begin(
            suggestion=suggestion, action="edit", actor=actor, expected_version=expected_version
        )
        row = step.row
        before: dict[str, Any] = {k: getattr(row, k) for k in texts}
        for name, value in texts.items():
            setattr(row, name, value)
        row.category = category
        if kind is not None:
            row.kind = kind
        step.save(fields=[*texts, "category", "kind", "updated_at"])
        step.audit(EventKind.EDITED, before=before, after=texts, note=_("修改建议草稿"))
    return row


def cosigner_invite(*, suggestion: Suggestion, actor: User, deputy: Deputy) -> Cosigner:
    """Ask a deputy of the same congress to co-sign."""
    with transaction.atomic():
        step = suggestion_begin(suggestion=suggestion, action="edit", actor=actor)
        row = step.row
        if deputy.pk == row.author_id:
            raise ValidationError({"deputy": _("领衔代表无需附议")})
        if not deputy.is_active or not holds_seat(deputy, row.session):
            raise ValidationError(
                {"deputy": _("%(name)s 不是本届同级人大代表，不能附议") % {"name": deputy.name}}
            )
        cosigner, created = Cosigner.objects.get_or_create(suggestion=row, deputy=deputy)
        if not created:
            raise ValidationError({"deputy": _("已邀请该代表附议")})
        step.save(fields=[])
        step.event(EventKind.COSIGN_INVITED, note=deputy.name, data={"deputy": deputy.pk})
        step.audit(EventKind.COSIGN_INVITED, after={"cosigner": deputy.pk})
        if deputy.user_id:
            step.notify(
                lambda: notify_later(
                    user_ids=[deputy.user_id] if deputy.user_id else [],
                    title=_("请确认是否附议代表建议“%(t)s”") % {"t": row.title},
                    suggestion_id=row.pk,
                )
            )
    return cosigner


def cosigner_remove(*, suggestion: Suggestion, actor: User, deputy: Deputy) -> None:
    with transaction.atomic():
        step = suggestion_begin(suggestion=suggestion, action="edit", actor=actor)
        deleted, _rows = Cosigner.objects.filter(suggestion=step.row, deputy=deputy).delete()
        if not deleted:
            raise ValidationError({"deputy": _("该代表不在附议名单中")})
        step.save(fields=[])
        step.audit(EventKind.EDITED, after={"cosigner_removed": deputy.pk})


def cosign_answer(*, suggestion: Suggestion, actor: User, confirm: bool) -> Cosigner:
    """The invited deputy confirms or declines, on their own account."""
    with transaction.atomic():
        step = suggestion_begin(suggestion=suggestion, action="cosign", actor=actor)
        deputy = deputy_of(actor)
        cosigner = Cosigner.objects.select_for_update().get(suggestion=step.row, deputy=deputy)
        cosigner.state = Cosigner.State.CONFIRMED if confirm else Cosigner.State.DECLINED
        cosigner.answered_at = timezone.now()
        cosigner.save(update_fields=["state", "answered_at"])
        kind = EventKind.COSIGNED if confirm else EventKind.COSIGN_DECLINED
        step.save(fields=[])
        step.event(kind, note=deputy.name if deputy else "")
        step.audit(kind, after={"cosigner": cosigner.deputy_id, "state": cosigner.state})
    return cosigner


def suggestion_withdraw(*, suggestion: Suggestion, actor: User) -> Suggestion:
    with transaction.atomic():
        step = suggestion_begin(
            suggestion=suggestion, action="withdraw", actor=actor, target=Status.WITHDRAWN
        )
        step.row.due_on, step.row.due_state = None, ""
        step.finish(fields=["due_on", "due_state"], kind=EventKind.WITHDRAWN, note=_("代表撤回"))
    return step.row
