from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetingConfig(AppConfig):
    name = "ambassade.targeting"
    verbose_name = _("Ciblage")
