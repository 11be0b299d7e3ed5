import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MailSettings

_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")


class MailSettingsForm(forms.ModelForm):
    class Meta:
        model = MailSettings
        fields = ["from_name", "from_address", "signature", "smtp_host", "smtp_port", "smtp_security", "smtp_username",
                  "smtp_password_env", "imap_host", "imap_port", "imap_security", "imap_username", "imap_password_env",
                  "imap_folder", "daily_cap", "send_from_hour", "send_until_hour", "send_weekends"]
        widgets = {"signature": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "smtp_password_env": _("Le nom d'une variable d'environnement du serveur, par ex. AMBASSADE_SMTP_PASSWORD. "
                                   "Le mot de passe lui-même n'est jamais enregistré."),
            "imap_password_env": _("Idem pour la boîte de réception (lecture des réponses)."),
        }

    def clean(self):
        data = super().clean()
        for name in ("smtp_password_env", "imap_password_env"):
            value = data.get(name, "")
            if value and not _ENV_NAME.match(value):
                self.add_error(name, _("Un nom de variable : majuscules, chiffres et « _ »."))
        start, end = data.get("send_from_hour"), data.get("send_until_hour")
        if start is not None and end is not None and not (0 <= start < end <= 24):
            self.add_error("send_until_hour", _("La fin doit suivre le début, entre 0 et 24 h."))
        return data
