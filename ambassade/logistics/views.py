from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
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
    movements = product.movements.select_related("placement__blog", "user")[:100]
    return render(
        request, "logistics/product_detail.html", {"product": product, "movements": movements, "form": form}
    )
