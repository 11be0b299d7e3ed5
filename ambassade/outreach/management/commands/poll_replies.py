"""`ambassade poll_replies`: read each organisation's mailbox once."""

from django.core.management.base import BaseCommand

from ambassade.outreach.inbox import poll_all


class Command(BaseCommand):
    help = "Lit les boîtes IMAP des organisations : réponses, réponses automatiques, non-distribués."

    def handle(self, *args, **options):
        totals = poll_all()
        self.stdout.write(f"{totals['read']} mail(s) lu(s), dont {totals['replies']} réponse(s) ; "
                          f"{totals['errors']} boîte(s) en erreur.")
