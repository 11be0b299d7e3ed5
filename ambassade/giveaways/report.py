"""A giveaway in the client's report: only what the records prove."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Avg, Count

from ambassade.lib.french import count
from ambassade.watch.models import Coverage, Post

from . import links
from .models import Entry, EntryStatus, Giveaway, SourceKind
from .rules import RULES

COMMENT_SOURCES = (SourceKind.WP_REST, SourceKind.WP_FEED, SourceKind.BLOGGER_FEED, SourceKind.CSV)


@dataclass
class GiveawayLine:
    title: str
    blog: str
    entries: int
    valid: int
    exclusions: list[tuple[str, int]]
    comments_before: float | None  # the blog's usual comments per post, in the 90 days before
    comments_during: int  # comments on the giveaway post while it was open (the author's included)
    winners: list[str]  # initials
    prizes_shipped: int
    prizes_received: int
    certificate_url: str
    disclosure: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return (f"{count(self.entries, 'participation', 'participations')}, "
                f"{count(self.valid, 'retenue', 'retenues')}")


def lines_for(operation) -> list[GiveawayLine]:
    lines = []
    for giveaway in Giveaway.objects.filter(placement__operation=operation).select_related("placement__blog"):
        entries = Entry.objects.filter(giveaway=giveaway)
        excluded = (entries.exclude(status=EntryStatus.VALID).values("rule").annotate(n=Count("id")).order_by("-n"))
        before = Post.objects.filter(
            blog=giveaway.blog, published_at__lt=giveaway.opens_at, comment_count__isnull=False,
            published_at__gte=giveaway.opens_at - timedelta(days=90)).aggregate(avg=Avg("comment_count"))["avg"]
        winners = list(giveaway.winners.select_related("entry", "shipment"))
        coverage = Coverage.objects.filter(operation=operation, post__url=giveaway.post_url).first()
        lines.append(GiveawayLine(
            title=giveaway.title, blog=giveaway.blog.name, entries=entries.count(),
            valid=entries.filter(status=EntryStatus.VALID).count(),
            exclusions=[(RULES.get(r["rule"], r["rule"]), r["n"]) for r in excluded],
            comments_before=round(before, 1) if before is not None else None,
            comments_during=entries.filter(source__in=COMMENT_SOURCES, posted_at__gte=giveaway.opens_at,
                                           posted_at__lt=giveaway.closes_at).count(),
            winners=[w.entry.initials for w in winners],
            prizes_shipped=sum(1 for w in winners if w.shipment_id),
            prizes_received=sum(1 for w in winners if w.shipment_id and w.shipment.received_at),
            certificate_url=links.certificate_url(giveaway),
            # The giveaway post is an article like any other: the veille checks its "concours organisé en
            # partenariat avec…" as it checks any disclosure.
            disclosure=("" if coverage is None else "partenariat signalé" if coverage.disclosed
                        else "partenariat non signalé"),
        ))
    return lines


def prize_shipment_ids(operation) -> set[int]:
    from .models import Winner

    return set(Winner.objects.filter(giveaway__placement__operation=operation, shipment__isnull=False)
               .values_list("shipment_id", flat=True))
