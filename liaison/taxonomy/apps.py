from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    name = "liaison.taxonomy"
    label = "taxonomy"
    verbose_name = _("意见分类")
