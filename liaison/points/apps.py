from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "liaison.points"
    label = "points"
    verbose_name = _("履职积分")

    def ready(self) -> None:
        # The rules' jurisdiction settings register on import.
        from liaison.points import rules  # noqa: F401

        # The bulletin's files are built by the task worker.
        from liaison.points.jobs import register_kinds

        register_kinds()
