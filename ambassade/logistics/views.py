from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassade.accounts.access import get_scoped_or_404, staff_view

from .models import MovementKind, Product, StockMovement


class ReceiveStockForm(forms.Form):
    quantity = forms.IntegerField(label=gettext_lazy("Unités reçues"), min_value=1, max_value=100000)
    note = forms.CharField(label=gettext_lazy("Justification"), max_length=300, required=False)


@staff_view()
def product_list(request):
    products = Product.objects.for_membership(request.membership).select_related("client").with_stock()
    return render(request, "logistics/product_list.html", {"products": products})


@staff_view()
def product_detail(request, pk):
    product = get_scoped_or_404(
        Product.objects.for_membership(request.membership).select_related("client").with_stock(), pk=pk
    )
    form = ReceiveStockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        StockMovement.objects.create(
            product=product,
            kind=MovementKind.RECEIVED,
            quantity=form.cleaned_data["quantity"],
            note=form.cleaned_data["note"],
            user=request.user,
        )
        messages.success(request, _("Stock mis à jour."))
        return redirect("product_detail", pk=product.pk)
    from . import ledger

    movements = product.movements.select_related("placement__blog", "user")[:100]
    shipments = (product.shipments.select_related("placement__blog", "placement__operation")
                 .prefetch_related("placement__coverages__post")[:200])
    return render(request, "logistics/product_detail.html", {
        "product": product, "movements": movements, "form": form, "shipments": shipments,
        "on_hand": ledger.on_hand(product)})


class ParcelForm(forms.Form):
    carrier = forms.CharField(label=gettext_lazy("Transporteur"), max_length=100, required=False)
    tracking_number = forms.CharField(label=gettext_lazy("Numéro de suivi"), max_length=100, required=False)
    cost = forms.DecimalField(label=gettext_lazy("Frais de port (€)"), min_value=0, max_digits=9, decimal_places=2,
                              required=False)


def _placement(request, pk):
    from ambassade.campaigns.models import Placement

    return get_scoped_or_404(Placement.objects.for_membership(request.membership)
                             .select_related("operation", "blog"), pk=pk)


@staff_view()
def placement_parcels(request, pk):
    """The placement's parcels: ship it (the reservation becomes a shipment and the blogger gets the
    receipt link), mark it received or lost. A fragment of the placement panel."""
    from ambassade.campaigns.status import Status
    from ambassade.outreach.notices import queue_shipment_notice

    from . import ledger

    placement = _placement(request, pk)
    form = ParcelForm(request.POST or None)
    if request.method == "POST":
        if not request.membership.can_edit or request.membership.client_id:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "ship" and form.is_valid():
                data = form.cleaned_data
                shipment = ledger.ship(placement, ledger.Parcel(data["carrier"], data["tracking_number"],
                                                                data["cost"] or 0), user=request.user)
                queue_shipment_notice(shipment)
                messages.success(request, _("Colis enregistré ; le mail d'expédition part avec le lien d'accusé de réception."))
            elif action in ("received", "lost"):
                shipment = get_scoped_or_404(placement.shipments.all(), pk=request.POST.get("shipment") or 0)
                if action == "received":
                    ledger.confirm_receipt(shipment, by="agency", user=request.user)
                else:
                    shipment.lost_at = timezone.now()
                    shipment.save(update_fields=["lost_at"])
        except ledger.IllegalTransition as error:
            messages.error(request, str(error))
        return redirect("placement_detail", pk=placement.pk)
    shipments = placement.shipments.select_related("product", "blogger")
    supply = ledger.supply_of(placement)
    return render(request, "logistics/_parcels.html", {
        "placement": placement, "shipments": shipments, "form": form, "supply": supply,
        "can_ship": placement.status == Status.ACCEPTED and supply is not None,
        "blogger": placement.blog.bloggers.filter(opted_out_at__isnull=True).first(),
    })


def parcel_receipt(request, token):
    """The blogger's one-click receipt (and problem report). Works once; a second visit says so."""
    from ambassade.lib.signing import read_receipt_token

    from . import ledger
    from .models import Shipment

    pk = read_receipt_token(token)
    shipment = Shipment.objects.filter(pk=pk).select_related("product", "placement__operation__organisation").first() \
        if pk else None
    if shipment is None:
        return render(request, "logistics/parcel_receipt.html", {"invalid": True}, status=400)
    if request.method == "POST":
        problem = request.POST.get("problem", "").strip()[:2000]
        if problem:
            from ambassade.outreach.models import Message

            shipment.problem = problem
            shipment.save(update_fields=["problem"])
            address = shipment.blogger.primary_email if shipment.blogger else None
            Message.objects.record_word_from_blogger(shipment.placement, f"Problème de colis : {shipment.product.name}",
                                                     problem, address.address if address else "")
            return render(request, "logistics/parcel_receipt.html", {"shipment": shipment, "reported": True})
        confirmed = ledger.confirm_receipt(shipment, by="blogger")
        return render(request, "logistics/parcel_receipt.html", {"shipment": shipment, "confirmed": confirmed,
                                                                 "already": not confirmed})
    return render(request, "logistics/parcel_receipt.html", {"shipment": shipment,
                                                             "already": shipment.received_at is not None})
