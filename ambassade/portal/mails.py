"""Mails the GDPR rules send: the consent request of the retention rule."""

from django.utils import timezone

from ambassade.outreach.compose import mail_settings
from ambassade.outreach.links import OPT_OUT, PERSONAL
from ambassade.outreach.models import Direction, Message, MessageKind, MessageStatus


def queue_consent_request(blogger) -> Message | None:
    address = blogger.primary_email
    if address is None or blogger.opted_out_at:
        return None
    sender = mail_settings(blogger.organisation)
    body = (f"Bonjour {blogger.first_name or blogger.pseudonym},\n\n"
            f"Nous gardons vos coordonnées depuis un moment sans avoir eu de vos nouvelles. La règle est simple : "
            f"si vous souhaitez que {blogger.organisation.name} puisse encore vous proposer des produits, dites-le "
            f"en un clic sur votre page :\n{PERSONAL}\n\n"
            f"Sans réponse d'ici un mois, nous effacerons vos données. Vous pouvez aussi les effacer ou les "
            f"télécharger vous-même depuis cette page.\n\n{sender.signature or sender.from_name}\n\n"
            f"Pour ne plus recevoir de messages de notre part : {OPT_OUT}\n")
    return Message.objects.create(
        organisation=blogger.organisation, direction=Direction.OUTBOUND, kind=MessageKind.OTHER, step="consent",
        status=MessageStatus.QUEUED, to_address=address.address, send_after=timezone.now(),
        subject=f"Souhaitez-vous rester en contact avec {blogger.organisation.name} ?", body_text=body)


def queue_page_link(blogger) -> Message | None:
    """The CM re-sends a person their page: the link is minted when the mail leaves, never shown to the CM."""
    address = blogger.primary_email
    if address is None or blogger.opted_out_at or blogger.erased_at:
        return None
    sender = mail_settings(blogger.organisation)
    body = (f"Bonjour {blogger.first_name or blogger.pseudonym},\n\n"
            f"Voici le lien vers votre page chez {blogger.organisation.name} : vos propositions, vos colis, un "
            f"article à nous signaler, vos préférences et vos données.\n{PERSONAL}\n\n"
            f"{sender.signature or sender.from_name}\n\n"
            f"Pour ne plus recevoir de messages de notre part : {OPT_OUT}\n")
    return Message.objects.create(
        organisation=blogger.organisation, direction=Direction.OUTBOUND, kind=MessageKind.OTHER, step="page_link",
        status=MessageStatus.QUEUED, to_address=address.address, send_after=timezone.now(),
        subject=f"Votre page chez {blogger.organisation.name}", body_text=body)
