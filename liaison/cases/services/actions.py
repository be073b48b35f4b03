"""Case actions that do not move the status: co-handling views, relaying the answer,
categorizing, and revealing the person's contact details (audited)."""

from __future__ import annotations

from typing import Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import Role, User
from liaison.audit.services import audit_private_view
from liaison.cases.free_text import case_texts_original
from liaison.cases.models import Case, CoHandling, EventKind
from liaison.cases.permissions import actor_roles_for, co_units_of, ordered_roles
from liaison.cases.services.common import add_event, notify_later
from liaison.cases.services.flow import case_begin
from liaison.cases.services.texts import clean_text
from liaison.regions.models import ancestor_codes
from liaison.taxonomy.models import Category
from liaison.units.models import HandlingUnit

MAX_NOTE: Final = 1_000
MAX_OPINION: Final = 5_000


def case_co_opinion(*, case: Case, actor: User, unit: HandlingUnit, opinion: str) -> CoHandling:
    """A co-handling unit sends its view to the lead unit."""
    opinion = clean_text(opinion, field="opinion", limit=MAX_OPINION, required=_("请填写协办意见"))
    with transaction.atomic():
        step = case_begin(case=case, actor=actor, action="co_opinion")
        case = step.row
        if unit.pk not in co_units_of(actor, case):  # another unit's staff may not speak for it
            raise PermissionDenied
        co = CoHandling.objects.select_for_update().get(case=case, unit=unit)
        co.opinion, co.opinion_at = opinion, timezone.now()
        co.save(update_fields=["opinion", "opinion_at"])
        # The table's CO_UNIT is how a unit acts here, not a role the timeline names.
        step.role = Role.HANDLING_UNIT
        step.event(
            EventKind.CO_OPINION,
            note=_("%(u)s提交了协办意见") % {"u": unit.name},
            data={"unit": unit.pk},
        )
        step.audit(EventKind.CO_OPINION, before={}, after={"unit": unit.pk})
        notify_later(case, title=_("协办意见"), body=opinion[:200], unit=True, exclude=actor)
    return co


def case_relay(*, case: Case, actor: User, note: str = "") -> Case:
    """告知群众 / 回访: the station has told the person about the reply."""
    note = clean_text(note, field="note", limit=MAX_NOTE)
    with transaction.atomic():
        step = case_begin(case=case, actor=actor, action="relay")
        case = step.row
        case.relayed_at = timezone.now()
        step.finish(
            fields=["relayed_at"],
            kind=EventKind.RELAYED,
            note=note or _("已告知群众答复内容"),
            audit_before={},
        )
    return case


def case_set_category(*, case: Case, actor: User, category: Category | None) -> Case:
    """Change the category (triage staff); the category must belong to the case's tree."""
    with transaction.atomic():
        step = case_begin(case=case, actor=actor, action="category")
        case = step.row
        if category is not None and (
            not category.is_active
            or (
                category.region_id is not None
                and category.region_id not in ancestor_codes(case.region_id)
            )
        ):
            raise ValidationError({"category": _("请选择本辖区的有效分类")})
        before = case.category_id
        case.category = category
        # Not a decision about the case's course: the version (what a page saw) stays.
        case.save(update_fields=["category"])
        if category is not None:  # clearing is not a decision about the category
            from liaison.cases.classification import classification_feedback_record

            classification_feedback_record(case=case, actor=actor, category=category)
        step.event(
            EventKind.CATEGORIZED,
            note=str(category) if category else _("清除分类"),
            data={"from": before, "to": category.pk if category else None},
        )
        step.audit(
            EventKind.CATEGORIZED,
            before={"category": before},
            after={"category": case.category_id},
        )
    return case


def case_reveal_contact(*, case: Case, actor: User) -> dict[str, str]:
    """The person's name and phone, and the title and content as typed, in clear, for a staff
    member of the case (audited)."""
    with transaction.atomic():
        case = Case.objects.get(pk=case.pk)
        roles = actor_roles_for(actor, case)
        if not roles:
            raise PermissionDenied
        fields = ["contact_name", "contact_phone"]
        if case.free_text_private:  # the title and content as typed, before intake masked them
            fields.append("free_text_private")
        audit_private_view(actor=actor, obj=case, fields=fields, region_code=case.region_id)
        add_event(
            case,
            EventKind.PERSONAL_DATA_VIEWED,
            actor=actor,
            role=ordered_roles(roles)[0],
            note=_("查看了联系人信息和原文") if case.free_text_private else _("查看了联系人信息"),
            data={"fields": fields},
        )
    original = case_texts_original(case)
    return {
        "name": case.contact_name or "",
        "phone": case.contact_phone or "",
        "title": original.title,
        "content": original.content,
    }
