from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "liaison.stations"
    label = "stations"
    verbose_name = _("联络站")

    def ready(self) -> None:
        # Memberships name stations by value; the grant form looks stations up through this.
        from liaison.accounts.targets import target_model_register
        from liaison.stations.models import Station

        target_model_register("station", Station)
