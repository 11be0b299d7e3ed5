"""Personal data, the GDPR way: export, erasure, the suppression list, the access log, retention.

Erasure removes what identifies the person (names, addresses, postal address,
preferences, the text of mails, the blog's name and address, the articles'
text) and keeps what the statistics need (placements, their history's dates
and statuses, parcels, counts, costs). The address is kept only as a keyed
hash in the suppression list, so an import can recognise it and refuse it.
"""

import hashlib
import hmac

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from ambassade.lib.text import normalize_email

from .models import AccessAction, AccessLog, Blog, Blogger, BloggerEmail, BlogStatus, Suppression


def suppression_hash(organisation_id: int, address: str) -> str:
    key = f"{settings.SECRET_KEY}:suppression:{organisation_id}".encode()
    return hmac.new(key, normalize_email(address).encode(), hashlib.sha256).hexdigest()


def log_access(blogger: Blogger, action: str, *, user=None, by_blogger: bool = False) -> None:
    AccessLog.objects.create(organisation_id=blogger.organisation_id, blogger=blogger, blogger_ref=blogger.pk,
                             user=user if user and user.is_authenticated else None, by_blogger=by_blogger,
                             action=action)


def export(blogger: Blogger) -> dict:
    """Everything held about the person, in one JSON-ready dict (the right of access and portability)."""
    from ambassade.campaigns.models import Placement
    from ambassade.outreach.models import Message

    def when(value):
        return value.isoformat() if value else None

    placements = Placement.objects.filter(blog=blogger.blog).select_related("operation", "operation__client")
    return {
        "exported_at": timezone.now().isoformat(),
        "organisation": blogger.organisation.name,
        "person": {"first_name": blogger.first_name, "last_name": blogger.last_name, "pseudonym": blogger.pseudonym},
        "legal_basis": blogger.get_legal_basis_display(), "source": blogger.source,
        "addresses": [{"address": e.address, "kind": e.get_kind_display(), "primary": e.is_primary,
                       "invalid": e.is_invalid} for e in blogger.emails.all()],
        "preferences": {"topics_wanted": blogger.topics_wanted, "topics_never": blogger.topics_never,
                        "cadence": blogger.get_cadence_display(), "giveaways": blogger.giveaways_ok,
                        "postal_address": blogger.postal_address},
        "opted_out_at": when(blogger.opted_out_at),
        "blog": {"name": blogger.blog.name, "url": blogger.blog.url},
        "proposals": [
            {"operation": p.operation.name, "brand": p.operation.brand, "client": str(p.operation.client),
             "status": p.get_status_display(), "why_chosen": p.selection_reason,
             "history": [{"at": when(e.at), "status": e.get_to_status_display(), "note": e.note}
                         for e in p.events.all()],
             "parcels": [{"product": s.product.name, "carrier": s.carrier, "tracking": s.tracking_number,
                          "shipped_at": when(s.shipped_at), "received_at": when(s.received_at)}
                         for s in p.shipments.select_related("product")]}
            for p in placements],
        "mails": [{"direction": m.get_direction_display(), "subject": m.subject, "text": m.body_text,
                   "sent_at": when(m.sent_at), "received_at": when(m.received_at)}
                  for m in Message.objects.filter(placement__blog=blogger.blog).order_by("created_at")],
        "access_log": [{"at": when(a.at), "action": a.get_action_display(),
                        "by": "vous" if a.by_blogger else (a.user.get_full_name() or a.user.username) if a.user else "—"}
                       for a in blogger.access_logs.select_related("user")],
    }


@transaction.atomic
def erase(blogger: Blogger, *, user=None, by_blogger: bool = False) -> dict:
    """Erase the person; keep anonymous statistics and a hashed suppression entry for each address."""
    from ambassade.campaigns.models import PlacementEvent
    from ambassade.logistics.models import Shipment
    from ambassade.outreach.models import Message
    from ambassade.watch.models import Post

    now = timezone.now()
    blog = blogger.blog
    addresses = list(blogger.emails.values_list("address", flat=True))
    for address in addresses:
        Suppression.objects.get_or_create(organisation_id=blogger.organisation_id,
                                          address_hash=suppression_hash(blogger.organisation_id, address))
    keys = [normalize_email(a) for a in addresses]
    mails = Message.objects.filter(organisation_id=blogger.organisation_id).filter(
        placement__blog=blog) | Message.objects.filter(organisation_id=blogger.organisation_id,
                                                       to_address__in=addresses)
    erased_mails = mails.update(to_address="", from_address="", body_text="", body_html="", subject="(effacé)",
                                in_reply_to="", references="")
    Message.objects.filter(organisation_id=blogger.organisation_id, status__in=["draft", "queued"],
                           placement__blog=blog).update(status="cancelled", error="données effacées")
    PlacementEvent.objects.filter(placement__blog=blog).update(note="")
    blog.placements.update(reason="", selection_reason="")
    Shipment.objects.filter(blogger=blogger).update(blogger=None, problem="")
    Post.objects.filter(blog=blog).update(title="", url=f"https://effacé.invalid/{blog.pk}", excerpt="", text="",
                                          guid=Concat(Value("effacé-"), Cast("id", CharField())))
    BloggerEmail.objects.filter(blogger=blogger).delete()
    Blog.objects.filter(pk=blog.pk).update(name=f"Blog effacé n° {blog.pk}", url=f"https://effacé.invalid/{blog.pk}/",
                                           url_key=f"effacé.invalid/{blog.pk}", feed_url="", notes="",
                                           status=BlogStatus.ARCHIVED, topics=[])
    Blogger.objects.filter(pk=blogger.pk).update(
        first_name="", last_name="", pseudonym="", source="effacé à la demande de la personne", postal_address="",
        topics_wanted=[], topics_never=[], opted_out_at=blogger.opted_out_at or now, erased_at=now,
        link_version=blogger.link_version + 1)
    log_access(blogger, AccessAction.ERASE, user=user, by_blogger=by_blogger)
    return {"addresses": len(keys), "mails": erased_mails}
