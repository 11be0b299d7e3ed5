"""OAuth 2.0 for the agency's own mailbox (XOAUTH2 over SMTP and IMAP).

Microsoft 365 and Google Workspace refuse or discourage passwords for IMAP and SMTP:
an application registered with the provider holds a refresh token, and each
connection presents a short-lived access token. Nothing secret is stored in the
database: the client secret and the refresh token are read from environment
variables named in the settings, like the passwords. Access tokens are kept in the
cache until a minute before they expire, so a sending pass does not ask for one per mail.
"""

import hashlib
import json
import smtplib

from django.core.cache import cache
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.utils.translation import gettext as _

from ambassade.lib.http import FetchError, Policy, post_form

# Where each provider hands out access tokens, and the scopes that open IMAP and SMTP.
GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
MICROSOFT_TOKEN_URL = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"
SCOPES = {
    "google": "https://mail.google.com/",
    "microsoft": "https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send "
                 "offline_access",
    "other": "",
}
EARLY = 60  # seconds: a token is renewed a minute before its end, never used at its last second


class OAuthError(Exception):
    """The provider refused to give an access token; the message says what to do."""


def token_url(sender) -> str:
    if sender.oauth_provider == "google":
        return GOOGLE_TOKEN_URL
    if sender.oauth_provider == "microsoft":
        return MICROSOFT_TOKEN_URL.format(tenant=sender.oauth_tenant or "organizations")
    return sender.oauth_token_url


def _cache_key(sender, refresh_token: str) -> str:
    # A new refresh token (set in the environment) must not reuse the old one's access token.
    digest = hashlib.sha256(f"{token_url(sender)}|{sender.oauth_client_id}|{refresh_token}".encode()).hexdigest()
    return f"outreach:oauth:{sender.organisation_id}:{digest[:32]}"


def access_token(sender, *, policy: Policy | None = None) -> str:
    """A valid access token for `sender` (a MailSettings), from the cache or from the provider."""
    from .models import MailSettings

    refresh_token = MailSettings.secret(sender.oauth_refresh_token_env)
    if not refresh_token:
        raise OAuthError(_("Jeton d'actualisation OAuth absent : la variable %(name)s n'est pas définie sur ce serveur.")
                         % {"name": sender.oauth_refresh_token_env or "?"})
    key = _cache_key(sender, refresh_token)
    if cached := cache.get(key):
        return cached
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": sender.oauth_client_id}
    if secret := MailSettings.secret(sender.oauth_client_secret_env):
        form["client_secret"] = secret
    if scope := SCOPES.get(sender.oauth_provider, ""):
        form["scope"] = scope
    try:
        answer = post_form(token_url(sender), form, policy)
    except FetchError as error:
        raise OAuthError(_("Serveur de jetons OAuth injoignable : %(error)s") % {"error": error}) from None
    try:
        data = json.loads(answer.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        data = {}
    if answer.status != 200 or not isinstance(data, dict) or not data.get("access_token"):
        reason = data.get("error_description") or data.get("error") if isinstance(data, dict) else None
        raise OAuthError(_("Le fournisseur OAuth a refusé le jeton (HTTP %(status)s) : %(reason)s. "
                           "Le jeton d'actualisation a peut-être expiré ou été révoqué.")
                         % {"status": answer.status, "reason": reason or _("sans explication")})
    token = str(data["access_token"])
    lifetime = int(data.get("expires_in") or 3600)
    if lifetime > EARLY:
        cache.set(key, token, lifetime - EARLY)
    return token


def forget_token(sender) -> None:
    """After the server refused a token (revoked early): the next connection asks for a new one."""
    from .models import MailSettings

    cache.delete(_cache_key(sender, MailSettings.secret(sender.oauth_refresh_token_env)))


def xoauth2(user: str, token: str) -> str:
    """The SASL XOAUTH2 initial response (Google's and Microsoft's format), not yet base64."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


class _XOAuth2Login:
    """smtplib's login() speaking XOAUTH2: Django's SMTP backend calls login(username, password);
    here the password is the access token."""

    def login(self, user, password, *, initial_response_ok=True):
        self.ehlo_or_helo_if_needed()
        if not self.has_extn("auth") or "XOAUTH2" not in self.esmtp_features["auth"].upper().split():
            raise smtplib.SMTPNotSupportedError("le serveur SMTP ne propose pas XOAUTH2")
        # On failure the server sends a 334 with a JSON error and expects an empty answer.
        return self.auth("XOAUTH2", lambda challenge=None: xoauth2(user, password) if challenge is None else "")


class XOAuth2SMTP(_XOAuth2Login, smtplib.SMTP):
    pass


class XOAuth2SMTPSSL(_XOAuth2Login, smtplib.SMTP_SSL):
    pass


class XOAuth2Backend(SmtpBackend):
    """Django's SMTP backend whose login speaks XOAUTH2 (the password it is given is the access token)."""

    @property
    def connection_class(self):
        return XOAuth2SMTPSSL if self.use_ssl else XOAuth2SMTP
