"""Workbench pages for cases: queues, case page and actions, intake, import, export, KPIs."""

from liaison.cases.views_staff.actions import case_act
from liaison.cases.views_staff.detail import case_detail, case_reveal
from liaison.cases.views_staff.files import case_attachment
from liaison.cases.views_staff.intake import case_intake, case_intake_similar
from liaison.cases.views_staff.jobs import (
    case_export,
    case_import,
    case_import_result,
    case_import_template,
    case_kpis,
)
from liaison.cases.views_staff.queue import case_bulk, case_queue

__all__ = [
    "case_act",
    "case_attachment",
    "case_bulk",
    "case_detail",
    "case_export",
    "case_import",
    "case_import_result",
    "case_import_template",
    "case_intake",
    "case_intake_similar",
    "case_kpis",
    "case_queue",
    "case_reveal",
]
