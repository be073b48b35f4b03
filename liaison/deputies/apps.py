from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "liaison.deputies"
    label = "deputies"
    verbose_name = _("代表")

    def ready(self) -> None:
        # Stations sit below deputies: their pages list a station's deputies and resolve the
        # codes on deputies' signs through what this app hands them here.
        from liaison.deputies.photos import deputy_public_url
        from liaison.deputies.selectors import deputy_code_is_public, station_deputy_rows
        from liaison.stations.selectors import (
            PublicCodeKind,
            public_code_kind_register,
            station_deputies_provider_set,
        )

        station_deputies_provider_set(station_deputy_rows)
        public_code_kind_register(
            "D", PublicCodeKind(kind="deputy", exists=deputy_code_is_public, url=deputy_public_url)
        )
