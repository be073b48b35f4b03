"""A constituent's opinion or appeal (民意 / 诉求, `Case`) and its append-only history.

Milestones live on the row (accepted_at, reply_due, replied_at …) so queues and reports never
replay events; `CaseEvent` is the history, the public timeline and the audit trail of every move.
"""

from liaison.cases.models.case import Attachment, Case, CoHandling
from liaison.cases.models.choices import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    PUBLIC_EVENT_KINDS,
    Channel,
    DeclineReason,
    DueState,
    EventKind,
    Kind,
    Rating,
    Status,
)
from liaison.cases.models.classification import ClassificationFeedback
from liaison.cases.models.events import CaseEvent
from liaison.cases.models.intake import IntakeEntry
from liaison.cases.models.jobs import CaseImport, JobStatus
from liaison.cases.models.kpis import KpiDay, KpiRollupMark
from liaison.cases.models.oversight import ExtensionRequest, Supervision
from liaison.cases.models.pins import PinGuard

__all__ = [
    "FINAL_STATUSES",
    "OPEN_STATUSES",
    "PUBLIC_EVENT_KINDS",
    "Attachment",
    "Case",
    "CaseEvent",
    "CaseImport",
    "Channel",
    "ClassificationFeedback",
    "CoHandling",
    "DeclineReason",
    "DueState",
    "EventKind",
    "ExtensionRequest",
    "IntakeEntry",
    "JobStatus",
    "Kind",
    "KpiDay",
    "KpiRollupMark",
    "PinGuard",
    "Rating",
    "Status",
    "Supervision",
]
