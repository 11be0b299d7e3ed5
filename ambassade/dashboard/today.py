""""What needs me today": the dashboard's to-do list, as queries on due dates.

Each rule is a named queryset so a CM sees why an item is there. It sits on top of every app
(campaigns, outreach, the veille): it only reads.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from ambassade.campaigns.models import Placement
from ambassade.campaigns.status import Status
from ambassade.outreach.models import Direction, Message, MessageKind, MessageStatus
from ambassade.watch.models import Coverage, CoverageStatus, blind_blogs

PITCH_WAIT = timedelta(days=7)
PARCEL_WAIT = timedelta(days=10)
ARTICLE_WAIT = timedelta(days=30)


def _article_found():
    """Placements with an article found or declared, confirmed or waiting for the CM's look."""
    return Coverage.objects.exclude(status=CoverageStatus.REJECTED).values("placement")


def _followed_up(step: str):
    """Placements whose follow-up of this step is queued or already left: nothing more to do today."""
    return Message.objects.filter(direction=Direction.OUTBOUND, kind=MessageKind.FOLLOW_UP, step=step,
                                  status__in=[MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.SENT]
                                  ).values("placement")


@dataclass
class TodoItem:
    key: str
    title: str
    hint: str
    placements: list


def what_needs_me(membership, now) -> list[TodoItem]:
    base = Placement.objects.for_membership(membership).select_related("blog", "operation")
    rules = [
        (
            "to_ship",
            _("Colis à préparer"),
            _("Ces blogs ont accepté : réservez le produit et expédiez."),
            base.filter(status=Status.ACCEPTED),
        ),
        (
            "replied",
            _("Réponses à traiter"),
            _("Ils ont répondu : acceptez ou notez leur refus, et répondez-leur."),
            base.filter(status=Status.REPLIED),
        ),
        (
            "no_reply",
            _("Sans réponse depuis 7 jours"),
            _("Une seule relance, personnelle — ou on laisse tranquille."),
            base.filter(status=Status.PITCHED, status_changed_at__lte=now - PITCH_WAIT).exclude(
                pk__in=_followed_up("no_answer")),
        ),
        (
            "parcel",
            _("Colis sans accusé de réception"),
            _("Expédiés il y a plus de 10 jours : vérifiez le suivi."),
            base.filter(status=Status.SHIPPED, status_changed_at__lte=now - PARCEL_WAIT),
        ),
        (
            "blind",
            _("Colis partis, blogs que la veille ne lit pas"),
            _("Un article y est peut-être déjà : allez voir avant toute relance (elles attendent)."),
            base.filter(status__in=[Status.SHIPPED, Status.RECEIVED]).filter(blind_blogs("blog__")),
        ),
        (
            "no_article",
            _("Reçus il y a plus de 30 jours, sans article"),
            _("La veille n'a rien trouvé : demandez des nouvelles, sans insister."),
            base.filter(status=Status.RECEIVED, status_changed_at__lte=now - ARTICLE_WAIT)
            .exclude(pk__in=_followed_up("no_article")).exclude(pk__in=_article_found()),
        ),
    ]
    items = []
    for key, title, hint, queryset in rules:
        placements = list(queryset.order_by("status_changed_at")[:20])
        if placements:
            items.append(TodoItem(key, title, hint, placements))
    return items
