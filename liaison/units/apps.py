from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "liaison.units"
    label = "units"
    verbose_name = _("承办单位")

    def ready(self) -> None:
        # Memberships name units by value; the grant form lists units through this.
        from liaison.accounts.targets import target_model_register
        from liaison.units.models import HandlingUnit

        target_model_register("unit", HandlingUnit)
