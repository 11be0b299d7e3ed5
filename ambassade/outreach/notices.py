"""Mails that tell a blogger something happened: their parcel left (with the link to say it arrived)."""

from django.utils import timezone

from .compose import recipient
from .links import OPT_OUT, PERSONAL, RECEIPT
from .models import Direction, Message, MessageKind, MessageStatus


def queue_shipment_notice(shipment) -> Message | None:
    """One personal mail with the carrier, the tracking number and the one-click receipt link."""
    placement = shipment.placement
    blogger, address, _missing = recipient(placement)
    if address is None:
        return None
    tracking = f"{shipment.carrier} {shipment.tracking_number}".strip() or "notre transporteur"
    body = (f"Bonjour {blogger.first_name or blogger.pseudonym},\n\n"
            f"Votre colis ({shipment.product.name}) est parti aujourd'hui avec {tracking}.\n\n"
            f"Quand il arrive, un clic suffit pour nous le dire (et signaler un problème s'il y en a un) :\n"
            f"{RECEIPT}\n\n"
            f"Aucune obligation d'écrire à son sujet : si vous en parlez, vous restez libre de votre avis, et vous "
            f"pouvez déclarer l'article sur votre page : {PERSONAL}\n\n"
            f"Pour ne plus recevoir de messages de notre part : {OPT_OUT}\n")
    pitch = placement.messages.filter(direction=Direction.OUTBOUND, status=MessageStatus.SENT).order_by("sent_at").first()
    return Message.objects.create(
        placement=placement, organisation=placement.operation.organisation, direction=Direction.OUTBOUND,
        kind=MessageKind.SHIPMENT, step="shipment", status=MessageStatus.QUEUED, to_address=address.address,
        subject=f"Votre colis {shipment.product.name} est en route", body_text=body, send_after=timezone.now(),
        in_reply_to=pitch.message_id if pitch else "")
