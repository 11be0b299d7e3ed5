"""An operation's figures, each from one definition, for every page and file that shows them.

The dashboard's cards, the operation's board, the report (page, PDF, XLSX, CSV, HTML) and the
client's link all count through here, so they can never disagree: a placement reached a stage
when its recorded history says so, a parcel left when a shipment row says so, and an article
counts when `Coverage.objects.that_count()` says so — never because a card sits in a column.
"""

from ambassade.campaigns.status import Status
from ambassade.logistics.models import Shipment
from ambassade.watch.models import Coverage

S = Status
FUNNEL = [(S.SHORTLISTED, "Sélectionnés"), (S.PITCHED, "Contactés"), (S.REPLIED, "Ont répondu"),
          (S.ACCEPTED, "Ont accepté"), (S.SHIPPED, "Colis expédiés"), (S.RECEIVED, "Colis reçus"),
          (S.PUBLISHED, "Ont publié")]
AFTER_PITCH = {S.REPLIED, S.NO_ANSWER, S.ACCEPTED, S.DECLINED, S.SHIPPED, S.RECEIVED, S.PUBLISHED, S.NOT_PUBLISHED}
# Stages only the records prove: the parcel (a shipment row), its receipt, the article that counts.
PROVEN = {S.SHIPPED, S.RECEIVED, S.PUBLISHED}


def reached(statuses: set[str]) -> set[str]:
    """Stages of the conversation a placement went through, from the statuses its history records."""
    found = set(statuses) - PROVEN
    if found & AFTER_PITCH:
        found |= {S.PITCHED}
    if found & ({S.PITCHED} | AFTER_PITCH):
        found |= {S.SHORTLISTED}
    if found & {S.ACCEPTED, S.DECLINED}:
        found |= {S.REPLIED}
    return found


def counting_placements(operation) -> set[int]:
    return set(Coverage.objects.filter(operation=operation).that_count().values_list("placement_id", flat=True))


def funnel(operation) -> list[tuple[str, str, int]]:
    """[(stage, label, count)] from the shortlist to the articles that count."""
    placements = operation.placements.exclude(status=S.CANDIDATE).prefetch_related("events")
    shipped = Shipment.objects.filter(placement__operation=operation)
    proven = {
        S.SHIPPED: set(shipped.values_list("placement_id", flat=True)),
        S.RECEIVED: set(shipped.filter(received_at__isnull=False).values_list("placement_id", flat=True)),
        S.PUBLISHED: counting_placements(operation),
    }
    counts = {stage: 0 for stage, _label in FUNNEL}
    for placement in placements:
        stages = reached({e.to_status for e in placement.events.all()} | {placement.status})
        stages |= {stage for stage, ids in proven.items() if placement.pk in ids}
        if S.SHIPPED in stages:  # a parcel goes only to someone who said yes
            stages |= {S.SHORTLISTED, S.PITCHED, S.REPLIED, S.ACCEPTED}
        for stage in stages & counts.keys():
            counts[stage] += 1
    return [(stage, label, counts[stage]) for stage, label in FUNNEL]
