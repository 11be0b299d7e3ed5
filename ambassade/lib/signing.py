"""Signed tokens that travel in e-mails and links: the reply token in Reply-To, the opt-out,
parcel-receipt and client links (and, through `sign`/`unsign`, the blogger's own links).

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


def sign(value, salt: str) -> str:
    return signing.dumps(value, salt=salt, compress=False)


def unsign(token: str, salt: str, max_age: int):
    """The signed value, or None for anything tampered, expired or malformed."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None


def _pk(value) -> int | None:
    return value if isinstance(value, int) else None


def opt_out_token(blogger_pk: int) -> str:
    return sign(blogger_pk, _OPT_OUT_SALT)


def read_opt_out_token(token: str) -> int | None:
    return _pk(unsign(token, _OPT_OUT_SALT, OPT_OUT_MAX_AGE))


_RECEIPT_SALT = "ambassade.parcel-receipt"
RECEIPT_MAX_AGE = 120 * 24 * 3600  # a parcel link outlives any delivery delay


def receipt_token(shipment_pk: int) -> str:
    return sign(shipment_pk, _RECEIPT_SALT)


def read_receipt_token(token: str) -> int | None:
    return _pk(unsign(token, _RECEIPT_SALT, RECEIPT_MAX_AGE))


_CLIENT_SALT = "ambassade.client-link"


def client_link_token(link_pk: int, secret: str) -> str:
    return sign([link_pk, secret], _CLIENT_SALT)


def read_client_link_token(token: str, max_age: int) -> tuple[int, str] | None:
    value = unsign(token, _CLIENT_SALT, max_age)
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)):
        return None
    return value[0], str(value[1])
