from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyReportsConfig(AppConfig):
    name = "liaison.dutyreports"
    label = "dutyreports"
    verbose_name = _("代表述职")

    def ready(self) -> None:
        # The jurisdiction settings register on import; deputies sit below this app, so the
        # public deputy page shows the published reports through the section hook.
        from liaison.deputies.selectors import public_section_provider_add
        from liaison.dutyreports import rules  # noqa: F401
        from liaison.dutyreports.public import public_duty_reports

        public_section_provider_add(public_duty_reports)

        # Points sit below this app: held reports reach the ledger through this.
        from liaison.dutyreports.points_source import SOURCE, duty_report_facts
        from liaison.points.sources import point_source_register

        point_source_register(SOURCE, duty_report_facts)
