"""Follow-up rules: what would go out today, what is held back, and why.

Each operation's sequence is its follow-up templates: "no_answer" counts its
delay (working days) from the pitch, "no_article" from the confirmed receipt.
Each step is sent at most once per placement, never more than the hard cap
in all, and a step that comes due when it must not go is recorded once, as a
held-back message with its reason, so the CM can see what the rules did.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from ambassade.campaigns.models import OperationStatus, PlacementEvent
from ambassade.campaigns.status import Status

from . import veille
from .calendar import add_working_days
from .compose import draft
from .guards import AFTER_REPLY, final_reason
from .models import Direction, Message, MessageKind, MessageStatus, Template, TemplateKind

TRIGGERS = {TemplateKind.NO_ANSWER: Status.PITCHED, TemplateKind.NO_ARTICLE: Status.RECEIVED}


@dataclass
class Decision:
    placement: object
    template: Template
    action: str  # send | hold (recorded for good) | wait (weighed again on the next run)
    reason: str
    due_at: object
    draft: object = None


def plan(now=None, organisation=None) -> list[Decision]:
    """The follow-ups due by `now` that have not been decided yet."""
    now = now or timezone.now()
    templates = Template.objects.filter(kind__in=list(TRIGGERS), operation__status=OperationStatus.RUNNING)
    if organisation is not None:
        templates = templates.filter(operation__organisation=organisation)
    decisions = []
    for template in templates.select_related("operation", "operation__organisation", "operation__client"):
        events = (PlacementEvent.objects.filter(placement__operation=template.operation,
                                                to_status=TRIGGERS[template.kind])
                  .select_related("placement", "placement__blog", "placement__operation").order_by("at"))
        seen = set()
        for event in events:
            placement = event.placement
            if placement.pk in seen:
                continue
            seen.add(placement.pk)
            due = add_working_days(event.at, template.delay_days)
            if due > now:
                continue
            if Message.objects.filter(placement=placement, step=template.kind).exists():
                continue  # already sent, queued or held back: each step once
            decisions.append(_decide(placement, template, due, now))
    return decisions


def _decide(placement, template: Template, due, now) -> Decision:
    sent = Message.objects.filter(placement=placement, direction=Direction.OUTBOUND, kind=MessageKind.FOLLOW_UP,
                                  status=MessageStatus.SENT).count()
    if sent >= settings.OUTREACH_FOLLOWUP_CAP:
        return Decision(placement, template, "hold", f"plafond de {settings.OUTREACH_FOLLOWUP_CAP} relances atteint", due)
    probe = Message(placement=placement, organisation=placement.operation.organisation, kind=MessageKind.FOLLOW_UP,
                    step=template.kind, to_address="")
    mail = draft(placement, template)
    if mail.address is not None:
        probe.to_address = mail.address.address
    reason = final_reason(probe) or _status_reason(placement, template)
    if reason:
        return Decision(placement, template, "hold", reason, due)
    if template.kind == TemplateKind.NO_ARTICLE and (blind := veille.ask().blind_reason(placement.blog)):
        # "Avez-vous publié ?" to someone who may well have: the seeds' first complaint. Not
        # decided (so not held for good): it is weighed again once the veille reads the blog.
        return Decision(placement, template, "wait", f"en attente : {blind} — vérifiez le blog à la main", due)
    if not mail.ok:
        return Decision(placement, template, "hold", "; ".join(p.message for p in mail.problems), due, mail)
    return Decision(placement, template, "send", "", due, mail)


def _status_reason(placement, template: Template) -> str:
    if template.kind == TemplateKind.NO_ANSWER and placement.status not in (Status.PITCHED, Status.NO_ANSWER):
        return AFTER_REPLY.get(placement.status, f"statut : {placement.get_status_display()}")
    if template.kind == TemplateKind.NO_ARTICLE and placement.status != Status.RECEIVED:
        return AFTER_REPLY.get(placement.status, f"statut : {placement.get_status_display()}")
    return ""


def apply(decisions: list[Decision], now=None) -> dict:
    """Queue the follow-ups to send (the sender checks them again) and record the held-back ones."""
    now = now or timezone.now()
    counts = {"queued": 0, "held": 0, "waiting": 0}
    for decision in decisions:
        placement = decision.placement
        if decision.action == "wait":
            counts["waiting"] += 1
            continue
        pitch = (Message.objects.filter(placement=placement, direction=Direction.OUTBOUND, status=MessageStatus.SENT)
                 .order_by("-sent_at").first())
        if decision.action == "send":
            d = decision.draft
            Message.objects.create(
                placement=placement, organisation=placement.operation.organisation, direction=Direction.OUTBOUND,
                kind=MessageKind.FOLLOW_UP, step=decision.template.kind, status=MessageStatus.QUEUED,
                to_address=d.address.address, subject=d.rendered.subject, body_text=d.rendered.text,
                body_html=d.rendered.html, send_after=now, in_reply_to=pitch.message_id if pitch else "",
                references=" ".join(filter(None, [pitch.references, pitch.message_id])) if pitch else "")
            counts["queued"] += 1
        else:
            Message.objects.create(
                placement=placement, organisation=placement.operation.organisation, direction=Direction.OUTBOUND,
                kind=MessageKind.FOLLOW_UP, step=decision.template.kind, status=MessageStatus.CANCELLED,
                to_address=decision.draft.address.address if decision.draft and decision.draft.address else "",
                subject=f"{decision.template.get_kind_display()} (retenue)", body_text="", error=decision.reason)
            counts["held"] += 1
    return counts
