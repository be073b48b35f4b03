from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "liaison.archives"
    verbose_name = "履职档案"

    def ready(self) -> None:
        # The station-year zip is an export job of the jobs app (decision 0044).
        from liaison.archives.jobs import register_kinds

        register_kinds()
