"""Signed tokens that travel in e-mails: the reply token in Reply-To, the opt-out link.

Django's signing (HMAC with SECRET_KEY, a salt per use) so a token made for one
purpose is worthless for another, and a tampered one is refused.
"""

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

_REPLY_SALT = "ambassade.reply-to"
_OPT_OUT_SALT = "ambassade.opt-out"
OPT_OUT_MAX_AGE = 400 * 24 * 3600  # an opt-out link keeps working for more than a year


def reply_token(message_pk: int) -> str:
    """'123.9f2c…': fits in the local part of an address (plus addressing). Lower-case hex, because
    mail servers do not all keep the case of a local part."""
    return f"{message_pk}.{_reply_mac(message_pk)}"


def _reply_mac(message_pk: int) -> str:
    return salted_hmac(_REPLY_SALT, str(message_pk), algorithm="sha256").hexdigest()[:24]


def read_reply_token(token: str) -> int | None:
    pk, _, mac = token.lower().partition(".")
    if not pk.isdigit() or not constant_time_compare(mac, _reply_mac(int(pk))):
        return None
    return int(pk)


def opt_out_token(blogger_pk: int) -> str:
    return signing.dumps(blogger_pk, salt=_OPT_OUT_SALT, compress=False)


def read_opt_out_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=_OPT_OUT_SALT, max_age=OPT_OUT_MAX_AGE))
    except (signing.BadSignature, ValueError, TypeError):
        return None


_RECEIPT_SALT = "ambassade.parcel-receipt"
RECEIPT_MAX_AGE = 120 * 24 * 3600  # a parcel link outlives any delivery delay


def receipt_token(shipment_pk: int) -> str:
    return signing.dumps(shipment_pk, salt=_RECEIPT_SALT, compress=False)


def read_receipt_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=_RECEIPT_SALT, max_age=RECEIPT_MAX_AGE))
    except (signing.BadSignature, ValueError, TypeError):
        return None


_CLIENT_SALT = "ambassade.client-link"


def client_link_token(link_pk: int, secret: str) -> str:
    return signing.dumps([link_pk, secret], salt=_CLIENT_SALT, compress=False)


def read_client_link_token(token: str, max_age: int) -> tuple[int, str] | None:
    try:
        link_pk, secret = signing.loads(token, salt=_CLIENT_SALT, max_age=max_age)
        return int(link_pk), str(secret)
    except (signing.BadSignature, ValueError, TypeError):
        return None
