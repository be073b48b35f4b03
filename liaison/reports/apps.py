from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "liaison.reports"
    label = "reports"
    verbose_name = _("研判报告")

    def ready(self) -> None:
        # Register the jurisdiction settings of reply quality and of the follow-up rules.
        from liaison.insights import reply_quality  # noqa: F401
        from liaison.reports import rules  # noqa: F401
