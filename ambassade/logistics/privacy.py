"""What the parcels forget when a person is erased: who received them, and what they said of them."""

from .models import Shipment


def forget(blogger) -> None:
    Shipment.objects.filter(blogger=blogger).update(blogger=None, problem="")
