from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassade.accounts.access import get_scoped_or_404, refused, staff_view

from .models import MovementKind, Product, Supply

PHOTO_MAX_BYTES = 5 * 1024 * 1024
IN, OUT = (MovementKind.RECEIVED, MovementKind.RETURNED), (MovementKind.LOST, MovementKind.GIVEAWAY)


class MovementForm(forms.Form):
    """Stock that comes in or goes out by hand. Reservations and shipments come from the placements."""

    kind = forms.ChoiceField(label=gettext_lazy("Mouvement"), choices=[(k.value, k.label) for k in (*IN, *OUT)])
    quantity = forms.IntegerField(label=gettext_lazy("Unités"), min_value=1, max_value=100000)
    note = forms.CharField(label=gettext_lazy("Justification"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("kind") in OUT and not (data.get("note") or "").strip():
            self.add_error("note", _("Une sortie de stock se justifie : perdu où, gagné par qui ?"))
        return data


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["client", "sku", "name", "category", "unit_cost", "photo"]

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        from ambassade.campaigns.models import Client

        self.membership = membership
        self.fields["client"].queryset = Client.objects.for_membership(membership)

    def clean_sku(self):
        sku = self.cleaned_data["sku"].strip()
        if Product.objects.filter(organisation=self.membership.organisation, sku__iexact=sku).exists():
            raise forms.ValidationError(_("Cette référence existe déjà."))
        return sku

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(_("Photo trop lourde (5 Mo au plus)."))
        return photo

    def save(self, commit=True):
        self.instance.organisation = self.membership.organisation
        return super().save(commit)


@staff_view(agency=True)
def product_list(request):
    products = Product.objects.for_membership(request.membership).select_related("client").with_stock()
    can_add = request.membership.can_edit and not request.membership.client_id
    form = ProductForm(request.POST or None, request.FILES or None, membership=request.membership) if can_add else None
    if request.method == "POST":
        if not can_add:
            return refused(request, _("Votre accès est en lecture seule."))
        if form.is_valid():
            product = form.save()
            messages.success(request, _("Produit créé : réceptionnez maintenant son stock."))
            return redirect("product_detail", pk=product.pk)
    return render(request, "logistics/product_list.html", {"products": products, "form": form})


@staff_view(agency=True)
def product_photo(request, pk):
    """The photo, for whoever may see the product (uploads are never a public folder)."""
    product = get_scoped_or_404(Product.objects.for_membership(request.membership), pk=pk)
    if not product.photo:
        raise Http404
    return FileResponse(product.photo.open("rb"))


@staff_view(agency=True)
def product_detail(request, pk):
    from . import ledger

    product = get_scoped_or_404(
        Product.objects.for_membership(request.membership).select_related("client").with_stock(), pk=pk
    )
    form = MovementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            move = ledger.take if data["kind"] in OUT else ledger.put
            move(product, data["quantity"], data["kind"], user=request.user, note=data["note"])
            messages.success(request, _("Stock mis à jour."))
            return redirect("product_detail", pk=product.pk)
        except ledger.OutOfStock as error:
            form.add_error("quantity", str(error))
    movements = product.movements.select_related("placement__blog", "user")[:100]
    shipments = (product.shipments.select_related("placement__blog", "placement__operation")
                 .prefetch_related("placement__coverages__post")[:200])
    return render(request, "logistics/product_detail.html", {
        "product": product, "movements": movements, "form": form, "shipments": shipments,
        "on_hand": ledger.on_hand(product)})


class SupplyForm(forms.Form):
    product = forms.ModelChoiceField(label=gettext_lazy("Produit envoyé"), queryset=Product.objects.none())
    per_placement = forms.IntegerField(label=gettext_lazy("Unités par blog"), min_value=1, max_value=20, initial=1)


@staff_view(edit=True, agency=True)
def operation_supply(request, pk):
    """Which product the operation sends: what accepting reserves and shipping takes."""
    from ambassade.campaigns.models import Operation

    operation = get_scoped_or_404(Operation.objects.for_membership(request.membership), pk=pk)
    form = SupplyForm(request.POST or None)
    form.fields["product"].queryset = Product.objects.for_membership(request.membership).filter(
        client=operation.client_id)
    if request.method == "POST" and form.is_valid():
        Supply.objects.filter(operation=operation).delete()
        Supply.objects.create(operation=operation, product=form.cleaned_data["product"],
                              per_placement=form.cleaned_data["per_placement"])
        messages.success(request, _("Produit de l'opération enregistré."))
    elif request.method == "POST":
        messages.error(request, _("Choisissez un produit de ce client."))
    return redirect("operation_detail", pk=operation.pk)


class ParcelForm(forms.Form):
    carrier = forms.CharField(label=gettext_lazy("Transporteur"), max_length=100, required=False)
    tracking_number = forms.CharField(label=gettext_lazy("Numéro de suivi"), max_length=100, required=False)
    cost = forms.DecimalField(label=gettext_lazy("Frais de port (€)"), min_value=0, max_digits=9, decimal_places=2,
                              required=False)


def _placement(request, pk):
    from ambassade.campaigns.models import Placement

    return get_scoped_or_404(Placement.objects.for_membership(request.membership)
                             .select_related("operation", "blog"), pk=pk)


@staff_view(agency=True)
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
            return refused(request, _("Votre accès est en lecture seule."))
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
