"""Organisations (an agency or a brand team), their staff and what each role may do."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(unique=True)
    auto_confirm_articles = models.BooleanField(
        _("confirmer seuls les articles sûrs"), default=True,
        help_text=_("Un article de la veille qui a le produit pour sujet, nommé dans le corps du billet, compte "
                    "sans attendre ; tous les autres attendent qu'une personne de l'agence les confirme."),
    )
    language = models.CharField(
        _("langue des comptes rendus partagés"), max_length=8, default="fr",
        choices=[("fr", "Français"), ("en", "English")],
        help_text=_("Un lien client s'affiche dans cette langue, quelle que soit celle du navigateur."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", _("Propriétaire")
    MANAGER = "manager", _("Responsable")
    MEMBER = "member", _("Membre")
    CLIENT_VIEWER = "client_viewer", _("Client (lecture seule)")


class Membership(models.Model):
    """A staff user's place in one organisation.

    A user belongs to one organisation: the one every query of theirs is
    scoped to. A client viewer is tied to one client and only reads.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    client = models.ForeignKey(
        "campaigns.Client",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Pour un client en lecture seule : le client dont il voit les opérations."),
    )

    class Meta:
        verbose_name = _("membre")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="client_viewer") | models.Q(client__isnull=False),
                name="client_viewer_has_client",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"

    @property
    def can_edit(self) -> bool:
        return self.role != Role.CLIENT_VIEWER

    @property
    def can_manage(self) -> bool:
        """Owners and managers change settings, stock and other members' work."""
        return self.role in (Role.OWNER, Role.MANAGER)


class ClientLinkQuerySet(models.QuerySet):
    def live(self, now):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ClientLink(models.Model):
    """A read-only link to a client's live reports: signed, expiring, revocable. Only a hash of its
    secret part is kept, so the database alone cannot rebuild a working link."""

    client = models.ForeignKey("campaigns.Client", on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("pour qui"), max_length=200, blank=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    uses = models.PositiveIntegerField(default=0)

    objects = ClientLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("lien client")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.client} · {self.label or self.pk}"


class UsedToken(models.Model):
    """A blogger's one-time action token (stop contact, export, erase), spent. Only its hash is kept."""

    token_hash = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=20)
    used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("jeton utilisé")

    def __str__(self) -> str:
        return f"{self.purpose} · {self.used_at:%Y-%m-%d %H:%M}"
