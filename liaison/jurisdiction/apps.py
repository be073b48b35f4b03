from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JurisdictionConfig(AppConfig):
    name = "liaison.jurisdiction"
    label = "jurisdiction"
    verbose_name = _("辖区设置")
