"""What a client report says, from the records only: placements' history, mails, parcels, articles.

Only measured figures: counts, dates, costs from the ledger, comments as the
platforms show them. Nothing is estimated here; there is no "earned media
value". Every blogger without an article gets the reason the records give.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from ambassade.campaigns.models import Operation, Placement
from ambassade.campaigns.status import Status
from ambassade.outreach.models import Direction, MessageKind, MessageStatus
from ambassade.watch.models import CoverageStatus

S = Status
FUNNEL = [(S.SHORTLISTED, "Sélectionnés"), (S.PITCHED, "Contactés"), (S.REPLIED, "Ont répondu"),
          (S.ACCEPTED, "Ont accepté"), (S.SHIPPED, "Colis expédiés"), (S.RECEIVED, "Colis reçus"),
          (S.PUBLISHED, "Articles publiés")]
AFTER_PITCH = {S.REPLIED, S.NO_ANSWER, S.ACCEPTED, S.DECLINED, S.SHIPPED, S.RECEIVED, S.PUBLISHED, S.NOT_PUBLISHED}
DISCLOSURE = {"gifted": "Produit offert, signalé", "sponsored": "Partenariat, signalé",
              "self_bought": "Acheté par le blogueur", "none": "Aucune mention de partenariat"}


def reached(statuses: set[str]) -> set[str]:
    """Funnel stages a placement went through, from the statuses its history records."""
    found = set(statuses)
    if found & AFTER_PITCH:
        found |= {S.PITCHED}
    if found & ({S.PITCHED} | AFTER_PITCH):
        found |= {S.SHORTLISTED}
    if found & {S.ACCEPTED, S.DECLINED}:
        found |= {S.REPLIED}
    if S.RECEIVED in found:
        found |= {S.SHIPPED}
    if S.SHIPPED in found:
        found |= {S.ACCEPTED, S.REPLIED}
    return found


@dataclass
class Article:
    blog: str
    title: str
    url: str
    published_at: datetime | None
    excerpt: str
    disclosure: str
    disclosure_label: str
    cue: str
    gifted: bool  # we sent a product to this blog for this operation
    giveaway: bool
    giveaway_deadline: object
    comments: int | None
    confirmed: bool

    @property
    def disclosed(self) -> bool:
        return self.disclosure in ("gifted", "sponsored")

    @property
    def undisclosed_gift(self) -> bool:
        """Red in the report: a product we sent, written about without saying so (as read by the veille)."""
        return self.gifted and not self.disclosed and self.disclosure != "unknown"


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
    articles: list[Article]
    bloggers: list[BloggerLine]
    units_shipped: int
    product_cost: Decimal
    shipping_cost: Decimal
    comments_measured: int
    articles_with_comments: int

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


def _outcome(placement: Placement, article: Article | None, followups: int, shipment, now) -> str:
    if article:
        when = f" le {article.published_at:%d/%m/%Y}" if article.published_at else ""
        return f"article publié{when}"
    status = placement.status
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
        return "article publié (adresse notée par l'agence)"
    return placement.get_status_display()


def operation_report(operation: Operation, now=None) -> OperationReport:
    now = now or timezone.now()
    placements = list(operation.placements.exclude(status=S.CANDIDATE).select_related("blog")
                      .prefetch_related("events", "shipments__product", "messages", "blog__bloggers",
                                        "coverages__post"))
    counts = {stage: 0 for stage, _ in FUNNEL}
    articles, lines = [], []
    units, product_cost, shipping_cost = 0, Decimal(0), Decimal(0)
    for placement in placements:
        events = list(placement.events.all())
        for stage in reached({e.to_status for e in events} | {placement.status}):
            if stage in counts:
                counts[stage] += 1
        shipments = list(placement.shipments.all())
        for s in shipments:
            units += s.quantity
            product_cost += s.product.unit_cost * s.quantity
            shipping_cost += s.cost
        coverage = next((c for c in placement.coverages.all() if c.status != CoverageStatus.REJECTED), None)
        article = None
        if coverage:
            post = coverage.post
            article = Article(
                blog=placement.blog.name, title=post.title or post.url, url=post.url, published_at=post.published_at,
                excerpt=(post.excerpt or "")[:280], disclosure=coverage.disclosure,
                disclosure_label=DISCLOSURE.get(coverage.disclosure, coverage.disclosure), cue=coverage.disclosure_cue,
                gifted=bool(shipments), giveaway=coverage.giveaway, giveaway_deadline=coverage.giveaway_deadline,
                comments=post.comment_count, confirmed=coverage.status == CoverageStatus.CONFIRMED)
            articles.append(article)
        elif placement.status == S.PUBLISHED:
            # Published by hand, without the veille's evidence: listed, its transparency not vouched for.
            note = next((e.note for e in reversed(events) if e.to_status == S.PUBLISHED), "")
            article = Article(
                blog=placement.blog.name, title="Article signalé par l'agence",
                url=note if note.startswith("http") else placement.blog.url, published_at=placement.status_changed_at,
                excerpt="", disclosure="unknown", disclosure_label="Transparence non vérifiée", cue="",
                gifted=bool(shipments), giveaway=False, giveaway_deadline=None, comments=None, confirmed=False)
            articles.append(article)
        mails = [m for m in placement.messages.all()]
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
        if article and article.published_at:
            timeline.append((article.published_at, f"article : {article.title}"))
        bloggers = [b.display_name for b in placement.blog.bloggers.all()]
        shipment = shipments[0] if shipments else None
        lines.append(BloggerLine(
            blog=placement.blog.name, url=placement.blog.url, person=", ".join(bloggers),
            status=placement.status, status_label=placement.get_status_display(),
            selected_because=placement.selection_reason, outcome=_outcome(placement, article, followups, shipment, now),
            has_article=article is not None, timeline=sorted(timeline, key=lambda t: t[0]), followups=followups,
            shipped_at=shipment.shipped_at if shipment else None, received_at=shipment.received_at if shipment else None))
    articles.sort(key=lambda a: a.published_at or now)
    lines.sort(key=lambda line: (not line.has_article, line.blog))
    commented = [a.comments for a in articles if a.comments is not None]
    return OperationReport(
        operation=operation, generated_at=now, funnel=[(stage, label, counts[stage]) for stage, label in FUNNEL],
        articles=articles, bloggers=lines, units_shipped=units, product_cost=product_cost,
        shipping_cost=shipping_cost, comments_measured=sum(commented), articles_with_comments=len(commented))


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
