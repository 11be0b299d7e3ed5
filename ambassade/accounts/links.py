"""Client links: a signed token carrying the link's id and a random secret; the database keeps the
secret's hash, the expiry and the revocation. All three are checked on every visit."""

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from ambassade.lib.signing import client_link_token, read_client_link_token

from .models import ClientLink

MAX_DAYS = 365


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_link(client, *, days: int, label: str = "", user=None) -> tuple[ClientLink, str]:
    """The link and its token (shown once: only its hash is stored)."""
    days = max(1, min(days, MAX_DAYS))
    secret = secrets.token_urlsafe(24)
    link = ClientLink.objects.create(client=client, label=label[:200], secret_hash=_hash(secret), created_by=user,
                                     expires_at=timezone.now() + timedelta(days=days))
    return link, client_link_token(link.pk, secret)


def resolve(token: str, now=None) -> ClientLink | None:
    """The live link behind a token, or None (tampered, unknown, expired or revoked)."""
    now = now or timezone.now()
    found = read_client_link_token(token, max_age=MAX_DAYS * 24 * 3600)
    if found is None:
        return None
    link = ClientLink.objects.filter(pk=found[0]).select_related("client", "client__organisation").first()
    if link is None or not secrets.compare_digest(link.secret_hash, _hash(found[1])):
        return None
    if link.revoked_at is not None or link.expires_at <= now:
        return None
    ClientLink.objects.filter(pk=link.pk).update(last_used_at=now, uses=link.uses + 1)
    return link
