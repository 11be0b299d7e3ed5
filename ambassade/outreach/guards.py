"""Whether a mail may still leave, asked again at the moment it would.

`final_reason` is a reason to hold a mail back for good (a reply, a refusal,
an opt-out, an article, a closed operation, a dead address); `wait_until` is
a reason to wait (quiet hours, the blogger's cadence, the daily cap).
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from ambassade.blogs.models import BloggerEmail
from ambassade.campaigns.models import OperationStatus
from ambassade.campaigns.status import Status

from . import veille
from .calendar import Window, cadence_allows_from
from .models import Direction, MailSettings, Message, MessageKind, MessageStatus

AFTER_REPLY = {Status.REPLIED: "réponse reçue", Status.ACCEPTED: "a accepté", Status.DECLINED: "a décliné",
               Status.PUBLISHED: "article publié", Status.NOT_PUBLISHED: "clos sans article",
               Status.OPTED_OUT: "opposition"}


def final_reason(message: Message) -> str:
    """'' when the mail may go; else why it must never go."""
    placement = message.placement
    address = BloggerEmail.objects.for_address(message.organisation_id, message.to_address).select_related("blogger").first()
    if address and address.blogger.opted_out_at:
        return "opposition"
    if address and address.is_invalid:
        return "adresse invalide"
    if placement is None:
        return ""
    if placement.operation.status == OperationStatus.CLOSED:
        return "opération terminée"
    if placement.status == Status.OPTED_OUT:
        return "opposition"
    if message.kind == MessageKind.FOLLOW_UP:
        found = veille.ask().article_reason(placement)
        if found:
            return found
        if message.step == "no_answer":
            if placement.status in AFTER_REPLY:
                return AFTER_REPLY[placement.status]
            replied = Message.objects.filter(placement=placement, direction=Direction.INBOUND,
                                             kind=MessageKind.REPLY).exists()
            if replied:
                return "réponse reçue"
        if message.step == "no_article" and placement.status in (Status.PUBLISHED, Status.NOT_PUBLISHED,
                                                                 Status.OPTED_OUT):
            return AFTER_REPLY[placement.status]
    if message.kind == MessageKind.PITCH and placement.status in AFTER_REPLY:
        return AFTER_REPLY[placement.status]
    return ""


def window_of(sender: MailSettings) -> Window:
    return Window(sender.send_from_hour, sender.send_until_hour, sender.send_weekends)


def wait_until(message: Message, sender: MailSettings, now: datetime) -> tuple[datetime | None, str]:
    """(when, why) if the mail must wait; (None, '') if it may leave now."""
    local = timezone.localtime(now)
    opens = window_of(sender).next_open(local)
    if opens > local:
        return opens, "hors des heures d'envoi"
    address = BloggerEmail.objects.for_address(message.organisation_id, message.to_address).select_related("blogger").first()
    if address and message.kind in (MessageKind.PITCH, MessageKind.FOLLOW_UP):
        last = (Message.objects.filter(organisation=message.organisation_id, direction=Direction.OUTBOUND,
                                       status=MessageStatus.SENT, to_address__iexact=message.to_address)
                .exclude(placement=message.placement).order_by("-sent_at").values_list("sent_at", flat=True).first())
        allowed = cadence_allows_from(last, address.blogger.cadence)
        if allowed and allowed > now:
            return allowed, "rythme de contact choisi par la personne"
    start_of_day = timezone.make_aware(datetime.combine(local.date(), time.min), local.tzinfo)
    sent_today = Message.objects.filter(organisation=message.organisation_id, direction=Direction.OUTBOUND,
                                        sent_at__gte=start_of_day).count()
    if sent_today >= sender.daily_cap:
        tomorrow = window_of(sender).next_open(start_of_day + timedelta(days=1))
        return tomorrow, f"plafond de {sender.daily_cap} envois par jour atteint"
    return None, ""
