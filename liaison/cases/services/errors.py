from __future__ import annotations

from django.utils.translation import gettext as _


class CaseConflict(Exception):
    """Someone else moved the case since the page was loaded."""

    def __init__(self, *, current_status_label: str) -> None:
        super().__init__(
            _("该件已被他人处理（当前状态：%(s)s），请刷新页面后再操作。")
            % {"s": current_status_label}
        )
