"""`ambassade poll_replies`: read each organisation's mailbox once."""

from django.core.management.base import BaseCommand

from ambassade.lib.french import count
from ambassade.outreach.inbox import poll_all


class Command(BaseCommand):
    help = "Lit les boîtes IMAP des organisations : réponses, réponses automatiques, non-distribués."

    def handle(self, *args, **options):
        totals = poll_all()
        self.stdout.write(f"{count(totals['read'], 'mail lu', 'mails lus')}, dont "
                          f"{count(totals['replies'], 'réponse', 'réponses')} ; "
                          f"{count(totals['errors'], 'boîte en erreur', 'boîtes en erreur')}.")
