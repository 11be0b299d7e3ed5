from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "ambassade.logistics"
    verbose_name = _("Produits et colis")
