"""`ambassade send_mail`: one pass of the outbox here (the loop enqueues the same work as a task)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from ambassade.lib.french import count
from ambassade.outreach.models import Direction, Message, MessageStatus
from ambassade.outreach.sender import send_due


class Command(BaseCommand):
    help = "Envoie les mails dus (un par destinataire, vérifiés une dernière fois avant l'envoi)."

    def handle(self, *args, **options):
        report = send_due()
        self.stdout.write(f"{count(report.sent, 'envoyé', 'envoyés')}, {count(report.held, 'retenu', 'retenus')}, "
                          f"{report.retried} à réessayer, {report.failed} en échec.")
        # What waits is the queue as it stands, not only what this pass looked at.
        queued = Message.objects.filter(direction=Direction.OUTBOUND, status=MessageStatus.QUEUED)
        later = queued.order_by("send_after").values_list("send_after", flat=True).first()
        if later:
            when = timezone.localtime(later).strftime("%d/%m/%Y à %H:%M")
            self.stdout.write(f"{queued.count()} en file d'attente ; prochain envoi possible le {when}.")
        else:
            self.stdout.write("Rien en file d'attente.")
