from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "liaison.reports"
    label = "reports"
    verbose_name = _("研判报告")

    def ready(self) -> None:
        # Register the jurisdiction settings of the follow-up rules (reply quality's are
        # registered by the insights app).
        from liaison.reports import rules  # noqa: F401
