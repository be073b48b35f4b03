from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "liaison.deputies"
    label = "deputies"
    verbose_name = _("代表")
