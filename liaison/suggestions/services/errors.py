from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class SuggestionConflict(ValidationError):
    """The suggestion changed since the person looked at it."""

    def __init__(self, *, status_label: str) -> None:
        super().__init__(
            _("该建议已被他人处理（当前状态：%(s)s），请刷新后重试。") % {"s": status_label},
            code="conflict",
        )
