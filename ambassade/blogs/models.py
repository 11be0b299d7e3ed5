"""Blogs and the people who write them.

Bloggers are personal data: each one carries the legal basis on which we
hold it and where it came from, and an opt-out that every other app obeys.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ambassade.lib.text import normalize_blog_url, normalize_email


class Platform(models.TextChoices):
    WORDPRESS = "wordpress", "WordPress"
    BLOGGER = "blogger", "Blogger"
    OVERBLOG = "overblog", "Over-blog"
    CANALBLOG = "canalblog", "Canalblog"
    HAUTETFORT = "hautetfort", "Hautetfort"
    GHOST = "ghost", "Ghost"
    SUBSTACK = "substack", "Substack"
    OTHER = "other", _("Autre")


class BlogStatus(models.TextChoices):
    ACTIVE = "active", _("Actif")
    DORMANT = "dormant", _("En sommeil")
    BROKEN = "broken", _("Injoignable")
    ARCHIVED = "archived", _("Archivé")


class BlogQuerySet(models.QuerySet):
    def for_membership(self, membership):
        return self.filter(organisation=membership.organisation)

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            models.Q(name__icontains=text)
            | models.Q(url__icontains=text)
            | models.Q(bloggers__first_name__icontains=text)
            | models.Q(bloggers__last_name__icontains=text)
            | models.Q(bloggers__pseudonym__icontains=text)
        ).distinct()


class Blog(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="blogs"
    )
    url = models.URLField(_("adresse"), max_length=500)
    url_key = models.CharField(max_length=500, editable=False)
    name = models.CharField(_("nom"), max_length=200)
    platform = models.CharField(
        _("plateforme"), max_length=20, choices=Platform.choices, default=Platform.OTHER
    )
    language = models.CharField(_("langue"), max_length=8, default="fr")
    status = models.CharField(
        _("statut"), max_length=20, choices=BlogStatus.choices, default=BlogStatus.ACTIVE
    )
    feed_url = models.URLField(_("flux"), max_length=500, blank=True)
    topics = models.JSONField(_("thèmes"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BlogQuerySet.as_manager()

    class Meta:
        verbose_name = _("blog")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "url_key"], name="blog_unique_url")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.url_key = normalize_blog_url(self.url)
        super().save(*args, **kwargs)


class LegalBasis(models.TextChoices):
    LEGITIMATE_INTEREST = "legitimate_interest", _("Intérêt légitime (adresse professionnelle publiée)")
    CONSENT = "consent", _("Consentement")
    CONTRACT = "contract", _("Contrat")


class Cadence(models.TextChoices):
    ANY = "any", _("Quand c'est pertinent")
    MONTHLY = "monthly", _("Au plus une fois par mois")
    QUARTERLY = "quarterly", _("Au plus une fois par trimestre")
    NEVER_COLD = "never_cold", _("Seulement si je le demande")


class BloggerQuerySet(models.QuerySet):
    def for_membership(self, membership):
        return self.filter(organisation=membership.organisation)

    def contactable(self):
        return self.filter(opted_out_at__isnull=True)


class Blogger(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="bloggers"
    )
    blog = models.ForeignKey(Blog, on_delete=models.CASCADE, related_name="bloggers")
    first_name = models.CharField(_("prénom"), max_length=100, blank=True)
    last_name = models.CharField(_("nom"), max_length=100, blank=True)
    pseudonym = models.CharField(_("pseudo"), max_length=100, blank=True)
    legal_basis = models.CharField(
        _("base légale"),
        max_length=30,
        choices=LegalBasis.choices,
        default=LegalBasis.LEGITIMATE_INTEREST,
    )
    source = models.CharField(
        _("origine des données"),
        max_length=300,
        help_text=_("Où l'adresse a été trouvée : page contact du blog, donnée par la personne, fichier importé…"),
    )
    cadence = models.CharField(
        _("rythme de contact"), max_length=20, choices=Cadence.choices, default=Cadence.ANY
    )
    topics_wanted = models.JSONField(_("thèmes souhaités"), default=list, blank=True)
    topics_never = models.JSONField(_("thèmes refusés"), default=list, blank=True)
    postal_address = models.TextField(_("adresse postale pour les colis"), blank=True,
                                      help_text=_("Donnée par la personne ; lue au moment d'expédier, jamais recopiée."))
    opted_out_at = models.DateTimeField(_("opposition le"), null=True, blank=True)
    giveaways_ok = models.BooleanField(_("accepte les concours"), default=True)
    last_heard_at = models.DateTimeField(
        _("dernier contact de sa part"), null=True, blank=True,
        help_text=_("Une réponse, une action sur sa page : le point de départ de la durée de conservation."))
    consent_requested_at = models.DateTimeField(_("accord demandé le"), null=True, blank=True)
    erased_at = models.DateTimeField(_("effacé le"), null=True, blank=True)
    # Bumped to invalidate every personal link already sent (after an erasure, or on request).
    link_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BloggerQuerySet.as_manager()

    class Meta:
        verbose_name = _("blogueur·se")
        verbose_name_plural = _("blogueurs·ses")
        ordering = ["first_name", "last_name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        full = " ".join(p for p in (self.first_name, self.last_name) if p)
        if full and self.pseudonym:
            return f"{full} ({self.pseudonym})"
        return full or self.pseudonym or "—"

    @property
    def primary_email(self):
        return self.emails.filter(is_invalid=False).order_by("-is_primary", "id").first()

    def opt_out(self, when=None) -> None:
        if self.opted_out_at is None:
            self.opted_out_at = when or timezone.now()
            self.save(update_fields=["opted_out_at"])


class EmailKind(models.TextChoices):
    PROFESSIONAL = "pro", _("Professionnelle")
    PRIVATE = "private", _("Personnelle")


class BloggerEmailQuerySet(models.QuerySet):
    def for_address(self, organisation_id: int, address: str):
        """The organisation's rows for an address however it was written (case, spaces, IDNA domain)."""
        return self.filter(organisation_id=organisation_id, address_key=normalize_email(address))


class BloggerEmail(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE)
    blogger = models.ForeignKey(Blogger, on_delete=models.CASCADE, related_name="emails")
    address = models.EmailField(_("adresse e-mail"), max_length=254)
    address_key = models.CharField(max_length=254, editable=False)
    kind = models.CharField(
        _("type"), max_length=10, choices=EmailKind.choices, default=EmailKind.PROFESSIONAL
    )
    is_primary = models.BooleanField(_("principale"), default=False)
    is_invalid = models.BooleanField(_("invalide"), default=False)

    objects = BloggerEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("adresse e-mail")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "address_key"], name="blogger_email_unique"
            )
        ]

    def __str__(self) -> str:
        return self.address

    def save(self, *args, **kwargs):
        self.address_key = normalize_email(self.address)
        super().save(*args, **kwargs)


class Suppression(models.Model):
    """An address erased at its owner's request: kept only as a keyed hash, so that it is never
    imported again and cannot be read back."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="suppressions")
    address_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("adresse effacée")
        constraints = [models.UniqueConstraint(fields=["organisation", "address_hash"], name="suppression_unique")]

    def __str__(self) -> str:
        return f"{self.address_hash[:12]}…"


class AccessAction(models.TextChoices):
    VIEW = "view", _("consultation")
    EXPORT = "export", _("export")
    ERASE = "erase", _("effacement")
    EDIT = "edit", _("modification")


class AccessLog(models.Model):
    """Who viewed, exported, changed or erased a blogger's personal data, and when."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE)
    blogger = models.ForeignKey(Blogger, on_delete=models.SET_NULL, null=True, related_name="access_logs")
    blogger_ref = models.PositiveIntegerField(help_text=_("numéro du blogueur, gardé après effacement"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    by_blogger = models.BooleanField(default=False)
    action = models.CharField(max_length=10, choices=AccessAction.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("accès aux données personnelles")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.blogger_ref} · {self.at:%Y-%m-%d}"
