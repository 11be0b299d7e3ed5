"""A giveaway (concours) on a blog post: its rules, its entries, its draw and its winners.

A giveaway hangs on a placement (one blog in one operation: an operation of kind "Concours", or any
operation whose blogger runs one). Entries are people, read from the post's comments or a form; each
one is valid or excluded by a named rule. The draw is commit-reveal (see verify_draw.py): the secret
stays in the database until the draw, then is published with the result.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import verify_draw


class SourceKind(models.TextChoices):
    WP_REST = "wp_rest", _("Commentaires WordPress (API REST)")
    WP_FEED = "wp_feed", _("Flux des commentaires WordPress")
    BLOGGER_FEED = "blogger_feed", _("Flux des commentaires Blogger")
    CSV = "csv", _("Export CSV des commentaires")
    FORM = "form", _("Formulaire de participation")


class GiveawayQuerySet(models.QuerySet):
    def for_membership(self, membership):
        qs = self.filter(organisation=membership.organisation)
        if membership.client_id:
            qs = qs.filter(placement__operation__client_id=membership.client_id)
        return qs


def _new_secret() -> str:
    return secrets.token_hex(32)


def _new_public_id() -> str:
    return secrets.token_urlsafe(9)


class Giveaway(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="giveaways")
    placement = models.ForeignKey("campaigns.Placement", on_delete=models.CASCADE, related_name="giveaways")
    public_id = models.CharField(max_length=20, unique=True, default=_new_public_id, editable=False)
    title = models.CharField(_("titre"), max_length=200)
    post_url = models.URLField(_("adresse du billet"), max_length=500)
    post_id = models.CharField(_("identifiant du billet sur la plateforme"), max_length=100, blank=True,
                               help_text=_("WordPress : le numéro du billet ; Blogger : l'identifiant du billet."))
    prize = models.ForeignKey("logistics.Product", on_delete=models.PROTECT, related_name="giveaways")
    prize_quantity = models.PositiveSmallIntegerField(_("unités par gagnant"), default=1)
    prize_value = models.DecimalField(_("valeur commerciale unitaire (€ TTC)"), max_digits=9, decimal_places=2,
                                      default=0)
    winners_count = models.PositiveSmallIntegerField(_("nombre de gagnants"), default=1)
    opens_at = models.DateTimeField(_("ouverture"))
    closes_at = models.DateTimeField(_("clôture"))
    min_age = models.PositiveSmallIntegerField(_("âge minimum"), default=18)
    countries = models.CharField(_("pays"), max_length=200, default="France métropolitaine")
    sources = models.JSONField(_("sources des participations"), default=list)
    author_names = models.JSONField(_("noms de l'auteur du blog"), default=list, blank=True,
                                    help_text=_("Ses commentaires et réponses ne participent pas."))
    claim_days = models.PositiveSmallIntegerField(_("délai pour réclamer le lot (jours)"), default=10)
    # The draw: the secret is kept until the result, then published.
    secret = models.CharField(max_length=64, default=_new_secret, editable=False)
    commitment = models.CharField(max_length=64, editable=False)
    frozen_at = models.DateTimeField(null=True, blank=True)
    list_hash = models.CharField(max_length=64, blank=True)
    frozen_entries = models.JSONField(default=list, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)
    seed = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = GiveawayQuerySet.as_manager()

    class Meta:
        verbose_name = _("concours")
        verbose_name_plural = _("concours")
        ordering = ["-closes_at"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.commitment:
            self.commitment = verify_draw.commitment_of(self.secret)
        super().save(*args, **kwargs)

    @property
    def operation(self):
        return self.placement.operation

    @property
    def blog(self):
        return self.placement.blog

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at and not self.frozen_at

    @property
    def revealed_secret(self) -> str:
        """The secret, only once the draw is made (before, publishing it would let anyone predict)."""
        return self.secret if self.drawn_at else ""


class Source(models.Model):
    """Where entries come from, with the veille's bookkeeping: conditional headers, a lease, a cursor."""

    giveaway = models.ForeignKey(Giveaway, on_delete=models.CASCADE, related_name="source_rows")
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    url = models.URLField(max_length=800, blank=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    resume_page = models.PositiveIntegerField(default=1, help_text=_("API REST : la dernière page incomplète"))
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(default=timezone.now)
    checked_at = models.DateTimeField(null=True, blank=True)
    requests = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["giveaway", "kind"], name="giveaway_source_unique_kind")]

    def __str__(self) -> str:
        return f"{self.giveaway} · {self.get_kind_display()}"


class EntryStatus(models.TextChoices):
    VALID = "valid", _("valide")
    EXCLUDED = "excluded", _("exclue")


class Entry(models.Model):
    giveaway = models.ForeignKey(Giveaway, on_delete=models.CASCADE, related_name="entries")
    source = models.CharField(max_length=20, choices=SourceKind.choices)
    external_id = models.CharField(max_length=200)
    code = models.CharField(max_length=12, editable=False)
    author_name = models.CharField(max_length=200, blank=True)
    author_url = models.CharField(max_length=500, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    text = models.TextField(blank=True)
    posted_at = models.DateTimeField()
    parent_id = models.CharField(max_length=200, blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    marketing_consent = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=EntryStatus.choices, default=EntryStatus.VALID)
    rule = models.CharField(max_length=30, blank=True)
    rule_detail = models.CharField(max_length=300, blank=True)
    overridden = models.BooleanField(default=False, help_text=_("décidé par l'équipe : les règles n'y touchent plus"))
    erased_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["posted_at", "id"]
        constraints = [models.UniqueConstraint(fields=["giveaway", "source", "external_id"],
                                               name="giveaway_entry_unique_comment"),
                       models.UniqueConstraint(fields=["giveaway", "code"], name="giveaway_entry_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.initials}"

    @property
    def initials(self) -> str:
        from .anonymise import initials

        return initials(self.author_name)


class EntryDecision(models.Model):
    """The CM's reinstatement or exclusion of one entry, with its reason: the audit trail."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="decisions")
    to_status = models.CharField(max_length=10, choices=EntryStatus.choices)
    reason = models.CharField(max_length=300)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.entry} → {self.get_to_status_display()} : {self.reason}"


class Winner(models.Model):
    giveaway = models.ForeignKey(Giveaway, on_delete=models.CASCADE, related_name="winners")
    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="winner")
    rank = models.PositiveSmallIntegerField()
    full_name = models.CharField(_("nom complet"), max_length=200, blank=True)
    postal_address = models.TextField(_("adresse postale"), blank=True)
    address_given_at = models.DateTimeField(null=True, blank=True)
    told_at = models.DateTimeField(null=True, blank=True)
    shipment = models.OneToOneField("logistics.Shipment", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="giveaway_winner")
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["giveaway", "rank"]
        constraints = [models.UniqueConstraint(fields=["giveaway", "rank"], name="giveaway_winner_unique_rank")]

    def __str__(self) -> str:
        return f"{self.giveaway} · {self.rank}"
