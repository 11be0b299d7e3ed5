"""Messages: every e-mail is a row before it is a mail."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    QUEUED = "queued", _("À envoyer")
    SENDING = "sending", _("En cours d'envoi")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec")
    CANCELLED = "cancelled", _("Annulé")
    RECEIVED = "received", _("Reçu")


class Direction(models.TextChoices):
    OUTBOUND = "out", _("Envoyé")
    INBOUND = "in", _("Reçu")


class MessageQuerySet(models.QuerySet):
    def for_membership(self, membership):
        return self.filter(placement__operation__organisation=membership.organisation)

    def pending(self):
        return self.filter(direction=Direction.OUTBOUND, status__in=[MessageStatus.DRAFT, MessageStatus.QUEUED])

    def cancel_pending(self, placement, reason: str) -> int:
        """Hold back every mail not yet sent to this placement, saying why."""
        return self.filter(placement=placement).pending().update(status=MessageStatus.CANCELLED, error=reason)


class Message(models.Model):
    placement = models.ForeignKey(
        "campaigns.Placement", on_delete=models.CASCADE, related_name="messages"
    )
    direction = models.CharField(max_length=3, choices=Direction.choices, default=Direction.OUTBOUND)
    status = models.CharField(
        max_length=20, choices=MessageStatus.choices, default=MessageStatus.DRAFT, db_index=True
    )
    # Sent exactly once: the sender claims the row by this key before talking SMTP.
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    to_address = models.EmailField(_("destinataire"), max_length=254)
    subject = models.CharField(_("objet"), max_length=300)
    body_text = models.TextField(_("texte"))
    body_html = models.TextField(_("HTML"), blank=True)
    send_after = models.DateTimeField(null=True, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.subject
