from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The agency's home, on top of every other app: "Aujourd'hui", the team, the clients."""

    name = "ambassade.dashboard"
    verbose_name = _("Aujourd'hui")
