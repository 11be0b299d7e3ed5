"""The blogger's personal links: signed, expiring, rotated with every mail, and one-time tokens for
the sensitive actions. No account: the link is the credential, so it says as little as possible
(a number and a version, signed) and stops working when the version is bumped (after an erasure)."""

import hashlib
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from ambassade.accounts.models import UsedToken
from ambassade.lib.signing import sign, unsign

from .models import Blogger

_PAGE_SALT = "ambassade.portal.page"
_ACTION_SALT = "ambassade.portal.action"
ACTION_MAX_AGE = 30 * 60  # a confirmation form is good for half an hour, once


def page_token(blogger: Blogger) -> str:
    """A new token each time (its timestamp differs): every mail carries its own link."""
    return sign([blogger.pk, blogger.link_version], _PAGE_SALT)


def page_url(blogger: Blogger) -> str:
    return settings.BASE_URL.rstrip("/") + reverse("portal", args=[page_token(blogger)])


def blogger_for(token: str) -> Blogger | None:
    """The blogger behind a valid, unexpired, current link; None for anything else."""
    value = unsign(token, _PAGE_SALT, settings.PORTAL_LINK_DAYS * 24 * 3600)
    if not (isinstance(value, list) and len(value) == 2):
        return None
    pk, version = value
    blogger = Blogger.objects.filter(pk=pk, erased_at__isnull=True).select_related("blog", "organisation").first()
    if blogger is None or blogger.link_version != version:
        return None
    return blogger


def action_token(blogger: Blogger, purpose: str) -> str:
    return sign([blogger.pk, purpose, secrets.token_urlsafe(8)], _ACTION_SALT)


def spend(token: str, blogger: Blogger, purpose: str) -> bool:
    """True once for a valid token of this blogger and purpose; False if forged, expired, foreign or reused."""
    value = unsign(token, _ACTION_SALT, ACTION_MAX_AGE)
    if not (isinstance(value, list) and len(value) == 3):
        return False
    pk, token_purpose, _nonce = value
    if pk != blogger.pk or token_purpose != purpose:
        return False
    try:
        with transaction.atomic():
            UsedToken.objects.create(token_hash=hashlib.sha256(token.encode()).hexdigest(), purpose=purpose)
    except IntegrityError:
        return False
    return True
