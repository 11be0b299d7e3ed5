"""An opt-out takes effect at once, for every client of the organisation."""

from django.db import transaction

from ambassade.campaigns.models import ActorKind, Placement
from ambassade.campaigns.status import Status, can_move
from ambassade.logistics import ledger

from .models import Message


@transaction.atomic
def opt_out_everywhere(blogger, note: str) -> int:
    """Mark the person, hold back every pending mail, close their open placements. Returns how many."""
    blogger.opt_out()
    closed = 0
    for placement in Placement.objects.filter(blog__bloggers=blogger).exclude(status=Status.OPTED_OUT):
        Message.objects.cancel_pending(placement, "opposition")
        others = placement.blog.bloggers.exclude(pk=blogger.pk).filter(opted_out_at__isnull=True)
        if not others.exists() and can_move(placement.status, Status.OPTED_OUT):
            ledger.move(placement, Status.OPTED_OUT, actor=ActorKind.BLOGGER, note=note)
            closed += 1
    return closed
