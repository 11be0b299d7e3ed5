"""Signed tokens that travel in e-mails: the reply token in Reply-To, the opt-out link.

Django's signing (HMAC with SECRET_KEY, a salt per use) so a token made for one
purpose is worthless for another, and a tampered one is refused.
"""

from django.core import signing

_REPLY = signing.Signer(salt="ambassade.reply-to", sep=".")
_OPT_OUT_SALT = "ambassade.opt-out"
OPT_OUT_MAX_AGE = 400 * 24 * 3600  # an opt-out link keeps working for more than a year


def reply_token(message_pk: int) -> str:
    """'123.Xy-…': fits in the local part of an address (plus addressing)."""
    return _REPLY.sign(str(message_pk))


def read_reply_token(token: str) -> int | None:
    try:
        return int(_REPLY.unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def opt_out_token(blogger_pk: int) -> str:
    return signing.dumps(blogger_pk, salt=_OPT_OUT_SALT, compress=False)


def read_opt_out_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=_OPT_OUT_SALT, max_age=OPT_OUT_MAX_AGE))
    except (signing.BadSignature, ValueError, TypeError):
        return None
