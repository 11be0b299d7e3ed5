"""Products, the stock ledger and shipments.

Stock is never a column that people edit: it is the sum of the movements,
so every unit that left can be traced to a placement and a reason.
"""

from django.conf import settings
from django.db import models
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProductQuerySet(models.QuerySet):
    def for_membership(self, membership):
        qs = self.filter(organisation=membership.organisation)
        if membership.client_id:
            qs = qs.filter(client_id=membership.client_id)
        return qs

    def with_stock(self):
        return self.annotate(stock_level=models.functions.Coalesce(Sum("movements__quantity"), 0))


class Product(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="products"
    )
    client = models.ForeignKey("campaigns.Client", on_delete=models.PROTECT, related_name="products")
    sku = models.CharField(_("référence"), max_length=64)
    name = models.CharField(_("nom"), max_length=200)
    category = models.CharField(_("catégorie"), max_length=100, blank=True)
    unit_cost = models.DecimalField(_("coût unitaire (€)"), max_digits=9, decimal_places=2, default=0)
    photo = models.ImageField(_("photo"), upload_to="products/", blank=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("produit")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "sku"], name="product_unique_sku")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sku})"

    @property
    def stock(self) -> int:
        return self.movements.aggregate(total=Sum("quantity"))["total"] or 0


class MovementKind(models.TextChoices):
    RECEIVED = "received", _("Reçu en stock")
    RESERVED = "reserved", _("Réservé")
    RELEASED = "released", _("Réservation libérée")
    SHIPPED = "shipped", _("Expédié")
    RETURNED = "returned", _("Retourné")
    LOST = "lost", _("Perdu")
    GIVEAWAY = "giveaway", _("Gagnant d'un concours")


# The note of the release that turns a placement's reservation into its parcel (a pair of rows:
# released +1, shipped −1). Read alone, "Réservation libérée +1" would look like a cancellation.
RESERVATION_SHIPPED = "réservation expédiée"


class StockMovement(models.Model):
    """A signed quantity: +10 received, -1 shipped. The ledger's one row type."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="movements")
    kind = models.CharField(_("mouvement"), max_length=20, choices=MovementKind.choices)
    quantity = models.IntegerField(_("quantité"))
    placement = models.ForeignKey(
        "campaigns.Placement", on_delete=models.SET_NULL, null=True, blank=True
    )
    note = models.CharField(_("justification"), max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mouvement de stock")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity:+d} {self.product}"

    @property
    def label(self) -> str:
        if self.kind == MovementKind.RELEASED and self.note == RESERVATION_SHIPPED:
            return str(_("Réservation transformée en colis"))
        return self.get_kind_display()


class Supply(models.Model):
    """What an operation sends: which product, how many per accepted blog."""

    operation = models.ForeignKey("campaigns.Operation", on_delete=models.CASCADE, related_name="supplies")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="supplies")
    per_placement = models.PositiveSmallIntegerField(_("unités par blog"), default=1)

    class Meta:
        verbose_name = _("produit de l'opération")
        constraints = [models.UniqueConstraint(fields=["operation", "product"], name="supply_unique_product")]

    def __str__(self) -> str:
        return f"{self.operation} · {self.product}"


class ShipmentQuerySet(models.QuerySet):
    def for_membership(self, membership):
        from ambassade.campaigns.models import Placement

        return self.filter(placement__in=Placement.objects.for_membership(membership))

    def unconfirmed(self, older_than):
        return self.filter(received_at__isnull=True, lost_at__isnull=True, shipped_at__lt=older_than)


class Shipment(models.Model):
    """A parcel. The address is the blogger's, read from their profile: never copied here."""

    placement = models.ForeignKey(
        "campaigns.Placement", on_delete=models.CASCADE, related_name="shipments"
    )
    blogger = models.ForeignKey("blogs.Blogger", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="shipments")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="shipments")
    quantity = models.PositiveSmallIntegerField(default=1)
    carrier = models.CharField(_("transporteur"), max_length=100, blank=True)
    tracking_number = models.CharField(_("numéro de suivi"), max_length=100, blank=True)
    cost = models.DecimalField(_("frais de port (€)"), max_digits=9, decimal_places=2, default=0)
    shipped_at = models.DateTimeField(_("expédié le"), null=True, blank=True)
    received_at = models.DateTimeField(_("reçu le"), null=True, blank=True)
    received_by = models.CharField(_("confirmé par"), max_length=20, blank=True,
                                   help_text=_("blogueur (lien du mail) ou agence"))
    lost_at = models.DateTimeField(_("perdu le"), null=True, blank=True)
    problem = models.TextField(_("problème signalé"), blank=True)

    objects = ShipmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("colis")
        verbose_name_plural = _("colis")
        ordering = ["-shipped_at", "-id"]

    def __str__(self) -> str:
        return f"{self.product} → {self.placement.blog}"

    @property
    def total_cost(self):
        return self.product.unit_cost * self.quantity + self.cost
