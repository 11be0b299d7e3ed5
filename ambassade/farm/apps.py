from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FarmConfig(AppConfig):
    name = "ambassade.farm"
    verbose_name = _("Ferme de blogs")
