"""Every write to stations: one transaction per use case, row locks, validation, an audit row.

Validation errors are `ValidationError`s keyed by field with messages for the person at the form;
acting outside one's scope raises `PermissionDenied` (views check first, this is the backstop).
"""

from liaison.stations.services.appearances import (
    station_appearance_add,
    station_appearance_cancel,
)
from liaison.stations.services.assessments import station_assessment_create
from liaison.stations.services.scans import scan_count_increment
from liaison.stations.services.stations import (
    station_change_status,
    station_create,
    station_move,
    station_update,
)

__all__ = [
    "scan_count_increment",
    "station_appearance_add",
    "station_appearance_cancel",
    "station_assessment_create",
    "station_change_status",
    "station_create",
    "station_move",
    "station_update",
]
