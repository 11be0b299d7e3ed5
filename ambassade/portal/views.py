"""The blogger's page: proposals, parcels, an article to declare, preferences, and their data.

Reached only through a personal link; every object is looked up through the
blogger the link names (their blog, their organisation), so a link never
shows anyone else. Sensitive actions need a one-time token from the page.
"""

import json
from functools import wraps

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassade.accounts.access import get_scoped_or_404, staff_view
from ambassade.blogs import gdpr
from ambassade.blogs.models import AccessAction, Blogger, Cadence, LegalBasis
from ambassade.blogs.personal_links import action_token, blogger_for, spend
from ambassade.blogs.topics import TAXONOMY
from ambassade.campaigns.models import ActorKind, Placement
from ambassade.campaigns.status import Status, can_move
from ambassade.lib.text import split_terms
from ambassade.logistics import ledger
from ambassade.logistics.models import Shipment
from ambassade.outreach.models import Message
from ambassade.outreach.optout import opt_out_everywhere
from ambassade.privacy import gdpr as privacy

from . import ratelimit
from .mails import queue_page_link

OPEN = (Status.PITCHED, Status.REPLIED, Status.NO_ANSWER)  # proposals waiting for the blogger's answer
SENSITIVE = ("stop", "export", "erase")


def with_blogger(view):
    """Resolve the link (or answer 404 and count the failure); refuse bursts with 429."""

    @wraps(view)
    def wrapper(request, token, *args, **kwargs):
        if ratelimit.blocked(request):
            return render(request, "portal/invalid.html", {"too_many": True}, status=429)
        blogger = blogger_for(token)
        if blogger is None:
            ratelimit.failed(request)
            return render(request, "portal/invalid.html", {}, status=404)
        return view(request, token, blogger, *args, **kwargs)

    return wrapper


class PreferencesForm(forms.Form):
    topics_wanted = forms.MultipleChoiceField(label=gettext_lazy("Ce dont j'aime parler"), required=False,
                                              choices=TAXONOMY.items(), widget=forms.CheckboxSelectMultiple)
    topics_never = forms.CharField(
        label=gettext_lazy("Ce que je ne veux jamais recevoir"), required=False, max_length=500,
        help_text=gettext_lazy("Séparés par des virgules : grossesse, peaux sèches, alcool…"))
    cadence = forms.ChoiceField(label=gettext_lazy("À quel rythme m'écrire"), choices=Cadence.choices)
    giveaways_ok = forms.BooleanField(label=gettext_lazy("J'accepte d'organiser des concours"), required=False)
    postal_address = forms.CharField(label=gettext_lazy("Adresse pour les colis"), required=False, max_length=500,
                                     widget=forms.Textarea(attrs={"rows": 3}))


def _address(blogger: Blogger) -> str:
    return blogger.primary_email.address if blogger.primary_email else ""


def _heard(blogger: Blogger) -> None:
    Blogger.objects.filter(pk=blogger.pk).update(last_heard_at=timezone.now())


def _placements(blogger: Blogger):
    return (Placement.objects.filter(blog=blogger.blog, operation__organisation=blogger.organisation_id)
            .exclude(status__in=[Status.CANDIDATE, Status.SHORTLISTED])
            .select_related("operation", "operation__client").order_by("-status_changed_at"))


@with_blogger
def page(request, token, blogger):
    placements = list(_placements(blogger))
    form = PreferencesForm(initial={
        "topics_wanted": blogger.topics_wanted, "topics_never": ", ".join(blogger.topics_never),
        "cadence": blogger.cadence, "giveaways_ok": blogger.giveaways_ok, "postal_address": blogger.postal_address})
    return render(request, "portal/page.html", {
        "blogger": blogger, "token": token, "form": form,
        "open": [p for p in placements if p.status in OPEN],
        "past": [p for p in placements if p.status not in OPEN],
        "parcels": Shipment.objects.filter(placement__in=placements).select_related("product", "placement__operation"),
        "to_declare": [p for p in placements if p.status in (Status.ACCEPTED, Status.SHIPPED, Status.RECEIVED,
                                                             Status.NOT_PUBLISHED)],
        "actions": {purpose: action_token(blogger, purpose) for purpose in SENSITIVE},
        "consent_asked": blogger.consent_requested_at is not None,
    })


def _back(token):
    return redirect("portal", token=token)


@with_blogger
def proposal(request, token, blogger, pk):
    placement = _placements(blogger).filter(pk=pk).first()
    if placement is None or request.method != "POST":
        return render(request, "portal/invalid.html", {}, status=404)
    decision = request.POST.get("decision")
    text = request.POST.get("text", "").strip()[:2000]
    with transaction.atomic():
        if decision in (Status.ACCEPTED, Status.DECLINED) and can_move(placement.status, decision):
            try:
                ledger.move(placement, decision, actor=ActorKind.BLOGGER, note=text[:300])
                messages.success(request, _("Merci ! C'est noté, l'agence revient vers vous.")
                                 if decision == Status.ACCEPTED else _("C'est noté, merci d'avoir répondu."))
            except ledger.OutOfStock:
                messages.error(request, _("Il n'y a plus de produit disponible : l'agence vous répond au plus vite."))
                decision, text = "", text or _("(a voulu accepter : plus de stock)")
        if decision not in (Status.ACCEPTED, Status.DECLINED) or text:
            # A question, or a word with the answer: it reaches the CM like a reply to answer.
            Message.objects.record_word_from_blogger(
                placement, _("Depuis sa page : %(op)s") % {"op": placement.operation.name}, text or "—", _address(blogger))
            if not decision:
                messages.success(request, _("Votre question est partie : l'agence vous répond par mail."))
        _heard(blogger)
    return _back(token)


@with_blogger
def parcel(request, token, blogger, pk):
    shipment = Shipment.objects.filter(pk=pk, placement__in=_placements(blogger)).first()
    if shipment is None or request.method != "POST":
        return render(request, "portal/invalid.html", {}, status=404)
    problem = request.POST.get("problem", "").strip()[:2000]
    if problem:
        shipment.problem = problem
        shipment.save(update_fields=["problem"])
        Message.objects.record_word_from_blogger(
            shipment.placement, _("Problème de colis : %(p)s") % {"p": shipment.product.name}, problem, _address(blogger))
        messages.success(request, _("Problème signalé : l'agence vous répond."))
    elif ledger.confirm_receipt(shipment, by="blogger"):
        messages.success(request, _("Réception enregistrée, merci !"))
    _heard(blogger)
    return _back(token)


@with_blogger
def article(request, token, blogger, pk):
    """The blogger declares their article: fetched and analysed by the veille; reminders stop at once.

    The fetch happens in the task worker, never in this request; the page waits for it."""
    from ambassade.watch.manual import blog_for_url
    from ambassade.workflow.pending import queue_article

    placement = _placements(blogger).filter(pk=pk).first()
    url = request.POST.get("url", "").strip()
    if placement is None or request.method != "POST":
        return render(request, "portal/invalid.html", {}, status=404)
    if blog_for_url(blogger.organisation, url) != blogger.blog:
        messages.error(request, _("Cette adresse n'est pas sur votre blog (%(blog)s).") % {"blog": blogger.blog.url})
        return _back(token)
    request_token = queue_article(placement.operation, url, None, source="declared", blogger_id=blogger.pk)
    _heard(blogger)
    return redirect("portal_article_status", token=token, request_token=request_token)


@with_blogger
def article_status(request, token, blogger, request_token):
    """Where the declared article stands: polls itself (htmx) until the worker is done."""
    from ambassade.workflow import pending

    state = pending.load(request_token)
    if state is None or state["blogger"] != blogger.pk:
        return render(request, "portal/invalid.html", {}, status=404)
    done = state["state"] == pending.DONE
    result = state["result"] or {}
    context = {"token": token, "request_token": request_token, "blogger": blogger, "state": state, "done": done,
               "error": result.get("error", "") if done else ""}
    template = "portal/_article_status.html" if request.htmx else "portal/article_status.html"
    return render(request, template, context)


@with_blogger
def preferences(request, token, blogger):
    form = PreferencesForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        messages.error(request, _("Vos préférences n'ont pas pu être enregistrées."))
        return _back(token)
    data = form.cleaned_data
    Blogger.objects.filter(pk=blogger.pk).update(
        topics_wanted=data["topics_wanted"], topics_never=split_terms(data["topics_never"]), cadence=data["cadence"],
        giveaways_ok=data["giveaways_ok"], postal_address=data["postal_address"].strip(),
        last_heard_at=timezone.now())
    gdpr.log_access(blogger, AccessAction.EDIT, by_blogger=True)
    messages.success(request, _("Préférences enregistrées : l'agence les voit dès maintenant."))
    return _back(token)


@with_blogger
def keep(request, token, blogger):
    """The answer to the retention rule's question: yes, keep my details."""
    if request.method == "POST":
        Blogger.objects.filter(pk=blogger.pk).update(last_heard_at=timezone.now(), consent_requested_at=None,
                                                     legal_basis=LegalBasis.CONSENT)
        messages.success(request, _("Merci, nous gardons vos coordonnées."))
    return _back(token)


@with_blogger
def sensitive(request, token, blogger, purpose):
    """Stop all contact, export, erase: each needs the page's one-time token."""
    if request.method != "POST" or purpose not in SENSITIVE:
        return render(request, "portal/invalid.html", {}, status=404)
    if not spend(request.POST.get("action_token", ""), blogger, purpose):
        ratelimit.failed(request)
        return render(request, "portal/invalid.html", {"spent": True}, status=403)
    if purpose == "stop":
        opt_out_everywhere(blogger, "demande depuis sa page")
        _heard(blogger)
        messages.success(request, _("C'est fait : plus aucun message de notre part, pour aucune marque."))
        return _back(token)
    if purpose == "export":
        gdpr.log_access(blogger, AccessAction.EXPORT, by_blogger=True)
        response = HttpResponse(json.dumps(privacy.export(blogger), ensure_ascii=False, indent=2),
                                content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="mes-donnees.json"'
        return response
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Cochez la case pour confirmer l'effacement."))
        return _back(token)
    organisation = blogger.organisation
    privacy.erase(blogger, by_blogger=True)
    return render(request, "portal/erased.html", {"organisation": organisation})


@staff_view(edit=True, agency=True)
def send_link(request, pk):
    """The agency re-sends a person the link to their page: it can be sent, never copied."""
    blogger = get_scoped_or_404(Blogger.objects.for_membership(request.membership), pk=pk)
    if request.method == "POST":
        if queue_page_link(blogger):
            messages.success(request, _("Le lien vers sa page part par mail (un lien neuf, que vous ne voyez pas)."))
        else:
            messages.error(request, _("Impossible : pas d'adresse, opposition ou données effacées."))
    return redirect("blogger_detail", pk=blogger.pk)
