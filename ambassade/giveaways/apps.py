from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GiveawaysConfig(AppConfig):
    name = "ambassade.giveaways"
    verbose_name = _("Concours")
