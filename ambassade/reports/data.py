"""What a client report says, from the records only: placements' history, mails, parcels, articles.

Only measured figures: counts, dates, costs from the ledger, comments as the
platforms show them. Nothing is estimated here; there is no "earned media
value". Every blogger without an article gets the reason the records give.

Which articles count, and the funnel, come from `figures` (the same for every page and
file). A transparency claim follows the records too: "produit offert non signalé" (red)
needs a parcel we recorded before the article and a person of the agency who confirmed
the article; a post that says "produit offert" without our parcel only *says* so.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from ambassade.campaigns.models import Operation, Placement
from ambassade.campaigns.status import Status
from ambassade.giveaways import report as giveaway_report
from ambassade.outreach.models import Direction, MessageKind, MessageStatus
from ambassade.watch.models import Coverage

from .figures import funnel

S = Status
CLIENT, AGENCY = "client", "agency"


@dataclass
class Article:
    blog: str
    title: str
    url: str
    published_at: datetime | None
    excerpt: str
    disclosure: str
    cue: str
    gifted: bool  # we recorded a parcel to this blog for this operation before the article
    confirmed_by_person: bool  # a person of the agency confirmed it (not only the veille)
    giveaway: bool
    giveaway_deadline: object
    comments: int | None
    review_reason: str = ""
    audience: str = CLIENT

    @property
    def disclosed(self) -> bool:
        return self.disclosure in ("gifted", "sponsored")

    @property
    def undisclosed_gift(self) -> bool:
        """Red in the report: a product we sent, written about without saying so, confirmed by a person."""
        return self.gifted and not self.disclosed and self.confirmed_by_person

    @property
    def gift_to_check(self) -> bool:
        """The same, but nobody of the agency confirmed the article yet: never red, never to the client."""
        return self.gifted and not self.disclosed and not self.confirmed_by_person

    @property
    def disclosure_label(self) -> str:
        if self.gift_to_check:
            return ("Produit offert non signalé ? À confirmer avant d'en parler au client" if self.audience == AGENCY
                    else "Transparence en cours de vérification")
        if self.undisclosed_gift:
            return "Produit offert non signalé"
        if self.disclosure == "gifted":
            return "Produit offert, signalé" if self.gifted else "Le billet parle d'un produit offert"
        if self.disclosure == "sponsored":
            return "Partenariat, signalé"
        if self.disclosure == "self_bought":
            return "Acheté par le blogueur"
        return "Aucune mention de partenariat"


def _article(coverage: Coverage, shipments: list, audience: str) -> Article:
    post = coverage.post
    published = post.published_at or post.found_at
    return Article(
        blog=coverage.placement.blog.name if coverage.placement else post.blog.name, title=post.title or post.url,
        url=post.url, published_at=published, excerpt=(post.excerpt or "")[:280], disclosure=coverage.disclosure,
        cue=coverage.disclosure_cue,
        gifted=any(s.shipped_at and s.shipped_at <= published for s in shipments),
        confirmed_by_person=coverage.reviewed_by_id is not None, giveaway=coverage.giveaway,
        giveaway_deadline=coverage.giveaway_deadline, comments=post.comment_count,
        review_reason=coverage.review_reason, audience=audience)


@dataclass
class BloggerLine:
    blog: str
    url: str
    person: str
    status: str
    status_label: str
    selected_because: str
    outcome: str  # the article, or the reason there is none
    has_article: bool
    timeline: list[tuple[datetime, str]] = field(default_factory=list)
    followups: int = 0
    shipped_at: datetime | None = None
    received_at: datetime | None = None


@dataclass
class OperationReport:
    operation: Operation
    generated_at: datetime
    funnel: list[tuple[str, str, int]]
    articles: list[Article]  # the articles that count: the only ones in any figure or ratio
    bloggers: list[BloggerLine]
    spontaneous: list[Article]  # published before our first contact: listed apart, in no ratio
    awaiting: list[Article]  # not confirmed yet: only in the agency's view, never in a file
    audience: str
    units_shipped: int
    product_cost: Decimal
    shipping_cost: Decimal
    comments_measured: int
    articles_with_comments: int
    giveaways: list = field(default_factory=list)  # giveaways.report.GiveawayLine

    @property
    def total_cost(self) -> Decimal:
        return self.product_cost + self.shipping_cost

    @property
    def cost_per_article(self) -> Decimal | None:
        return (self.total_cost / len(self.articles)).quantize(Decimal("0.01")) if self.articles else None

    @property
    def undisclosed(self) -> int:
        return sum(a.undisclosed_gift for a in self.articles)


def _days(since, now) -> int:
    return max((now - since).days, 0)


def _ago(since, now) -> str:
    days = _days(since, now)
    return "aujourd'hui" if days == 0 else "hier" if days == 1 else f"il y a {days} jours"


def _quote(text: str) -> str:
    return f"« {text.strip().strip('«»').strip()} »"


def _on(moment) -> str:
    return f" le {timezone.localtime(moment):%d/%m/%Y}" if moment else ""


def _outcome(placement: Placement, article: Article | None, spontaneous: Article | None, followups: int,
             shipment, now) -> str:
    if article:
        return f"article publié{_on(article.published_at)}"
    status = placement.status
    if spontaneous and status in (S.CANDIDATE, S.SHORTLISTED, S.PUBLISHED):
        return f"article spontané, avant notre premier contact (publié{_on(spontaneous.published_at)})"
    if status in (S.CANDIDATE, S.SHORTLISTED):
        return "pas encore contacté"
    if status == S.PITCHED:
        if not followups:
            return "contacté, pas de réponse pour l'instant"
        return f"contacté, pas de réponse pour l'instant ({followups} relance{'s' if followups > 1 else ''})"
    if status == S.NO_ANSWER:
        return f"pas de réponse après {followups} relance{'s' if followups > 1 else ''}"
    if status == S.REPLIED:
        return "a répondu, décision en cours"
    if status == S.DECLINED:
        return f"a décliné : {_quote(placement.reason)}" if placement.reason else "a décliné, sans donner de raison"
    if status == S.ACCEPTED:
        return "a accepté, colis en préparation"
    if status == S.SHIPPED:
        if shipment and shipment.lost_at:
            return "colis perdu par le transporteur"
        since = shipment.shipped_at if shipment and shipment.shipped_at else placement.status_changed_at
        return f"colis expédié {_ago(since, now)}, réception non confirmée"
    if status == S.RECEIVED:
        since = shipment.received_at if shipment and shipment.received_at else placement.status_changed_at
        return f"colis reçu {_ago(since, now)}, pas d'article pour l'instant"
    if status == S.NOT_PUBLISHED:
        return f"n'a pas publié : {_quote(placement.reason)}" if placement.reason else "n'a pas publié"
    if status == S.OPTED_OUT:
        return "a demandé à ne plus être contacté"
    if status == S.PUBLISHED:
        # The card was moved by hand, but no confirmed article is on record: it is not counted.
        return "publié d'après l'agence, article pas encore enregistré"
    return placement.get_status_display()


def operation_report(operation: Operation, now=None, audience: str = CLIENT) -> OperationReport:
    """The report as `audience` may read it: the client (every file, the client's link and account)
    or the agency (its own page, which also lists the articles waiting for a person's look)."""
    now = now or timezone.now()
    placements = list(operation.placements.exclude(status=S.CANDIDATE).select_related("blog")
                      .prefetch_related("events", "shipments__product", "messages", "blog__bloggers"))
    coverages = Coverage.objects.filter(operation=operation).select_related("post", "post__blog", "placement__blog")
    counting, spontaneous = {}, {}
    for coverage in coverages.that_count().order_by("published"):
        counting.setdefault(coverage.placement_id, []).append(coverage)
    for coverage in coverages.spontaneous().order_by("published"):
        spontaneous.setdefault(coverage.placement_id, []).append(coverage)
    shipments_of = {p.pk: list(p.shipments.all()) for p in placements}
    prizes = giveaway_report.prize_shipment_ids(operation)  # a winner's parcel is not the blogger's
    awaiting = [_article(c, shipments_of.get(c.placement_id, []), audience)
                for c in coverages.awaiting_review().order_by("detected_at")] if audience == AGENCY else []
    articles, spontaneous_articles, lines = [], [], []
    units, product_cost, shipping_cost = 0, Decimal(0), Decimal(0)
    for placement in placements:
        events = list(placement.events.all())
        shipments = shipments_of[placement.pk]
        for s in shipments:
            units += s.quantity
            product_cost += s.product.unit_cost * s.quantity
            shipping_cost += s.cost
        mine = [_article(c, shipments, audience) for c in counting.get(placement.pk, [])]
        before = [_article(c, shipments, audience) for c in spontaneous.get(placement.pk, [])]
        articles += mine
        spontaneous_articles += before
        article = mine[0] if mine else None
        mails = list(placement.messages.all())
        followups = sum(m.kind == MessageKind.FOLLOW_UP and m.status == MessageStatus.SENT for m in mails)
        timeline = [(e.at, e.get_to_status_display() + (f" — {_quote(e.note)}" if e.note and len(e.note) < 120
                                                         and not e.note.startswith("http") else ""))
                    for e in events]
        timeline += [(m.sent_at, f"mail envoyé : {m.get_kind_display().lower()}") for m in mails
                     if m.direction == Direction.OUTBOUND and m.status == MessageStatus.SENT and m.sent_at
                     and m.kind != MessageKind.PITCH]
        if not any(e.to_status == S.REPLIED for e in events):  # otherwise the event already says it
            timeline += [(m.received_at, "réponse reçue") for m in mails
                         if m.direction == Direction.INBOUND and m.kind == MessageKind.REPLY and m.received_at]
        timeline += [(a.published_at, f"article : {a.title}") for a in mine if a.published_at]
        timeline += [(a.published_at, f"article spontané, avant notre premier contact : {a.title}")
                     for a in before if a.published_at]
        bloggers = [b.display_name for b in placement.blog.bloggers.all()]
        shipment = next((s for s in shipments if s.pk not in prizes), None)
        lines.append(BloggerLine(
            blog=placement.blog.name, url=placement.blog.url, person=", ".join(bloggers),
            status=placement.status, status_label=placement.get_status_display(),
            selected_because=placement.selection_reason,
            outcome=_outcome(placement, article, before[0] if before else None, followups, shipment, now),
            has_article=article is not None, timeline=sorted(timeline, key=lambda t: t[0]), followups=followups,
            shipped_at=shipment.shipped_at if shipment else None, received_at=shipment.received_at if shipment else None))
    articles.sort(key=lambda a: a.published_at or now)
    lines.sort(key=lambda line: (not line.has_article, line.blog))
    commented = [a.comments for a in articles if a.comments is not None]
    return OperationReport(
        operation=operation, generated_at=now, funnel=funnel(operation), articles=articles, bloggers=lines,
        spontaneous=spontaneous_articles, awaiting=awaiting, audience=audience, units_shipped=units,
        product_cost=product_cost, shipping_cost=shipping_cost, comments_measured=sum(commented),
        articles_with_comments=len(commented), giveaways=giveaway_report.lines_for(operation))


@dataclass
class ClientReport:
    client: object
    generated_at: datetime
    operations: list[OperationReport]

    @property
    def articles(self) -> int:
        return sum(len(r.articles) for r in self.operations)

    @property
    def total_cost(self) -> Decimal:
        return sum((r.total_cost for r in self.operations), Decimal(0))


def client_report(client, now=None) -> ClientReport:
    now = now or timezone.now()
    operations = Operation.objects.filter(client=client).order_by("-starts_on", "name")
    return ClientReport(client, now, [operation_report(op, now) for op in operations])
