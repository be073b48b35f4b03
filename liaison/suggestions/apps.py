from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "liaison.suggestions"
    label = "suggestions"
    verbose_name = _("代表建议")

    def ready(self) -> None:
        # Cases and deputies sit below suggestions: the case timeline names the suggestion a case
        # was raised in, and the deputy's public page lists the published suggestions, through
        # the providers those apps declare and this app fills here.
        from liaison.suggestions import hooks, settings_defs

        settings_defs.register_all()
        hooks.register()

        # Points sit below suggestions: accepted suggestions reach the ledger through this.
        from liaison.points.sources import point_source_register
        from liaison.suggestions.points_source import SOURCE, suggestion_facts

        point_source_register(SOURCE, suggestion_facts)

        # The session's report and register are built by the task worker as export jobs.
        from liaison.suggestions.jobs import register_kinds

        register_kinds()
