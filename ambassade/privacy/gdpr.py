"""Personal data, the GDPR way, across every app: export (access, portability) and erasure.

On the top layer: it asks each app to forget what it holds about the person (`blogs.gdpr.forget`,
`campaigns.privacy.forget_blog`, `outreach.privacy.forget`, `logistics.privacy.forget`,
`watch.privacy.forget_blog`), so no lower app reaches up into another.

Erasure removes what identifies the person (names, addresses, postal address, preferences, the
text of mails, the blog's name and address, the articles' text) and keeps what the statistics need
(placements, their history's dates and statuses, parcels, counts, costs).
"""

from django.db import transaction
from django.utils import timezone

from ambassade.blogs import gdpr as blogs_gdpr
from ambassade.blogs.models import AccessAction, Blogger
from ambassade.campaigns import privacy as campaigns_privacy
from ambassade.campaigns.models import Placement
from ambassade.logistics import privacy as logistics_privacy
from ambassade.outreach import privacy as outreach_privacy
from ambassade.outreach.models import Message
from ambassade.watch import privacy as watch_privacy


def export(blogger: Blogger) -> dict:
    """Everything held about the person, in one JSON-ready dict (the right of access and portability)."""
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
    now = timezone.now()
    blog = blogger.blog
    addresses = list(blogger.emails.values_list("address", flat=True))
    erased_mails = outreach_privacy.forget(blogger.organisation_id, blog, addresses)
    campaigns_privacy.forget_blog(blog)
    logistics_privacy.forget(blogger)
    watch_privacy.forget_blog(blog)
    kept_as_hashes = blogs_gdpr.forget(blogger, now=now)
    blogs_gdpr.log_access(blogger, AccessAction.ERASE, user=user, by_blogger=by_blogger)
    return {"addresses": kept_as_hashes, "mails": erased_mails}
