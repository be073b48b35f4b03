"""What the suggestion pages share: access decorators and the Chinese text of a refusal."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability
from liaison.accounts.decorators import staff_required
from liaison.suggestions.models import Status
from liaison.suggestions.services import SuggestionConflict
from liaison.workflow.table import TransitionNotAllowed

see_view = staff_required(Capability.SEE_SUGGESTIONS)
file_view = staff_required(Capability.FILE_SUGGESTIONS)
review_view = staff_required(Capability.REVIEW_SUGGESTIONS)
unit_view = staff_required(Capability.HANDLE_SUGGESTIONS)

SERVICE_ERRORS = (SuggestionConflict, TransitionNotAllowed, ValidationError, PermissionDenied)


def error_text(error: Exception) -> str:
    """A Chinese message for whatever a suggestion service refused."""
    if isinstance(error, TransitionNotAllowed):
        label = dict(Status.choices).get(error.current, error.current)
        return _("该建议当前状态为“%(s)s”，不能进行此操作，请刷新页面后再试。") % {"s": label}
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    if isinstance(error, PermissionDenied):
        return str(error) or _("您无权对该建议进行此操作。")
    raise error
