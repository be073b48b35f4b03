from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "liaison.cases"
    label = "cases"
    verbose_name = _("民意办理")

    def ready(self) -> None:
        # The opinion register (民意台账) is built by the task worker as an export job.
        from liaison.cases.jobs import register_kinds

        register_kinds()
