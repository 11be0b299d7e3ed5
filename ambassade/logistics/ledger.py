"""The stock ledger's operations: reserve, release, ship, confirm, with the placement's move.

Available stock is the sum of a product's movements (received +, reserved −,
released +, shipped −, returned +, lost −, giveaway −) and is never negative:
every movement that takes units locks the product's row first (SELECT … FOR
UPDATE on PostgreSQL; SQLite's writers are serialised by its immediate
transactions), then checks, then writes. Two workers racing for the last unit:
one gets it, the other gets OutOfStock.

A placement's stock effects happen in the same transaction as its move, and
`move` is the only public way to move a placement (the CM, the blogger's page, a
mail reply, the sender, the veille and a declaration all call it): units are
reserved for a placement exactly while it is "accepted" — accepting reserves,
any other move out of "accepted" releases (declined, opted out, an article
before the parcel left), shipping turns the reservation into a shipment.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from ambassade.campaigns.models import ActorKind, IllegalTransition, Placement
from ambassade.campaigns.status import Status, can_move
from ambassade.lib.french import count

from .models import RESERVATION_SHIPPED, MovementKind, Product, Shipment, StockMovement, Supply


class OutOfStock(IllegalTransition):
    pass


def available(product: Product) -> int:
    return product.movements.aggregate(total=Sum("quantity"))["total"] or 0


def on_hand(product: Product) -> int:
    """Units physically in stock: reservations are promises, not departures."""
    return (product.movements.exclude(kind__in=[MovementKind.RESERVED, MovementKind.RELEASED])
            .aggregate(total=Sum("quantity"))["total"] or 0)


def take(product: Product, quantity: int, kind: str, *, placement=None, user=None, note: str = "",
         at=None) -> StockMovement:
    """Take `quantity` units out (reservation, shipment without reservation, loss, giveaway prize)."""
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    with transaction.atomic():
        locked = Product.objects.select_for_update().get(pk=product.pk)
        left = available(locked)
        if left < quantity:
            raise OutOfStock(f"plus de stock pour {locked.name} : {count(left, 'disponible', 'disponibles')}, "
                             f"{count(quantity, 'demandé', 'demandés')}")
        return StockMovement.objects.create(product=locked, kind=kind, quantity=-quantity, placement=placement,
                                            user=user, note=note[:300], at=at or timezone.now())


def put(product: Product, quantity: int, kind: str, *, placement=None, user=None, note: str = "") -> StockMovement:
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    return StockMovement.objects.create(product=product, kind=kind, quantity=quantity, placement=placement,
                                        user=user, note=note[:300])


def supply_of(placement: Placement) -> Supply | None:
    return Supply.objects.filter(operation=placement.operation_id).select_related("product").first()


def reserved_for(placement: Placement) -> dict[int, int]:
    """Units still reserved for this placement, per product."""
    rows = (StockMovement.objects.filter(placement=placement, kind__in=[MovementKind.RESERVED, MovementKind.RELEASED])
            .values("product_id").annotate(total=Sum("quantity")))
    return {r["product_id"]: -r["total"] for r in rows if r["total"] < 0}


def release(placement: Placement, *, user=None, note: str = "", at=None) -> int:
    released = 0
    for product_id, units in reserved_for(placement).items():
        StockMovement.objects.create(product_id=product_id, kind=MovementKind.RELEASED, quantity=units,
                                     placement=placement, user=user, note=note[:300] or "réservation annulée",
                                     at=at or timezone.now())
        released += units
    return released


@dataclass
class Parcel:
    carrier: str = ""
    tracking_number: str = ""
    cost: object = 0


def ship(placement: Placement, parcel: Parcel | None = None, *, user=None, at=None) -> Shipment:
    """Turn the reservation into a shipment (or take a unit if there was none) and record the parcel."""
    parcel = parcel or Parcel()
    if not can_move(placement.status, Status.SHIPPED):
        raise IllegalTransition(f"{Status(placement.status).label} → {Status.SHIPPED.label} n'est pas permis")
    supply = supply_of(placement)
    if supply is None:
        raise IllegalTransition("aucun produit n'est associé à cette opération : ajoutez-le avant d'expédier")
    now = at or timezone.now()
    with transaction.atomic():
        reserved = reserved_for(placement).get(supply.product_id, 0)
        if reserved:
            StockMovement.objects.create(product=supply.product, kind=MovementKind.RELEASED, quantity=reserved,
                                         placement=placement, user=user, note=RESERVATION_SHIPPED, at=now)
            StockMovement.objects.create(product=supply.product, kind=MovementKind.SHIPPED, quantity=-reserved,
                                         placement=placement, user=user, note=parcel.carrier, at=now)
            quantity = reserved
        else:
            quantity = supply.per_placement
            take(supply.product, quantity, MovementKind.SHIPPED, placement=placement, user=user, note=parcel.carrier,
                 at=now)
        blogger = placement.blog.bloggers.filter(opted_out_at__isnull=True).first()
        shipment = Shipment.objects.create(
            placement=placement, blogger=blogger, product=supply.product, quantity=quantity, carrier=parcel.carrier,
            tracking_number=parcel.tracking_number, cost=Decimal(str(parcel.cost or 0)), shipped_at=now)
        if can_move(placement.status, Status.SHIPPED):
            placement._record_move(Status.SHIPPED, user=user, at=now,
                           note=" ".join(filter(None, [parcel.carrier, parcel.tracking_number])))
    return shipment


def move(placement: Placement, target: str, *, user=None, note: str = "", actor=ActorKind.PERSON,
         parcel: Parcel | None = None, at=None):
    """A placement's move with its stock effects, all or nothing."""
    with transaction.atomic():
        if target == Status.SHIPPED:
            return ship(placement, parcel, user=user, at=at)
        event = placement._record_move(target, user=user, note=note, actor=actor, at=at)
        if target == Status.ACCEPTED:
            supply = supply_of(placement)
            if supply is not None and not reserved_for(placement):
                take(supply.product, supply.per_placement, MovementKind.RESERVED, placement=placement, user=user,
                     note="accepté", at=at)
        else:
            # Units are held only while the placement waits for its parcel.
            release(placement, user=user, note=f"{Status(target).label.lower()}", at=at)
        return event


def confirm_receipt(shipment: Shipment, *, by: str, user=None, at=None) -> bool:
    """The parcel arrived (the blogger's link or the CM). Returns False if it was already confirmed."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = Shipment.objects.select_for_update().get(pk=shipment.pk)
        if locked.received_at:
            return False
        locked.received_at, locked.received_by = at, by
        locked.save(update_fields=["received_at", "received_by"])
        placement = locked.placement
        if can_move(placement.status, Status.RECEIVED):
            placement._record_move(Status.RECEIVED, actor=ActorKind.BLOGGER if by == "blogger" else ActorKind.PERSON,
                           user=user, note="accusé de réception", at=at)
    shipment.received_at, shipment.received_by = at, by
    return True
