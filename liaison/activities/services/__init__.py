"""Every write of duty activities and work plans (typed, keyword-only, audited, atomic)."""

from liaison.activities.services.flow import ActivityConflict
from liaison.activities.services.plan import activity_cancel, activity_edit, activity_plan
from liaison.activities.services.record import (
    activity_record,
    activity_return,
    activity_submit,
    activity_verify,
    attendance_confirm,
)
from liaison.activities.services.workplan import (
    work_plan_item_add,
    work_plan_item_remove,
    work_plan_publish,
)

__all__ = [
    "ActivityConflict",
    "activity_cancel",
    "activity_edit",
    "activity_plan",
    "activity_record",
    "activity_return",
    "activity_submit",
    "activity_verify",
    "attendance_confirm",
    "work_plan_item_add",
    "work_plan_item_remove",
    "work_plan_publish",
]
