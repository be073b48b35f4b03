from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionsConfig(AppConfig):
    name = "liaison.receptions"
    label = "receptions"
    verbose_name = _("代表接待日")

    def ready(self) -> None:
        # Stations and deputies sit below: their public pages show the upcoming published
        # reception days through what this app hands them here. The settings register on import.
        from liaison.deputies.selectors import deputy_receptions_provider_set
        from liaison.receptions import place_settings  # noqa: F401
        from liaison.receptions.public import deputy_public_receptions, station_public_receptions
        from liaison.stations.selectors import station_receptions_provider_set

        station_receptions_provider_set(station_public_receptions)
        deputy_receptions_provider_set(deputy_public_receptions)

        # Points sit below receptions: days attended or missed and cases taken and closed reach
        # the ledger through this provider; the worker's sweep catches cases closed later.
        from liaison.points.sources import point_source_register
        from liaison.receptions.points_source import reception_cases_changed, reception_facts

        point_source_register("reception", reception_facts, changed_since=reception_cases_changed)

        # A region's register is an export job of the jobs app (decision 0044).
        from liaison.receptions.jobs import register_kinds

        register_kinds()
