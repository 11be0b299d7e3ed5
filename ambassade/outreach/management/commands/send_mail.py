"""`ambassade send_mail`: one pass of the outbox here (the loop enqueues the same work as a task)."""

from django.core.management.base import BaseCommand

from ambassade.outreach.sender import send_due


class Command(BaseCommand):
    help = "Envoie les mails dus (un par destinataire, vérifiés une dernière fois avant l'envoi)."

    def handle(self, *args, **options):
        report = send_due()
        self.stdout.write(f"{report.sent} envoyé(s), {report.waiting} en attente, {report.held} retenu(s), "
                          f"{report.retried} à réessayer, {report.failed} en échec.")
