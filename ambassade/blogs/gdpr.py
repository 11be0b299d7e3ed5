"""Personal data held by the blogs app: the suppression list, the access log, and forgetting a person.

Erasure as a whole is `ambassade.privacy.gdpr.erase`, on the top layer: it calls each app's own
`forget` (this module's for the person, their addresses and their blog). The address is kept
only as a keyed hash in the suppression list, so an import can recognise it and refuse it.
"""

import hashlib
import hmac

from django.conf import settings
from django.utils import timezone

from ambassade.lib.text import normalize_email

from .models import AccessLog, Blog, Blogger, BloggerEmail, BlogStatus, Suppression


def suppression_hash(organisation_id: int, address: str) -> str:
    key = f"{settings.SECRET_KEY}:suppression:{organisation_id}".encode()
    return hmac.new(key, normalize_email(address).encode(), hashlib.sha256).hexdigest()


def log_access(blogger: Blogger, action: str, *, user=None, by_blogger: bool = False) -> None:
    AccessLog.objects.create(organisation_id=blogger.organisation_id, blogger=blogger, blogger_ref=blogger.pk,
                             user=user if user and user.is_authenticated else None, by_blogger=by_blogger,
                             action=action)


def forget(blogger: Blogger, *, now=None) -> int:
    """The person, their addresses (kept as keyed hashes) and their blog's name and address, gone."""
    now = now or timezone.now()
    blog = blogger.blog
    addresses = list(blogger.emails.values_list("address", flat=True))
    for address in addresses:
        Suppression.objects.get_or_create(organisation_id=blogger.organisation_id,
                                          address_hash=suppression_hash(blogger.organisation_id, address))
    BloggerEmail.objects.filter(blogger=blogger).delete()
    Blog.objects.filter(pk=blog.pk).update(name=f"Blog effacé n° {blog.pk}", url=f"https://effacé.invalid/{blog.pk}/",
                                           url_key=f"effacé.invalid/{blog.pk}", feed_url="", notes="",
                                           status=BlogStatus.ARCHIVED, topics=[])
    Blogger.objects.filter(pk=blogger.pk).update(
        first_name="", last_name="", pseudonym="", source="effacé à la demande de la personne", postal_address="",
        topics_wanted=[], topics_never=[], opted_out_at=blogger.opted_out_at or now, erased_at=now,
        link_version=blogger.link_version + 1)
    return len(addresses)
