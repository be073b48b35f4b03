from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "liaison.activities"
    label = "activities"
    verbose_name = _("履职活动")

    def ready(self) -> None:
        # The jurisdiction settings of activities (extra kinds, required training hours).
        from liaison.activities import rules  # noqa: F401

        # Stations sit below activities: the public station page shows the annual work plan
        # through what this app hands it here.
        from liaison.activities.selectors_public import station_work_plan_row
        from liaison.stations.selectors import station_work_plan_provider_set

        station_work_plan_provider_set(station_work_plan_row)

        # Grids sit below activities too: a post's work log is the activities done for it.
        from liaison.activities.selectors import post_work_log_rows
        from liaison.grids.selectors import post_work_log_provider_set

        post_work_log_provider_set(post_work_log_rows)

        # Points sit below activities: verified activities, training hours and absences
        # without leave reach the ledger through this provider (decision 0030).
        from liaison.activities.points_source import SOURCE, activity_facts
        from liaison.points.sources import point_source_register

        point_source_register(SOURCE, activity_facts)

        # The activity and training registers are an export job of the jobs app (decision 0044).
        from liaison.activities.jobs import register_kinds

        register_kinds()
