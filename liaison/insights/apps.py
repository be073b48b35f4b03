from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "liaison.insights"
    label = "insights"
    verbose_name = _("研判分析")

    def ready(self) -> None:
        # Register the jurisdiction settings of reply quality (the engine in liaison.nlp cannot).
        from liaison.cases.hooks import reply_listener_add
        from liaison.insights import reply_quality  # noqa: F401
        from liaison.insights.tasks import reply_score_enqueue

        # Cases sits below insights: it tells us about a new reply through its hook.
        reply_listener_add(reply_score_enqueue)
