from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    name = "liaison.workbench"
    label = "workbench"
    verbose_name = _("工作台")

    def ready(self) -> None:
        # Suggestions may name reception records and activities as sources but may not import
        # their apps (siblings): the workbench hands it their scoped selectors.
        from liaison.workbench import suggestion_sources

        suggestion_sources.register()
