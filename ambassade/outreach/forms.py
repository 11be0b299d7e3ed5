import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Auth, MailSettings, OAuthProvider, Transport

_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")


class MailSettingsForm(forms.ModelForm):
    # What the page shows under each heading, in this order.
    SECTIONS = (
        (_("Expéditeur"), ("from_name", "from_address", "signature")),
        (_("Envoi"), ("transport", "smtp_host", "smtp_port", "smtp_security", "smtp_username", "smtp_password_env",
                      "esp_api_key_env", "esp_secret_key_env")),
        (_("Boîte de réception (lecture des réponses)"), ("imap_host", "imap_port", "imap_security", "imap_username",
                                                          "imap_password_env", "imap_folder")),
        (_("Connexion OAuth 2.0 (Microsoft 365, Google Workspace)"),
         ("auth", "oauth_provider", "oauth_tenant", "oauth_token_url", "oauth_client_id", "oauth_client_secret_env",
          "oauth_refresh_token_env")),
        (_("Cadence"), ("daily_cap", "send_from_hour", "send_until_hour", "send_weekends")),
    )
    ENV_FIELDS = ("smtp_password_env", "imap_password_env", "oauth_client_secret_env", "oauth_refresh_token_env",
                  "esp_api_key_env", "esp_secret_key_env")

    class Meta:
        model = MailSettings
        fields = ["from_name", "from_address", "signature", "transport", "smtp_host", "smtp_port", "smtp_security",
                  "smtp_username", "smtp_password_env", "esp_api_key_env", "esp_secret_key_env", "imap_host",
                  "imap_port", "imap_security", "imap_username", "imap_password_env", "imap_folder", "auth",
                  "oauth_provider", "oauth_tenant", "oauth_token_url", "oauth_client_id", "oauth_client_secret_env",
                  "oauth_refresh_token_env", "daily_cap", "send_from_hour", "send_until_hour", "send_weekends"]
        widgets = {"signature": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "smtp_password_env": _("Le nom d'une variable d'environnement du serveur, par ex. AMBASSADE_SMTP_PASSWORD. "
                                   "Le mot de passe lui-même n'est jamais enregistré."),
            "imap_password_env": _("Idem pour la boîte de réception (lecture des réponses)."),
            "auth": _("Microsoft 365 et Google Workspace refusent ou déconseillent les mots de passe : une application "
                      "déclarée chez eux donne un jeton d'actualisation, utilisé pour SMTP et IMAP (XOAUTH2)."),
            "oauth_tenant": _("Microsoft seulement : l'identifiant ou le domaine de votre annuaire ; vide = "
                              "« organizations »."),
            "oauth_token_url": _("Seulement pour « Autre » : l'adresse HTTPS où votre fournisseur délivre les jetons."),
            "oauth_refresh_token_env": _("Le nom de la variable qui contient le jeton d'actualisation ; le jeton "
                                         "n'est jamais enregistré."),
            "transport": _("Un prestataire (Brevo, Mailjet) envoie à votre place ; les réponses arrivent toujours "
                           "dans votre boîte, lue par IMAP."),
            "esp_api_key_env": _("Le nom de la variable qui contient la clé d'API du prestataire."),
        }

    # Choices added later than the form's first version: a client that does not send them keeps
    # the model's default (password, SMTP) rather than getting an error about fields it never saw.
    DEFAULTED = ("transport", "auth", "oauth_provider")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.DEFAULTED:
            self.fields[name].required = False

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def clean(self):
        data = super().clean()
        for name in self.DEFAULTED:
            if not data.get(name):
                data[name] = getattr(self.instance, name)  # the saved choice, or the model's default
        for name in self.ENV_FIELDS:
            value = data.get(name, "")
            if value and not _ENV_NAME.match(value):
                self.add_error(name, _("Un nom de variable : majuscules, chiffres et « _ »."))
        required = _("Nécessaire avec ce choix.")
        if data.get("auth") == Auth.OAUTH2:
            for name in ("oauth_client_id", "oauth_refresh_token_env"):
                if not data.get(name):
                    self.add_error(name, required)
            if data.get("oauth_provider") == OAuthProvider.OTHER and not data.get("oauth_token_url"):
                self.add_error("oauth_token_url", required)
        if data.get("transport") in (Transport.BREVO, Transport.MAILJET) and not data.get("esp_api_key_env"):
            self.add_error("esp_api_key_env", required)
        if data.get("transport") == Transport.MAILJET and not data.get("esp_secret_key_env"):
            self.add_error("esp_secret_key_env", required)
        start, end = data.get("send_from_hour"), data.get("send_until_hour")
        if start is not None and end is not None and not (0 <= start < end <= 24):
            self.add_error("send_until_hour", _("La fin doit suivre le début, entre 0 et 24 h."))
        return data
