"""A blogger's live links never rest in a stored mail.

Each mail carries the person's own signed links (their page, the opt-out, a parcel's receipt).
Anyone who reads a stored copy — a colleague, a client viewer, a database dump — could act as
that person with them. So a mail is stored, previewed and shown with placeholders, and the
links are minted at the moment the mail is handed to the SMTP server (a fresh one each time);
a reply that quotes our mail has them taken out before it is stored.
"""

import re

from django.conf import settings
from django.urls import reverse

from ambassade.blogs.personal_links import page_url
from ambassade.lib.signing import opt_out_token, receipt_token

PERSONAL = "[lien personnel]"
OPT_OUT = "[lien de désinscription]"
RECEIPT = "[lien d'accusé de réception]"

# Any URL to a blogger-only page: /b/<token>/…, /opposition/<token>/, /colis/<token>/.
_LIVE = re.compile(r"https?://[^\s\"'<>]+?/(b|opposition|colis)/[A-Za-z0-9._:~-]+/?(?:[^\s\"'<>]*)")
_PLACEHOLDER_OF = {"b": PERSONAL, "opposition": OPT_OUT, "colis": RECEIPT}


def opt_out_url(blogger) -> str:
    return settings.BASE_URL.rstrip("/") + reverse("opt_out", args=[opt_out_token(blogger.pk)])


def receipt_url(shipment) -> str:
    return settings.BASE_URL.rstrip("/") + reverse("parcel_receipt", args=[receipt_token(shipment.pk)])


def scrub(text: str) -> str:
    """The text with every blogger-only link replaced by its placeholder."""
    return _LIVE.sub(lambda m: _PLACEHOLDER_OF[m.group(1)], text or "")


def fill(text: str, blogger, shipment=None) -> str:
    """The text as it leaves: placeholders become this person's links, minted now."""
    if not text or blogger is None:
        return text
    if PERSONAL in text:
        text = text.replace(PERSONAL, page_url(blogger))
    if OPT_OUT in text:
        text = text.replace(OPT_OUT, opt_out_url(blogger))
    if RECEIPT in text and shipment is not None:
        text = text.replace(RECEIPT, receipt_url(shipment))
    return text
