"""Helpers shared by the workbench case pages: access, error messages, scoped choices."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability
from liaison.accounts.decorators import staff_required
from liaison.cases.models import Status
from liaison.cases.services import CaseConflict
from liaison.cases.workflow import TransitionNotAllowed
from liaison.common.dberrors import is_lock_race
from liaison.regions.models import ancestor_codes
from liaison.taxonomy.models import Category

case_view = staff_required(Capability.SEE_CASES)
# Exports and KPIs; the same roles as triage since the system admin left the workbench (三权分立).
work_view = staff_required(Capability.WORK_CASES)
# Writing new cases (intake, import) is station and congress work.
triage_view = staff_required(Capability.WORK_CASES)


def error_text(error: Exception) -> str:
    """A Chinese message for whatever a loop service refused."""
    if isinstance(error, CaseConflict):
        return str(error)
    if isinstance(error, TransitionNotAllowed):
        label = dict(Status.choices).get(error.current, error.current)
        return _("该件当前状态为“%(s)s”，不能进行此操作，请刷新页面后再试。") % {"s": label}
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    if isinstance(error, PermissionDenied):
        return str(error) or _("您无权对该件进行此操作。")
    if is_lock_race(error):  # rolled back: nothing changed
        return _("该件正被他人同时处理，本次操作未生效，请刷新页面后再试。")
    raise error


# OperationalError only for `is_lock_race`: `error_text` raises any other again.
SERVICE_ERRORS = (
    CaseConflict,
    TransitionNotAllowed,
    ValidationError,
    PermissionDenied,
    OperationalError,
)


def categories_for(region_code: str) -> QuerySet[Category]:
    """Active categories a case in the region may take: the national tree and its regions'."""
    return Category.objects.filter(
        Q(region__isnull=True) | Q(region_id__in=ancestor_codes(region_code)), is_active=True
    ).order_by("path")
