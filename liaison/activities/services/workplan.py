"""A station's annual work plan (代表法 art. 43): items by month, published on the station page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.models import User
from liaison.activities.models import Activity, Status, WorkPlan, WorkPlanItem
from liaison.activities.rules import kind_ensure
from liaison.activities.services.checks import text_clean
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.stations.models import Station

MIN_YEAR, MAX_YEAR = 2000, 2100


def _ensure_planner(actor: User, station: Station) -> None:
    scope = capability_scope(actor, Capability.PLAN_ACTIVITIES)
    if not scope.covers_station(region_code=station.region_id, path=station.path):
        raise PermissionDenied


def work_plan_item_add(
    *, actor: User, station: Station, year: int, month: int, kind: str, title: str
) -> WorkPlanItem:
    """Add an item to the station's plan of `year` (the plan is made with its first item)."""
    _ensure_planner(actor, station)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": _("年度不正确。")}, code="year")
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("月份应为 1–12。")}, code="month")
    kind_ensure(kind, region=station.region_id)
    title = text_clean(title, field="title", label=_("事项"), limit=100)
    with transaction.atomic():
        plan, _created = WorkPlan.objects.get_or_create(station=station, year=year)
        plan = WorkPlan.objects.select_for_update().get(pk=plan.pk)
        item = WorkPlanItem.objects.create(plan=plan, month=month, kind=kind, title=title)
        WorkPlan.objects.filter(pk=plan.pk).update(version=plan.version + 1)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=item,
            region_code=station.region_id,
            after={"plan": plan.pk, "year": year, "month": month, "kind": kind, "title": title},
            note=_("年度工作计划增加事项"),
        )
    return item


def work_plan_item_remove(*, actor: User, item: WorkPlanItem) -> None:
    """Remove an item that has not been held (a held item stays: the public saw it fulfilled)."""
    station = item.plan.station
    _ensure_planner(actor, station)
    with transaction.atomic():
        held = Activity.objects.filter(plan_item=item, status=Status.VERIFIED).exists()
        if held:
            raise ValidationError(_("该事项已开展（有已核实的活动），不能删除。"), code="held")
        before = {"plan": item.plan_id, "month": item.month, "kind": item.kind, "title": item.title}
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=item,
            region_code=station.region_id,
            before=before,
            note=_("年度工作计划删除事项"),
        )
        item.delete()


def work_plan_publish(*, actor: User, plan: WorkPlan, publish: bool) -> WorkPlan:
    """Show the plan on the public station page (or take it off)."""
    _ensure_planner(actor, plan.station)
    if publish and not plan.items.exists():
        raise ValidationError(_("计划还没有任何事项，不能公布。"), code="empty")
    with transaction.atomic():
        plan = WorkPlan.objects.select_for_update().get(pk=plan.pk)
        before = {"published_at": plan.published_at}
        plan.published_at = timezone.now() if publish else None
        plan.version += 1
        plan.save(update_fields=["published_at", "version"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=plan,
            region_code=plan.station.region_id,
            before=before,
            after={"published_at": plan.published_at},
            note=_("公布年度工作计划") if publish else _("撤回年度工作计划"),
        )
    return plan
