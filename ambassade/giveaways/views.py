"""The giveaway's pages: the CM's (scoped by organisation) and the public ones (no login): the
règlement with its entry form, the draw's certificate, the winner's address and parcel links."""


from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ambassade.accounts.access import staff_view
from ambassade.accounts.client_ip import client_ip
from ambassade.campaigns.models import Operation
from ambassade.lib.budget import spend
from ambassade.lib.french import count
from ambassade.logistics.ledger import OutOfStock, Parcel

from . import links, reglement, services
from .collect import FETCHED
from .comments import Unreadable, parse_csv
from .forms import AddressForm, CsvForm, DecisionForm, EntryForm, GiveawayForm, ParcelForm
from .models import Entry, EntryStatus, Giveaway, SourceKind, Winner
from .rules import RULES
from .tasks import collect_entries

MAX_CSV = 20 * 1024 * 1024
# The form sends a confirmation mail to the address typed: without a budget per visitor, the page would
# mail anyone, as often as a script asks.
FORM_ENTRIES_PER_ADDRESS = 5
FORM_WINDOW = 3600


def _over_budget(request) -> bool:
    return spend(f"giveaway:form:{client_ip(request)}", FORM_WINDOW) > FORM_ENTRIES_PER_ADDRESS


def _giveaway(request, pk) -> Giveaway:
    return get_object_or_404(Giveaway.objects.for_membership(request.membership)
                             .select_related("placement__blog", "placement__operation", "prize"), pk=pk)


@staff_view(agency=True)
def giveaway_create(request, pk):
    operation = get_object_or_404(Operation.objects.for_membership(request.membership), pk=pk)
    form = GiveawayForm(request.POST or None, operation=operation)
    if request.method == "POST" and form.is_valid():
        giveaway = form.save(commit=False)
        giveaway.organisation = operation.organisation
        giveaway.sources = form.cleaned_data["sources"]
        giveaway.author_names = form.cleaned_data["author_names"]
        try:
            services.create(giveaway, user=request.user)
        except (OutOfStock, services.GiveawayError) as error:
            form.add_error("prize", str(error))
        else:
            messages.success(request, "Concours créé : le lot est réservé et l'engagement du tirage publié.")
            return redirect("giveaway_detail", giveaway.pk)
    existing = Giveaway.objects.for_membership(request.membership).filter(placement__operation=operation)
    return render(request, "giveaways/giveaway_form.html", {"form": form, "operation": operation,
                                                            "existing": existing.select_related("placement__blog")})


@staff_view(agency=True)  # participants' e-mails and winners' links: the client reads the report instead
def giveaway_detail(request, pk):
    giveaway = _giveaway(request, pk)
    entries = list(giveaway.entries.order_by("posted_at", "id")[:2000])
    by_rule = (giveaway.entries.exclude(status=EntryStatus.VALID).values("rule")
               .annotate(n=Count("id")).order_by("-n"))
    valid = sum(1 for e in entries if e.status == EntryStatus.VALID)
    return render(request, "giveaways/giveaway_detail.html", {
        "giveaway": giveaway, "entries": entries, "rules": RULES, "valid": valid,
        "exclusions": [{"rule": RULES.get(r["rule"], r["rule"]), "n": r["n"]} for r in by_rule],
        "sources": giveaway.source_rows.filter(kind__in=FETCHED), "form_entries": SourceKind.FORM in giveaway.sources,
        "winners": [(w, "" if w.entry.email or w.address_given_at else links.address_url(w))
                    for w in giveaway.winners.select_related("entry", "shipment")],
        "csv_form": CsvForm(), "parcel_form": ParcelForm(), "public_url": links.public_url(giveaway),
        "headline": count(len(entries), "participation", "participations") + ", "
                    + count(valid, "retenue", "retenues"),
        "can_close": timezone.now() >= giveaway.closes_at and not giveaway.drawn_at,
    })


@require_POST
@staff_view(edit=True)
def giveaway_collect(request, pk):
    giveaway = _giveaway(request, pk)
    giveaway.source_rows.update(next_check_at=timezone.now())
    collect_entries.enqueue(giveaway.pk)
    messages.info(request, "Lecture des commentaires demandée : elle se fait en arrière-plan.")
    return redirect("giveaway_detail", pk)


@require_POST
@staff_view(edit=True)
def giveaway_upload(request, pk):
    giveaway = _giveaway(request, pk)
    form = CsvForm(request.POST, request.FILES)
    if not form.is_valid() or form.cleaned_data["file"].size > MAX_CSV:
        messages.error(request, "Fichier manquant ou trop gros (20 Mo au plus).")
        return redirect("giveaway_detail", pk)
    try:
        comments, dropped = parse_csv(form.cleaned_data["file"].read())
    except Unreadable as error:
        messages.error(request, f"Fichier illisible : {error}")
        return redirect("giveaway_detail", pk)
    new = services.ingest(giveaway, SourceKind.CSV, comments)
    note = f" ; {count(dropped, 'ligne illisible ignorée', 'lignes illisibles ignorées')}" if dropped else ""
    messages.success(request, count(new, "nouvelle participation", "nouvelles participations") + note)
    return redirect("giveaway_detail", pk)


@require_POST
@staff_view(edit=True)
def entry_decide(request, pk, entry_pk):
    giveaway = _giveaway(request, pk)
    entry = get_object_or_404(Entry, pk=entry_pk, giveaway=giveaway)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Une raison est obligatoire pour réintégrer ou exclure une participation.")
        return redirect("giveaway_detail", pk)
    try:
        services.decide(entry, form.cleaned_data["status"], form.cleaned_data["reason"], user=request.user)
    except services.GiveawayError as error:
        messages.error(request, str(error))
    return redirect("giveaway_detail", pk)


@require_POST
@staff_view(edit=True)
def giveaway_draw(request, pk):
    giveaway = _giveaway(request, pk)
    try:
        services.freeze(giveaway)
        services.draw(giveaway)
    except services.GiveawayError as error:
        messages.error(request, str(error))
        return redirect("giveaway_detail", pk)
    told = services.tell_winners(giveaway, user=request.user)
    messages.success(request, f"Tirage fait. {count(told['mailed'], 'gagnant prévenu', 'gagnants prévenus')} par "
                              f"mail, {count(told['through_blogger'], 'à annoncer', 'à annoncer')} par le blog.")
    return redirect("giveaway_detail", pk)


@require_POST
@staff_view(edit=True)
def winner_ship(request, pk, winner_pk):
    giveaway = _giveaway(request, pk)
    winner = get_object_or_404(Winner, pk=winner_pk, giveaway=giveaway)
    form = ParcelForm(request.POST)
    form.is_valid()
    try:
        services.ship_prize(winner, Parcel(**form.cleaned_data), user=request.user)
    except services.GiveawayError as error:
        messages.error(request, str(error))
    return redirect("giveaway_detail", pk)


# The public side: no login. A giveaway is found by its public id, never by its number.

def _public(public_id) -> Giveaway:
    return get_object_or_404(Giveaway.objects.select_related("placement__blog", "placement__operation", "prize",
                                                             "organisation"), public_id=public_id)


def giveaway_rules(request, public_id):
    giveaway = _public(public_id)
    form_open = SourceKind.FORM in giveaway.sources and giveaway.is_open()
    form = EntryForm(request.POST or None) if form_open else None
    sent = False
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid() and _over_budget(request):
            form.add_error(None, "Trop de participations envoyées d'ici : réessayez dans une heure.")
        elif form.is_valid():
            with transaction.atomic():
                services.add_form_entry(giveaway, form.cleaned_data["name"], form.cleaned_data["email"],
                                        form.cleaned_data["marketing"])
            sent = True
    return render(request, "giveaways/rules.html", {
        "giveaway": giveaway, "articles": reglement.articles(giveaway), "form": form, "sent": sent,
        "opens": reglement.moment(giveaway.opens_at), "closes": reglement.moment(giveaway.closes_at)})


def giveaway_confirm(request, token):
    value = links.read_confirm_token(token)
    entry = Entry.objects.select_related("giveaway").filter(pk=value[0], giveaway__public_id=value[1]).first() \
        if value else None
    if entry and request.method == "POST" and not entry.giveaway.frozen_at:
        services.confirm_form_entry(entry)
    return render(request, "giveaways/confirm.html", {"entry": entry})


def giveaway_certificate(request, public_id):
    giveaway = _public(public_id)
    certificate = services.certificate(giveaway)
    return render(request, "giveaways/certificate.html", {
        "giveaway": giveaway, "cert": certificate,
        "rows": [{**e, "label": RULES.get(e["rule"], e["rule"])} for e in certificate["entries"]],
        "exclusions": [(RULES.get(rule, rule), n) for rule, n in certificate["exclusions"].items()],
        "valid": sum(1 for e in certificate["entries"] if e["status"] == EntryStatus.VALID)})


def giveaway_certificate_json(request, public_id):
    response = JsonResponse(services.certificate(_public(public_id)), json_dumps_params={"ensure_ascii": False,
                                                                                       "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="tirage-{public_id}.json"'
    return response


def giveaway_address(request, token):
    winner = None
    value = links.read_address_token(token, max_age=400 * 24 * 3600)
    if value:
        winner = Winner.objects.select_related("giveaway", "entry").filter(
            pk=value[0], giveaway__public_id=value[1], erased_at__isnull=True).first()
    expired = bool(winner and winner.told_at and not winner.address_given_at and
                   (timezone.now() - winner.told_at).days > winner.giveaway.claim_days)
    form = AddressForm(request.POST or None) if winner and not expired else None
    done = bool(winner and winner.address_given_at)
    if form is not None and request.method == "POST" and form.is_valid() and not winner.shipment_id:
        services.give_address(winner, form.cleaned_data["full_name"], form.cleaned_data["postal_address"])
        done = True
    receipt = links.receipt_token(winner.shipment_id) if winner and winner.shipment_id else ""
    return render(request, "giveaways/address.html", {"winner": winner, "form": form, "done": done,
                                                      "expired": expired, "receipt_token": receipt})


def giveaway_receipt(request, token):
    value = links.read_receipt_token(token)
    winner = Winner.objects.select_related("shipment", "giveaway").filter(shipment_id=value[0]).first() \
        if value else None
    confirmed = False
    if winner and request.method == "POST":
        confirmed = services.confirm_prize_receipt(winner.shipment)
    return render(request, "giveaways/receipt.html", {"winner": winner, "confirmed": confirmed})


