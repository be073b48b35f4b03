"""Reception days (代表接待日): schedules, days, rota, swaps, records and reminders."""

from liaison.receptions.models.jobs import (
    ReceptionReminder,
    ReminderKind,
)
from liaison.receptions.models.records import (
    Reception,
    ReceptionItem,
    ReceptionPhoto,
    VisitorSignIn,
)
from liaison.receptions.models.schedules import (
    DayStatus,
    DutyStatus,
    Frequency,
    HolidayMove,
    MonthParity,
    ReceptionDay,
    ReceptionDuty,
    ReceptionSchedule,
)
from liaison.receptions.models.swaps import (
    SwapEvent,
    SwapEventKind,
    SwapKind,
    SwapRequest,
    SwapStatus,
)

__all__ = [
    "DayStatus",
    "DutyStatus",
    "Frequency",
    "HolidayMove",
    "MonthParity",
    "Reception",
    "ReceptionDay",
    "ReceptionDuty",
    "ReceptionItem",
    "ReceptionPhoto",
    "ReceptionReminder",
    "ReceptionSchedule",
    "ReminderKind",
    "SwapEvent",
    "SwapEventKind",
    "SwapKind",
    "SwapRequest",
    "SwapStatus",
    "VisitorSignIn",
]
