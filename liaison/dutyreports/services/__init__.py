"""Every write of duty reports (typed, keyword-only, audited, atomic)."""

from liaison.dutyreports.services.flow import DutyReportConflict
from liaison.dutyreports.services.rating import duty_report_rate
from liaison.dutyreports.services.record import (
    duty_report_hold,
    duty_report_publish,
    duty_report_sheet_printed,
)
from liaison.dutyreports.services.schedule import (
    Invitee,
    duty_report_cancel,
    duty_report_schedule,
)

__all__ = [
    "DutyReportConflict",
    "Invitee",
    "duty_report_cancel",
    "duty_report_hold",
    "duty_report_publish",
    "duty_report_rate",
    "duty_report_schedule",
    "duty_report_sheet_printed",
]
