"""What the veille knows: each blog's feed state, each host's manners, posts, coverage.

What is due lives in indexed columns (`next_check_at`), and a batch is
claimed by writing a lease (`lease_owner`, `lease_until`) with a conditional
update, so several workers on several machines never check a blog twice and
a dead worker's batch comes back when its lease runs out.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FeedKind(models.TextChoices):
    RSS = "rss", "RSS"
    ATOM = "atom", "Atom"
    WP_JSON = "wp_json", _("API WordPress")
    SITEMAP = "sitemap", _("Plan du site")
    UNKNOWN = "unknown", _("À découvrir")


class FeedQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(next_check_at__lte=now, gone=False).filter(
            models.Q(lease_until__isnull=True) | models.Q(lease_until__lt=now)
        )


class Feed(models.Model):
    blog = models.OneToOneField("blogs.Blog", on_delete=models.CASCADE, related_name="feed")
    url = models.URLField(max_length=500, blank=True)
    kind = models.CharField(max_length=10, choices=FeedKind.choices, default=FeedKind.UNKNOWN)
    sitemap_url = models.URLField(max_length=500, blank=True)
    discovered_at = models.DateTimeField(null=True, blank=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    next_check_at = models.DateTimeField(default=timezone.now, db_index=True)
    interval = models.PositiveIntegerField(default=3600, help_text=_("secondes entre deux passages"))
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error_count = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    last_error_kind = models.CharField(max_length=30, blank=True)
    gone = models.BooleanField(default=False)
    check_count = models.PositiveIntegerField(default=0)
    lease_owner = models.CharField(max_length=64, blank=True, db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    objects = FeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("flux surveillé")
        indexes = [models.Index(fields=["gone", "next_check_at"])]

    def __str__(self) -> str:
        return self.url or str(self.blog)

    def blind_reason(self) -> str:
        """Why nothing found on this blog proves nothing right now ('' when the veille reads it)."""
        if self.gone:
            return "ce blog a disparu (HTTP 410)"
        if self.error_count >= BLIND_AFTER_ERRORS:
            return f"la veille échoue sur ce blog ({self.error_count} fois de suite : {self.last_error[:80]})"
        if self.last_success_at is None:
            return "la veille n'a encore jamais lu ce blog"
        return ""


# A feed failing this many checks in a row (with backoff: hours, then days) is not being read:
# one or two failures are the web's ordinary weather.
BLIND_AFTER_ERRORS = 3


def veille_blind_reason(blog) -> str:
    feed = getattr(blog, "feed", None)  # a blog without a feed row has never been watched
    return feed.blind_reason() if feed else "la veille n'a encore jamais lu ce blog"


def blind_blogs(path: str = "") -> Q:
    """Feed.blind_reason's rule in the database; `path` leads to the blog (e.g. "blog__")."""
    feed = f"{path}feed"
    return (Q(**{f"{feed}__isnull": True}) | Q(**{f"{feed}__gone": True})
            | Q(**{f"{feed}__error_count__gte": BLIND_AFTER_ERRORS}) | Q(**{f"{feed}__last_success_at__isnull": True}))


class HostState(models.Model):
    """Manners per host: robots.txt, Crawl-delay, and a pause after 429/503."""

    host = models.CharField(max_length=255, unique=True)
    robots_txt = models.TextField(blank=True)
    robots_fetched_at = models.DateTimeField(null=True, blank=True)
    crawl_delay = models.FloatField(null=True, blank=True)
    paused_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.host


class Post(models.Model):
    blog = models.ForeignKey("blogs.Blog", on_delete=models.CASCADE, related_name="posts")
    guid = models.CharField(max_length=500)
    url = models.URLField(max_length=500)
    title = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    excerpt = models.TextField(blank=True)
    text = models.TextField(blank=True, help_text=_("effacé après la durée de conservation"))
    text_hash = models.CharField(max_length=64, blank=True)
    comment_count = models.PositiveIntegerField(null=True, blank=True)
    disclosure = models.CharField(max_length=20, blank=True)
    giveaway = models.BooleanField(default=False)
    topics = models.JSONField(default=list, blank=True, help_text=_("thèmes de la taxonomie, le plus probable d'abord"))
    found_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("billet")
        constraints = [models.UniqueConstraint(fields=["blog", "guid"], name="post_unique_guid")]
        indexes = [models.Index(fields=["blog", "url"])]
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title or self.url


class CoverageStatus(models.TextChoices):
    DETECTED = "detected", _("Détecté")
    CONFIRMED = "confirmed", _("Confirmé")
    REJECTED = "rejected", _("Rejeté")


class CoverageQuerySet(models.QuerySet):
    """The one definition of an article that counts, used by the dashboard, the operation page, the
    report in every format and the client's link.

    An article counts when it is about the operation's product, attached to a placement, confirmed
    (by a person, or by the veille on strong evidence: see `coverage.py`) and published on or after
    the day of the placement's first contact. One published before is *spontaneous*: listed apart,
    in no ratio. One not yet confirmed is for the agency's eyes only.
    """

    def for_membership(self, membership):
        from ambassade.campaigns.models import Operation

        return self.filter(operation__in=Operation.objects.for_membership(membership))

    def _dated(self):
        from ambassade.campaigns.models import first_contact_of

        # Days compared as days in Paris on both sides: a local midnight compared with a UTC instant
        # reads a late-evening contact as the next day's, on SQLite and PostgreSQL alike.
        paris = timezone.get_default_timezone()
        return self.filter(placement__isnull=False).annotate(
            first_contact=first_contact_of("placement"),
            published=Coalesce("post__published_at", "post__found_at"),
            contact_day=TruncDate("first_contact", tzinfo=paris),
            published_day=TruncDate("published", tzinfo=paris),
        )

    def confirmed(self):
        return self.filter(status=CoverageStatus.CONFIRMED)

    def that_count(self):
        return self.confirmed()._dated().filter(first_contact__isnull=False, published_day__gte=models.F("contact_day"))

    def spontaneous(self):
        return self.confirmed()._dated().filter(
            models.Q(first_contact__isnull=True) | models.Q(published_day__lt=models.F("contact_day")))

    def awaiting_review(self):
        return self.filter(status=CoverageStatus.DETECTED)


class Coverage(models.Model):
    """An article about an operation's product, with the evidence for each verdict."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="coverages")
    operation = models.ForeignKey("campaigns.Operation", on_delete=models.CASCADE, related_name="coverages")
    placement = models.ForeignKey(
        "campaigns.Placement", on_delete=models.SET_NULL, null=True, blank=True, related_name="coverages"
    )
    status = models.CharField(max_length=20, choices=CoverageStatus.choices, default=CoverageStatus.DETECTED)
    subject = models.BooleanField(default=True)
    about_product = models.BooleanField(
        default=True, help_text=_("nomme un produit de l'opération (sinon : la marque seulement)")
    )
    mentions = models.JSONField(default=list)
    disclosure = models.CharField(max_length=20, default="none")
    disclosure_cue = models.CharField(max_length=300, blank=True)
    giveaway = models.BooleanField(default=False)
    giveaway_cue = models.CharField(max_length=300, blank=True)
    giveaway_deadline = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=20, default="watch", help_text=_("veille, ajout manuel, déclaration"))
    review_reason = models.CharField(
        max_length=300, blank=True, help_text=_("pourquoi une personne doit vérifier cet article avant qu'il compte")
    )
    detected_at = models.DateTimeField(default=timezone.now, db_index=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True, help_text=_("envoyé dans le résumé quotidien"))

    objects = CoverageQuerySet.as_manager()

    class Meta:
        verbose_name = _("article détecté")
        constraints = [models.UniqueConstraint(fields=["post", "operation"], name="coverage_unique")]
        ordering = ["-detected_at"]

    def __str__(self) -> str:
        return f"{self.post} · {self.operation}"

    @property
    def snippet(self) -> str:
        return self.mentions[0]["snippet"] if self.mentions else ""

    @property
    def disclosed(self) -> bool:
        return self.disclosure in ("gifted", "sponsored")

    @property
    def undisclosed_gift(self) -> bool:
        """A product we sent, written about without saying so: the agency's hint on a detection it has
        to review. What the client report shows in red is decided by `reports.data.Article` (a parcel
        recorded before the article, and a person's confirmation)."""
        return not self.disclosed and self.placement_id is not None and self.placement.shipments.exists()
