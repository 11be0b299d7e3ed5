"""Clients, operations, and placements (one blog in one operation) with their history."""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .status import CLOSED, TRANSITIONS, Status, can_move


class ClientQuerySet(models.QuerySet):
    def for_membership(self, membership):
        qs = self.filter(organisation=membership.organisation)
        if membership.client_id:
            qs = qs.filter(pk=membership.client_id)
        return qs


class Client(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="clients"
    )
    name = models.CharField(_("nom"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="client_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class OperationKind(models.TextChoices):
    SEEDING = "seeding", _("Envoi de produits")
    EVENT = "event", _("Événement")
    GIVEAWAY = "giveaway", _("Concours")
    SPONSORED = "sponsored", _("Article sponsorisé")


class OperationStatus(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    RUNNING = "running", _("En cours")
    CLOSED = "closed", _("Terminée")


class OperationQuerySet(models.QuerySet):
    def for_membership(self, membership):
        qs = self.filter(organisation=membership.organisation)
        if membership.client_id:
            qs = qs.filter(client_id=membership.client_id)
        return qs


class Operation(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="operations"
    )
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="operations")
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(
        _("type"), max_length=20, choices=OperationKind.choices, default=OperationKind.SEEDING
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=OperationStatus.choices, default=OperationStatus.DRAFT
    )
    brief = models.TextField(_("brief"), blank=True)
    product_description = models.TextField(_("description du produit"), blank=True)
    keywords = models.JSONField(
        _("mots-clés"), default=list, blank=True, help_text=_("Ce dont les blogs visés parlent déjà.")
    )
    product_category = models.CharField(
        _("catégorie de produit"), max_length=100, blank=True,
        help_text=_("Pour ne pas choisir un blog qui vient de recevoir un produit de la même catégorie."),
    )
    language = models.CharField(_("langue des blogs"), max_length=8, default="fr")
    brand = models.CharField(_("marque"), max_length=200)
    product_names = models.JSONField(_("produits à surveiller"), default=list, blank=True)
    aliases = models.JSONField(_("autres noms, hashtags"), default=list, blank=True)
    brand_domains = models.JSONField(_("domaines de la marque"), default=list, blank=True)
    competitors = models.JSONField(
        _("marques concurrentes"), default=list, blank=True,
        help_text=_("Un blog qui travaille avec l'une d'elles (opération en cours, billet offert ou sponsorisé "
                    "récent) est écarté."),
    )
    topics_avoided = models.JSONField(
        _("thèmes à éviter"), default=list, blank=True,
        help_text=_("Un blog qui écrit sur l'un d'eux est écarté (« grossesse » couvre aussi enceinte, "
                    "maternité…)."),
    )
    target_topics = models.JSONField(_("thèmes visés"), default=list, blank=True)
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    target_size = models.PositiveSmallIntegerField(_("nombre de blogs visé"), default=15)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OperationQuerySet.as_manager()

    class Meta:
        verbose_name = _("opération")
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def watch_terms(self) -> list[str]:
        return [self.brand, *self.product_names, *self.aliases]


# A placement was contacted once it reached one of these: the first mail left (the sender moves
# it to "contacté"), or the CM recorded an exchange (a reply, an acceptance…). An article published
# before that day is spontaneous: not ours to count.
CONTACTED = (Status.PITCHED, Status.REPLIED, Status.NO_ANSWER, Status.ACCEPTED, Status.DECLINED, Status.SHIPPED,
             Status.RECEIVED, Status.NOT_PUBLISHED)


def first_contact_of(placement_ref="pk"):
    """A subquery: when the placement (an OuterRef path) was first contacted, or NULL."""
    return models.Subquery(
        PlacementEvent.objects.filter(placement=models.OuterRef(placement_ref), to_status__in=CONTACTED)
        .order_by("at").values("at")[:1]
    )


class PlacementQuerySet(models.QuerySet):
    def for_membership(self, membership):
        return self.filter(operation__in=Operation.objects.for_membership(membership))

    def with_first_contact(self):
        return self.annotate(first_contact=first_contact_of())

    def open(self):
        return self.exclude(status__in=[*CLOSED, Status.PUBLISHED])


class IllegalTransition(ValueError):
    pass


class ActorKind(models.TextChoices):
    PERSON = "person", _("Personne")
    REPLY = "reply", _("Réponse reçue")
    ARTICLE = "article", _("Article détecté")
    RULE = "rule", _("Règle")
    BLOGGER = "blogger", _("Blogueur·se")
    IMPORT = "import", _("Import")


class Placement(models.Model):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="placements")
    blog = models.ForeignKey("blogs.Blog", on_delete=models.CASCADE, related_name="placements")
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.CANDIDATE
    )
    status_changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    reason = models.CharField(
        _("raison"), max_length=300, blank=True, help_text=_("Refus, non-publication…")
    )
    selection_reason = models.TextField(_("pourquoi ce blog"), blank=True)
    selection_score = models.JSONField(
        _("score au moment du choix"), default=dict, blank=True,
        help_text=_("Le détail du classement quand le blog a été retenu : la justification de l'envoi."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement")
        constraints = [
            models.UniqueConstraint(fields=["operation", "blog"], name="placement_unique_blog")
        ]
        indexes = [models.Index(fields=["operation", "status"])]

    def __str__(self) -> str:
        return f"{self.blog} · {self.operation}"

    def first_contact_at(self):
        event = self.events.filter(to_status__in=CONTACTED).order_by("at").first()
        return event.at if event else None

    @property
    def awaits_decision(self) -> bool:
        """The blogger's answer is still to be filed as accepted or declined."""
        return can_move(self.status, Status.ACCEPTED)

    @property
    def allowed_moves(self) -> list[tuple[str, str]]:
        """(status, label) pairs this placement may move to, in funnel order."""
        targets = TRANSITIONS.get(self.status, frozenset())
        return [(s.value, s.label) for s in Status if s in targets]

    def _record_move(self, target: str, *, actor=ActorKind.PERSON, user=None, note: str = "", at=None):
        """Change status if the machine allows it, and record who or what did it.

        Private on purpose: every caller goes through `logistics.ledger.move`, which
        applies the move's stock effects in the same transaction, so whether a unit is
        reserved or released never depends on who moved the card.

        Locks the row so two concurrent moves cannot both start from the same
        status; raises IllegalTransition otherwise.
        """
        if target not in Status.values:
            raise IllegalTransition(f"statut inconnu : {target}")
        at = at or timezone.now()
        with transaction.atomic():
            current = Placement.objects.select_for_update().get(pk=self.pk)
            if not can_move(current.status, target):
                raise IllegalTransition(
                    f"{Status(current.status).label} → {Status(target).label} n'est pas permis"
                )
            event = PlacementEvent.objects.create(
                placement=current,
                from_status=current.status,
                to_status=target,
                actor=actor,
                user=user,
                note=note,
                at=at,
            )
            current.status = target
            current.status_changed_at = at
            update = ["status", "status_changed_at"]
            if target in (Status.DECLINED, Status.NOT_PUBLISHED) and note:
                current.reason = note
                update.append("reason")
            current.save(update_fields=update)
        self.status, self.status_changed_at, self.reason = (
            current.status,
            current.status_changed_at,
            current.reason,
        )
        return event


class PlacementEvent(models.Model):
    """One recorded transition. The client report is a view of these rows."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.CharField(max_length=20, choices=ActorKind.choices, default=ActorKind.PERSON)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("changement de statut")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
