"""Every write to grids, posts and assignments: one transaction per use case, row locks,
validation, an audit row.

Validation errors are `ValidationError`s keyed by field with Chinese messages for the person at
the form; acting outside one's scope raises `PermissionDenied` with a Chinese message (views check
first and answer 404, this is the backstop).
"""

from liaison.grids.services.assignments import assignment_end, post_assign
from liaison.grids.services.grids import grid_create, grid_deactivate, grid_update
from liaison.grids.services.posts import post_create, post_deactivate, post_update

__all__ = [
    "assignment_end",
    "grid_create",
    "grid_deactivate",
    "grid_update",
    "post_assign",
    "post_create",
    "post_deactivate",
    "post_update",
]
