"""Outreach pages: writing to the shortlist, the follow-up rules' day, conversations, the opt-out link."""

import uuid

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt

from ambassade.accounts.access import get_scoped_or_404, staff_view
from ambassade.blogs.models import Blogger
from ambassade.campaigns.models import Operation, Placement
from ambassade.campaigns.status import Status, can_move
from ambassade.lib.signing import read_opt_out_token
from ambassade.logistics import ledger

from .compose import PITCH_PENDING_OR_SENT, draft_batch, mail_settings, queue, templates_for
from .followups import plan
from .guards import window_of
from .lint import template_problems
from .models import Direction, MailSettings, Message, MessageKind, MessageStatus, TemplateKind
from .optout import opt_out_everywhere
from .render import VARIABLES, RenderError, unknown_variables

READY = (Status.SHORTLISTED,)


def _operation(request, pk):
    return get_scoped_or_404(Operation.objects.for_membership(request.membership).select_related("client"), pk=pk)


def _notes(data) -> dict[int, str]:
    return {int(k[5:]): v[:2000] for k, v in data.items() if k.startswith("note-") and k[5:].isdigit()}


@staff_view(agency=True)
def operation_mail(request, pk):
    """The first contact of every shortlisted blog: one preview per person, the lint's verdict, then the queue."""
    operation = _operation(request, pk)
    templates = templates_for(operation)
    pitch = templates[TemplateKind.PITCH]
    pitched = Message.objects.filter(kind=MessageKind.PITCH, direction=Direction.OUTBOUND,
                                     status__in=PITCH_PENDING_OR_SENT).values("placement")
    # Once a pitch waits in the queue, the person leaves "Premiers contacts": no second pitch by mistake.
    placements = list(operation.placements.filter(status__in=READY).exclude(pk__in=pitched)
                      .select_related("blog", "operation", "operation__organisation"))
    notes = _notes(request.POST)
    drafts = draft_batch(placements, pitch, notes)
    if request.method == "POST" and request.POST.get("action") == "queue":
        if not request.membership.can_edit:
            raise Http404
        chosen = {int(i) for i in request.POST.getlist("send") if i.isdigit()}
        with transaction.atomic():
            queued = queue([d for d in drafts if d.placement.pk in chosen])
        held = [d for d in drafts if d.placement.pk in chosen and not d.ok]
        if queued:
            messages.success(request, ngettext(
                "%(n)d mail en file d'envoi : il partira aux heures d'envoi.",
                "%(n)d mails en file d'envoi : ils partiront un par un, aux heures d'envoi.", len(queued))
                % {"n": len(queued)})
        if held:
            messages.error(request, ngettext("%(n)d mail bloqué : corrigez ce qui est signalé.",
                                             "%(n)d mails bloqués : corrigez ce qui est signalé.", len(held))
                           % {"n": len(held)})
        return redirect("operation_mail", pk=operation.pk)
    sent = (Message.objects.filter(placement__operation=operation).select_related("placement__blog")
            .order_by("-created_at")[:50])
    waiting = (Message.objects.filter(placement__operation=operation, direction=Direction.OUTBOUND,
                                      status=MessageStatus.QUEUED).select_related("placement__blog")
               .order_by("send_after"))
    # When each one can really leave: not before the sending window opens (a mail queued on Sunday
    # evening says Monday 9:00, not "now"). The blogger's cadence and the daily cap are the sender's.
    window, now = window_of(mail_settings(operation.organisation)), timezone.now()
    for message in waiting:
        message.earliest = window.next_open(timezone.localtime(max(message.send_after or now, now)))
    edited = request.session.pop("template_draft", {})
    return render(request, "outreach/operation_mail.html", {
        "operation": operation, "templates": [_with_draft(templates[k], edited) for k in TemplateKind.values],
        "drafts": drafts, "variables": VARIABLES, "sent": sent, "notes": notes, "waiting": waiting,
    })


def _with_draft(template, edited: dict):
    """The template as the CM last typed it when a save was refused: their text is never thrown away."""
    if template.kind in edited:
        template.subject, template.body_text = edited[template.kind]["subject"], edited[template.kind]["body_text"]
        template.refused = edited[template.kind]["errors"]
    return template


@staff_view(edit=True, agency=True)
def message_cancel(request, pk):
    """Take a mail out of the queue before it leaves (never one already handed to the SMTP server)."""
    message = get_scoped_or_404(Message.objects.for_membership(request.membership), pk=pk)
    if request.method == "POST":
        taken = Message.objects.filter(pk=message.pk, status=MessageStatus.QUEUED, handed_at__isnull=True).update(
            status=MessageStatus.CANCELLED, error=_("retiré de la file par %(who)s") % {
                "who": request.user.get_full_name() or request.user.username})
        if taken:
            messages.success(request, _("Mail retiré de la file : il ne partira pas."))
        else:
            messages.error(request, _("Trop tard : ce mail est déjà parti ou en cours d'envoi."))
    if message.placement_id:
        return redirect("operation_mail", pk=message.placement.operation_id)
    return redirect("followups")


@staff_view(edit=True, agency=True)
def template_edit(request, pk, kind):
    operation = _operation(request, pk)
    if kind not in TemplateKind.values or request.method != "POST":
        raise Http404
    template = templates_for(operation)[kind]
    subject, body = request.POST.get("subject", "").strip(), request.POST.get("body_text", "")
    errors = []
    try:
        unknown = unknown_variables(subject, body)
        if unknown:
            errors.append(_("Variable inconnue : %(v)s") % {"v": ", ".join(sorted(unknown))})
    except RenderError as error:
        errors.append(str(error))
    if not subject or not body.strip():
        errors.append(_("L'objet et le texte sont obligatoires."))
    errors += [p.message for p in template_problems(True, body)]
    if errors:
        for error in errors:
            messages.error(request, error)
        # Refused, but kept: the page shows the text as typed, with what to change.
        request.session["template_draft"] = {kind: {"subject": subject[:300], "body_text": body[:20000],
                                                    "errors": errors}}
        return redirect("operation_mail", pk=operation.pk)
    template.subject, template.body_text = subject[:300], body
    template.note_required = bool(request.POST.get("note_required"))
    if kind != TemplateKind.PITCH:
        try:
            template.delay_days = max(1, min(int(request.POST.get("delay_days", template.delay_days)), 60))
        except ValueError:
            messages.error(request, _("Le délai doit être un nombre de jours."))
            return redirect("operation_mail", pk=operation.pk)
    template.save()
    messages.success(request, _("Modèle enregistré."))
    return redirect("operation_mail", pk=operation.pk)


@staff_view(agency=True)
def followups_today(request):
    """What the rules would send today and what they hold back, before anything happens."""
    decisions = plan(organisation=request.membership.organisation)
    held = (Message.objects.filter(organisation=request.membership.organisation, kind=MessageKind.FOLLOW_UP,
                                   status=MessageStatus.CANCELLED).select_related("placement__blog",
                                                                                 "placement__operation")
            .order_by("-created_at")[:100])
    queued = (Message.objects.filter(organisation=request.membership.organisation, direction=Direction.OUTBOUND,
                                     status__in=[MessageStatus.QUEUED, MessageStatus.UNCERTAIN])
              .select_related("placement__blog").order_by("send_after"))
    return render(request, "outreach/followups.html", {"decisions": decisions, "held": held, "queued": queued})


@staff_view(agency=True)
def to_answer(request):
    """The dashboard's "à répondre" card: replies nobody has dealt with, oldest first (loaded by htmx)."""
    replies = (Message.objects.for_membership(request.membership).to_answer()
               .select_related("placement__blog", "placement__operation").order_by("received_at"))
    return render(request, "outreach/_to_answer.html", {"replies": replies, "now": timezone.now()})


@staff_view(agency=True)
def conversation(request, pk):
    placement = get_scoped_or_404(Placement.objects.for_membership(request.membership)
                                  .select_related("operation", "blog"), pk=pk)
    thread = placement.messages.exclude(status=MessageStatus.DRAFT).order_by("created_at")
    return render(request, "outreach/_conversation.html", {"placement": placement, "thread": thread,
                                                           "answer_key": uuid.uuid4()})


@staff_view(edit=True, agency=True)
def answer(request, pk):
    """The CM deals with a reply: accepted, declined (with the reason given), or a written answer."""
    placement = get_scoped_or_404(Placement.objects.for_membership(request.membership)
                                  .select_related("operation", "blog"), pk=pk)
    if request.method != "POST":
        return redirect("operation_detail", pk=placement.operation_id)
    decision = request.POST.get("decision", "")
    reason = request.POST.get("reason", "").strip()[:300]
    text = request.POST.get("text", "").strip()
    key = _key(request.POST.get("key", ""))
    if key and Message.objects.filter(**key).exists() or decision and decision == placement.status:
        messages.info(request, _("Déjà fait : ce formulaire avait déjà été envoyé."))
        return redirect("operation_detail", pk=placement.operation_id)
    with transaction.atomic():
        if decision in (Status.ACCEPTED, Status.DECLINED) and can_move(placement.status, decision):
            try:
                ledger.move(placement, decision, user=request.user, note=reason)
            except ledger.OutOfStock as error:
                messages.error(request, str(error))
                return redirect("operation_detail", pk=placement.operation_id)
        elif decision:
            messages.error(request, _("Ce changement n'est pas possible depuis « %(s)s ».") % {
                "s": placement.get_status_display()})
        if text:
            _queue_answer(placement, text, key)
        Message.objects.filter(placement=placement).to_answer().update(answered_at=timezone.now(),
                                                                        answered_by=request.user)
    messages.success(request, _("Réponse traitée."))
    return redirect("operation_detail", pk=placement.operation_id)


def _queue_answer(placement: Placement, text: str, key: dict) -> None:
    last = placement.messages.filter(direction=Direction.INBOUND).order_by("-received_at").first()
    sent = placement.messages.filter(direction=Direction.OUTBOUND, status=MessageStatus.SENT).order_by("-sent_at").first()
    address = (last.from_address if last else "") or (sent.to_address if sent else "")
    if not address:
        return
    subject = (last.subject if last else placement.operation.name)
    Message.objects.create(
        placement=placement, organisation=placement.operation.organisation, direction=Direction.OUTBOUND,
        kind=MessageKind.ANSWER, status=MessageStatus.QUEUED, to_address=address,
        subject=subject if subject.lower().startswith("re") else f"Re : {subject}", body_text=text,
        send_after=timezone.now(), in_reply_to=last.message_id if last else "", **key,
        references=" ".join(filter(None, [last.references, last.message_id])) if last else "")


def _key(key: str) -> dict:
    """The form's one-time key becomes the mail's idempotency key: a second submit finds it."""
    try:
        return {"idempotency_key": uuid.UUID(key)}
    except ValueError:
        return {}


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without any form of ours
def opt_out(request, token):
    """The opt-out link: GET asks (link scanners must not unsubscribe anyone), POST takes effect at once."""
    blogger_pk = read_opt_out_token(token)
    blogger = Blogger.objects.filter(pk=blogger_pk).select_related("organisation").first() if blogger_pk else None
    if blogger is None:
        return render(request, "outreach/opt_out.html", {"invalid": True}, status=400)
    if request.method == "POST":
        opt_out_everywhere(blogger, "lien d'opposition")
        return render(request, "outreach/opt_out.html", {"done": True, "organisation": blogger.organisation})
    return render(request, "outreach/opt_out.html", {"blogger": blogger, "organisation": blogger.organisation,
                                                     "token": token})


@staff_view(manage=True, agency=True)
def mail_settings_edit(request):
    """How the organisation sends and reads mail (managers only)."""
    from .forms import MailSettingsForm

    current = mail_settings(request.membership.organisation)
    form = MailSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        form.instance.organisation = request.membership.organisation
        form.save()
        # Mails parked until the old opening hour are weighed again under the new hours at once.
        Message.objects.filter(organisation=request.membership.organisation, direction=Direction.OUTBOUND,
                               status=MessageStatus.QUEUED, send_after__gt=timezone.now()).update(
            send_after=timezone.now())
        messages.success(request, _("Réglages d'envoi enregistrés."))
        return redirect("mail_settings")
    secrets = {name: bool(MailSettings.secret(getattr(current, name))) for name in MailSettingsForm.ENV_FIELDS
               if getattr(current, name)}
    return render(request, "outreach/mail_settings.html", {"form": form, "secrets": secrets, "current": current})
