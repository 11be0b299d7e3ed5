"""What happens to a giveaway, step by step: created (prize reserved), entries in and judged, the CM's
decisions, frozen, drawn, winners told, addresses given, prizes shipped and received, data erased."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ambassade.lib.french import count
from ambassade.logistics import ledger
from ambassade.logistics.models import MovementKind, Shipment, StockMovement
from ambassade.outreach.models import Message, MessageKind

from . import links, verify_draw
from .comments import Comment
from .models import Entry, EntryDecision, EntryStatus, Giveaway, Source, SourceKind, Winner
from .rules import RULES, Candidate, judge

MODE = "commit-reveal (no public beacon reachable)"
WORDPRESS = (SourceKind.WP_REST, SourceKind.WP_FEED, SourceKind.CSV)


class GiveawayError(ValueError):
    pass


def _note(giveaway: Giveaway) -> str:
    return f"concours n° {giveaway.pk} : {giveaway.title}"


def create(giveaway: Giveaway, *, user=None) -> Giveaway:
    """Save a new giveaway, reserve its prizes and set up its sources, all or nothing."""
    if giveaway.closes_at <= giveaway.opens_at:
        raise GiveawayError("la clôture doit suivre l'ouverture")
    with transaction.atomic():
        giveaway.created_by = user
        giveaway.save()
        ledger.take(giveaway.prize, giveaway.prize_quantity * giveaway.winners_count, MovementKind.RESERVED,
                    user=user, note=_note(giveaway))
        for kind in giveaway.sources:
            Source.objects.create(giveaway=giveaway, kind=kind, url=source_url(giveaway, kind))
    return giveaway


def source_url(giveaway: Giveaway, kind: str) -> str:
    base = giveaway.blog.url.rstrip("/")
    if kind == SourceKind.WP_REST:
        return f"{base}/wp-json/wp/v2/comments?post={giveaway.post_id}&orderby=id&order=asc&per_page=" \
               f"{settings.GIVEAWAY_PAGE_SIZE}"
    if kind == SourceKind.WP_FEED:
        return giveaway.post_url.rstrip("/") + "/feed/"
    if kind == SourceKind.BLOGGER_FEED:
        return f"{base}/feeds/{giveaway.post_id}/comments/default"
    return ""


def _unique_code(giveaway_id: int, taken: set[str]) -> str:
    import secrets

    while True:
        code = secrets.token_hex(4).upper()
        if code not in taken:
            taken.add(code)
            return code


def ingest(giveaway: Giveaway, source: str, comments: list[Comment]) -> int:
    """Store the comments not seen yet (by their id on the platform); returns how many are new."""
    if giveaway.frozen_at:
        return 0
    # WordPress's REST API, its comment feed and its CSV export number comments alike: one comment read
    # two ways is one entry.
    family = WORDPRESS if source in WORDPRESS else (source,)
    known = set(Entry.objects.filter(giveaway=giveaway, source__in=family).values_list("external_id", flat=True))
    taken = set(Entry.objects.filter(giveaway=giveaway).values_list("code", flat=True))
    fresh = [c for c in {c.external_id: c for c in comments}.values() if c.external_id not in known]
    rows = [Entry(giveaway=giveaway, source=source, external_id=c.external_id, code=_unique_code(giveaway.pk, taken),
                  author_name=c.author_name, author_url=c.author_url, email=c.email, text=c.text,
                  posted_at=c.posted_at, parent_id=c.parent_id, rule_detail="wp_user" if c.by_blog_user else "")
            for c in fresh]
    Entry.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)  # a racing pass wrote it first
    if rows:
        rejudge(giveaway)
    return len(rows)


def _author_names(giveaway: Giveaway) -> list[str]:
    names = list(giveaway.author_names)
    for blogger in giveaway.blog.bloggers.all():
        names += [n for n in (blogger.pseudonym, f"{blogger.first_name} {blogger.last_name}".strip()) if n]
    return names


def rejudge(giveaway: Giveaway) -> None:
    """Apply the rules again to every entry the CM has not decided on by hand (until the freeze)."""
    if giveaway.frozen_at:
        return
    entries = list(Entry.objects.filter(giveaway=giveaway))
    candidates = [Candidate(e.pk, e.author_name, e.author_url, e.email, e.text, e.posted_at, e.source,
                            e.parent_id, by_blog_user=e.rule_detail == "wp_user",
                            confirmed=e.source != SourceKind.FORM or e.email_confirmed_at is not None,
                            decided=e.status if e.overridden else "")
                  for e in entries]
    # Entries decided by hand still occupy their person's place (an excluded one does not).
    verdicts = judge(candidates, opens_at=giveaway.opens_at, closes_at=giveaway.closes_at,
                     author_names=_author_names(giveaway), author_sites=[giveaway.blog.url])
    changed = []
    for entry in entries:
        verdict = verdicts.get(entry.pk)
        if verdict is None or entry.overridden:
            continue
        detail = "wp_user" if entry.rule_detail == "wp_user" else verdict.detail
        if (entry.status, entry.rule, entry.rule_detail) != (verdict.status, verdict.rule, detail):
            entry.status, entry.rule, entry.rule_detail = verdict.status, verdict.rule, detail
            changed.append(entry)
    Entry.objects.bulk_update(changed, ["status", "rule", "rule_detail"], batch_size=500)


def decide(entry: Entry, status: str, reason: str, *, user=None) -> EntryDecision:
    """The CM reinstates or excludes an entry, with a reason; the rules no longer touch it."""
    reason = (reason or "").strip()
    if not reason:
        raise GiveawayError("une raison est obligatoire")
    if entry.giveaway.frozen_at:
        raise GiveawayError("la liste est figée depuis la clôture")
    with transaction.atomic():
        entry.status, entry.overridden = status, True
        entry.rule = "" if status == EntryStatus.VALID else "manual"
        entry.rule_detail = reason[:300]
        entry.save(update_fields=["status", "overridden", "rule", "rule_detail"])
        return EntryDecision.objects.create(entry=entry, to_status=status, reason=reason[:300], user=user)


def public_entries(giveaway: Giveaway) -> list[dict]:
    # The date is public on the blog already; with the initials it lets a commenter find their own code.
    return [{"code": e.code, "initials": e.initials, "at": timezone.localtime(e.posted_at).strftime("%Y-%m-%d %H:%M"),
             "status": e.status, "rule": e.rule} for e in giveaway.entries.order_by("code")]


def freeze(giveaway: Giveaway, now=None) -> Giveaway:
    """At the closing time: the list is fixed and its hash published."""
    now = now or timezone.now()
    if giveaway.frozen_at:
        return giveaway
    if now < giveaway.closes_at:
        raise GiveawayError("le concours n'est pas encore clos")
    rejudge(giveaway)
    giveaway.frozen_entries = public_entries(giveaway)
    giveaway.list_hash = verify_draw.list_hash_of(giveaway.frozen_entries)
    giveaway.frozen_at = now
    giveaway.save(update_fields=["frozen_entries", "list_hash", "frozen_at"])
    return giveaway


def draw(giveaway: Giveaway, now=None) -> list[Winner]:
    """Seed from the kept secret and the list hash; winners are the first N by HMAC; the secret is revealed."""
    if not giveaway.frozen_at:
        raise GiveawayError("la liste doit d'abord être figée")
    if giveaway.drawn_at:
        return list(giveaway.winners.all())
    with transaction.atomic():
        locked = Giveaway.objects.select_for_update().get(pk=giveaway.pk)
        if locked.drawn_at:
            return list(locked.winners.all())
        seed = verify_draw.seed_of(locked.secret, locked.list_hash)
        codes = verify_draw.winners_of(seed, locked.frozen_entries, locked.winners_count)
        entries = {e.code: e for e in locked.entries.filter(code__in=codes)}
        winners = [Winner.objects.create(giveaway=locked, entry=entries[code], rank=rank)
                   for rank, code in enumerate(codes, 1)]
        locked.seed, locked.drawn_at = seed, now or timezone.now()
        locked.save(update_fields=["seed", "drawn_at"])
        _release_unused_prizes(locked, len(winners))
    giveaway.refresh_from_db()
    return winners


def _release_unused_prizes(giveaway: Giveaway, winners: int) -> None:
    """Fewer fair entries than prizes: the prizes nobody won go back to the stock."""
    unused = (giveaway.winners_count - winners) * giveaway.prize_quantity
    if unused > 0:
        ledger.put(giveaway.prize, unused, MovementKind.RELEASED, note=_note(giveaway) + " (lots non attribués)")


def certificate(giveaway: Giveaway) -> dict:
    """Everything needed to check the draw, and nothing that names a participant."""
    exclusions = {}
    for row in giveaway.frozen_entries:
        if row["status"] != EntryStatus.VALID:
            exclusions[row["rule"]] = exclusions.get(row["rule"], 0) + 1
    return {
        "format": verify_draw.FORMAT,
        "giveaway": {"title": giveaway.title, "blog": giveaway.blog.name, "post_url": giveaway.post_url,
                     "opens_at": giveaway.opens_at.isoformat(), "closes_at": giveaway.closes_at.isoformat()},
        "mode": MODE,
        "beacon": None,
        "commitment": giveaway.commitment,
        "committed_at": giveaway.created_at.isoformat(),
        "frozen_at": giveaway.frozen_at.isoformat() if giveaway.frozen_at else None,
        "list_hash": giveaway.list_hash,
        "entries": giveaway.frozen_entries,
        "rules": {code: RULES[code] for code in sorted(exclusions)},
        "exclusions": exclusions,
        "winners_count": giveaway.winners_count,
        "secret": giveaway.revealed_secret,
        "seed": giveaway.seed if giveaway.drawn_at else "",
        "winners": [w.entry.code for w in giveaway.winners.select_related("entry")],
        "drawn_at": giveaway.drawn_at.isoformat() if giveaway.drawn_at else None,
        "encoding": verify_draw.__doc__.split("The exact encoding, byte for byte:")[1].strip(),
    }


def tell_winners(giveaway: Giveaway, *, user=None) -> dict:
    """A mail to each winner whose e-mail is known (the outbox sends it); the others are for the blogger
    to announce. Returns {"mailed": n, "through_blogger": m}."""
    result = {"mailed": 0, "through_blogger": 0}
    for winner in giveaway.winners.select_related("entry").filter(told_at__isnull=True):
        email = winner.entry.email
        if email:
            Message.objects.create(
                organisation=giveaway.organisation, kind=MessageKind.OTHER, to_address=email,
                subject=f"Vous avez gagné le concours « {giveaway.title[:200]} »",
                body_text=winner_mail(giveaway, winner))
            result["mailed"] += 1
        else:
            result["through_blogger"] += 1
        winner.told_at = timezone.now()
        winner.save(update_fields=["told_at"])
    return result


def winner_mail(giveaway: Giveaway, winner: Winner) -> str:
    return (
        f"Bonjour,\n\nLe tirage au sort du concours « {giveaway.title} » sur {giveaway.blog.name} vous a désigné "
        f"parmi les gagnants (participation {winner.entry.code}).\n\n"
        f"Pour recevoir votre lot, indiquez votre adresse postale avant {giveaway.claim_days} jours sur cette page :\n"
        f"{links.address_url(winner)}\n\n"
        f"Le tirage se vérifie ici : {links.certificate_url(giveaway)}\n"
    )


def give_address(winner: Winner, full_name: str, postal_address: str) -> None:
    full_name, postal_address = full_name.strip()[:200], postal_address.strip()[:1000]
    if not full_name or not postal_address:
        raise GiveawayError("nom et adresse sont nécessaires pour envoyer le lot")
    if winner.erased_at:
        raise GiveawayError("ce gain est clos")
    winner.full_name, winner.postal_address, winner.address_given_at = full_name, postal_address, timezone.now()
    winner.save(update_fields=["full_name", "postal_address", "address_given_at"])


def ship_prize(winner: Winner, parcel: ledger.Parcel | None = None, *, user=None, at=None) -> Shipment:
    """The reserved prize becomes a parcel: the same ledger rows as a placement's parcel (released, then
    'given to a giveaway winner'), the same Shipment record, its own receipt link."""
    parcel = parcel or ledger.Parcel()
    giveaway = winner.giveaway
    if not winner.address_given_at:
        raise GiveawayError("le gagnant n'a pas encore donné son adresse")
    now = at or timezone.now()
    with transaction.atomic():
        locked = Winner.objects.select_for_update().get(pk=winner.pk)
        if locked.shipment_id:
            return locked.shipment
        units = giveaway.prize_quantity
        StockMovement.objects.create(product=giveaway.prize, kind=MovementKind.RELEASED, quantity=units, user=user,
                                     note=_note(giveaway) + " : lot expédié", at=now)
        StockMovement.objects.create(product=giveaway.prize, kind=MovementKind.GIVEAWAY, quantity=-units, user=user,
                                     note=_note(giveaway), at=now)
        shipment = Shipment.objects.create(
            placement=giveaway.placement, blogger=None, product=giveaway.prize, quantity=units,
            carrier=parcel.carrier, tracking_number=parcel.tracking_number, cost=parcel.cost or 0, shipped_at=now)
        locked.shipment = shipment
        locked.save(update_fields=["shipment"])
        if locked.entry.email:
            Message.objects.create(
                organisation=giveaway.organisation, kind=MessageKind.SHIPMENT, to_address=locked.entry.email,
                subject=f"Votre lot du concours « {giveaway.title[:200]} » est parti",
                body_text=(f"Bonjour,\n\nVotre lot ({giveaway.prize.name}) est parti"
                           + (f" par {parcel.carrier}" if parcel.carrier else "")
                           + (f", suivi {parcel.tracking_number}" if parcel.tracking_number else "")
                           + f".\nQuand il arrive, un clic suffit pour nous le dire :\n{links.receipt_url(shipment)}\n"))
    winner.shipment = shipment
    return shipment


def confirm_prize_receipt(shipment: Shipment, *, by: str = "gagnant") -> bool:
    """Not ledger.confirm_receipt: the placement's status is the blogger's, and a winner's parcel must not
    move it."""
    with transaction.atomic():
        locked = Shipment.objects.select_for_update().get(pk=shipment.pk)
        if locked.received_at:
            return False
        locked.received_at, locked.received_by = timezone.now(), by
        locked.save(update_fields=["received_at", "received_by"])
    return True


def erase_due(now=None, dry_run: bool = False) -> dict:
    """The winners' names and addresses GIVEAWAY_ERASE_DAYS after their prize was received; every other
    participant's e-mail, site and comment text the same time after the draw (the code, the initials and
    the rule stay: the certificate needs them)."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.GIVEAWAY_ERASE_DAYS)
    with transaction.atomic():
        winners = Winner.objects.filter(erased_at__isnull=True, shipment__received_at__lt=limit)
        winner_ids = list(winners.values_list("id", flat=True))
        kept = Winner.objects.filter(erased_at__isnull=True).exclude(id__in=winner_ids).values("entry_id")
        entries = Entry.objects.filter(giveaway__drawn_at__lt=limit, erased_at__isnull=True).exclude(id__in=kept)
        if dry_run:
            return {"winners": len(winner_ids), "entries": entries.count()}
        Winner.objects.filter(id__in=winner_ids).update(full_name="", postal_address="", erased_at=now)
        erased = entries.update(email="", text="", author_url="", erased_at=now)
    return {"winners": len(winner_ids), "entries": erased}


def summary(giveaway: Giveaway) -> str:
    entries = giveaway.entries.count()
    valid = giveaway.entries.filter(status=EntryStatus.VALID).count()
    return f"{count(entries, 'participation', 'participations')}, {count(valid, 'valide', 'valides')}"



def close_due(now=None) -> dict:
    """The scheduler's rule: every giveaway past its closing time is frozen and drawn."""
    now = now or timezone.now()
    drawn = 0
    for giveaway in Giveaway.objects.filter(closes_at__lte=now, drawn_at__isnull=True):
        freeze(giveaway, now)
        draw(giveaway, now)
        tell_winners(giveaway)
        drawn += 1
    return {"drawn": drawn}


def add_form_entry(giveaway: Giveaway, name: str, email: str, marketing: bool, now=None) -> Entry:
    """An entry from the règlement's form: it counts once its e-mail is confirmed by the link."""
    import uuid

    now = now or timezone.now()
    taken = set(giveaway.entries.values_list("code", flat=True))
    existing = giveaway.entries.filter(source=SourceKind.FORM, email__iexact=email.strip()).first()
    if existing:
        return existing
    entry = Entry.objects.create(giveaway=giveaway, source=SourceKind.FORM, external_id=uuid.uuid4().hex,
                                 code=_unique_code(giveaway.pk, taken), author_name=name.strip()[:200],
                                 email=email.strip()[:254], posted_at=now, marketing_consent=marketing,
                                 text="Participation par le formulaire")
    rejudge(giveaway)
    Message.objects.create(
        organisation=giveaway.organisation, kind=MessageKind.OTHER, to_address=entry.email,
        subject=f"Confirmez votre participation au concours « {giveaway.title[:200]} »",
        body_text=(f"Bonjour,\n\nPour confirmer votre participation au concours « {giveaway.title} » sur "
                   f"{giveaway.blog.name}, ouvrez ce lien :\n{links.absolute(links.confirm_path(entry))}\n\n"
                   "Sans confirmation, la participation n'est pas retenue. Si vous n'avez rien demandé, ignorez ce "
                   "message : votre adresse sera effacée après le tirage.\n"))
    return entry


def confirm_form_entry(entry: Entry, now=None) -> None:
    if not entry.email_confirmed_at:
        entry.email_confirmed_at = now or timezone.now()
        entry.save(update_fields=["email_confirmed_at"])
        rejudge(entry.giveaway)
