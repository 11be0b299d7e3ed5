"""The giveaway's signed links: a participant confirms an e-mail, a winner gives an address, a parcel
is confirmed. Each has its own salt, so one cannot stand for another, and an age limit."""

from django.conf import settings
from django.urls import reverse

from ambassade.lib.signing import sign, unsign

_CONFIRM_SALT = "ambassade.giveaway-confirm"
_ADDRESS_SALT = "ambassade.giveaway-address"
_RECEIPT_SALT = "ambassade.giveaway-receipt"
CONFIRM_MAX_AGE = 7 * 24 * 3600
RECEIPT_MAX_AGE = 120 * 24 * 3600


def _pair(value):
    return value if isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) else None


def confirm_token(entry) -> str:
    return sign([entry.pk, entry.giveaway.public_id], _CONFIRM_SALT)


def read_confirm_token(token: str):
    return _pair(unsign(token, _CONFIRM_SALT, CONFIRM_MAX_AGE))


def address_token(winner) -> str:
    return sign([winner.pk, winner.giveaway.public_id], _ADDRESS_SALT)


def read_address_token(token: str, max_age: int):
    return _pair(unsign(token, _ADDRESS_SALT, max_age))


def receipt_token(shipment_pk: int) -> str:
    return sign([shipment_pk, "prize"], _RECEIPT_SALT)


def read_receipt_token(token: str):
    return _pair(unsign(token, _RECEIPT_SALT, RECEIPT_MAX_AGE))


def absolute(path: str) -> str:
    return settings.BASE_URL.rstrip("/") + path


def address_url(winner) -> str:
    return absolute(reverse("giveaway_address", args=[address_token(winner)]))


def receipt_url(shipment) -> str:
    return absolute(reverse("giveaway_receipt", args=[receipt_token(shipment.pk)]))


def public_url(giveaway) -> str:
    return absolute(reverse("giveaway_rules", args=[giveaway.public_id]))


def confirm_path(entry) -> str:
    return reverse("giveaway_confirm", args=[confirm_token(entry)])


def certificate_url(giveaway) -> str:
    return absolute(reverse("giveaway_certificate", args=[giveaway.public_id]))
