"""Mails about the person's own page: the retention rule's consent request, a link re-sent by the CM.

Both carry placeholders (`[lien personnel]`, `[lien de désinscription]`) that the sender fills with
fresh links when the mail leaves: nobody at the agency ever sees or copies them.
"""

from django.utils import timezone

from ambassade.outreach.compose import mail_settings
from ambassade.outreach.links import OPT_OUT, PERSONAL
from ambassade.outreach.models import Direction, Message, MessageKind, MessageStatus


def _queue(blogger, step: str, subject: str, middle: str) -> Message | None:
    """One mail to the person's main address, greeting and signature around `middle`; None when
    there is nobody to write to (no address, an objection, data erased)."""
    address = blogger.primary_email
    if address is None or blogger.opted_out_at or blogger.erased_at:
        return None
    sender = mail_settings(blogger.organisation)
    body = (f"Bonjour {blogger.first_name or blogger.pseudonym},\n\n{middle}\n\n"
            f"{sender.signature or sender.from_name}\n\n"
            f"Pour ne plus recevoir de messages de notre part : {OPT_OUT}\n")
    return Message.objects.create(
        organisation=blogger.organisation, direction=Direction.OUTBOUND, kind=MessageKind.OTHER, step=step,
        status=MessageStatus.QUEUED, to_address=address.address, send_after=timezone.now(), subject=subject,
        body_text=body)


def queue_consent_request(blogger) -> Message | None:
    name = blogger.organisation.name
    return _queue(blogger, "consent", f"Souhaitez-vous rester en contact avec {name} ?",
                  f"Nous gardons vos coordonnées depuis un moment sans avoir eu de vos nouvelles. La règle est "
                  f"simple : si vous souhaitez que {name} puisse encore vous proposer des produits, dites-le en un "
                  f"clic sur votre page :\n{PERSONAL}\n\nSans réponse d'ici un mois, nous effacerons vos données. "
                  f"Vous pouvez aussi les effacer ou les télécharger vous-même depuis cette page.")


def queue_page_link(blogger) -> Message | None:
    """The CM re-sends a person their page: the link is minted when the mail leaves, never shown to the CM."""
    name = blogger.organisation.name
    return _queue(blogger, "page_link", f"Votre page chez {name}",
                  f"Voici le lien vers votre page chez {name} : vos propositions, vos colis, un article à nous "
                  f"signaler, vos préférences et vos données.\n{PERSONAL}")
