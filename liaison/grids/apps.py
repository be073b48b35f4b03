from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "liaison.grids"
    label = "grids"
    verbose_name = _("网格岗位")

    def ready(self) -> None:
        # The list of duty kinds is a jurisdiction setting; declaring it registers it.
        from liaison.deputies.selectors import deputy_posts_provider_set
        from liaison.grids import duty_kinds  # noqa: F401
        from liaison.grids.selectors import deputy_post_labels

        # Deputies sit below grids: the deputy's public page names their posts through this.
        deputy_posts_provider_set(deputy_post_labels)

        # The register and the coverage lists are built by the task worker.
        from liaison.grids.jobs import register_kinds

        register_kinds()
