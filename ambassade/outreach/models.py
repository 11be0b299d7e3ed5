"""Outreach: each organisation's mail settings, each operation's templates, and every message.

Every e-mail is a row before it is a mail. An outbound row is claimed (with a
lease) before the SMTP conversation and marked `handed` just before the data is
given to the server, so a sender that dies before that point leaves a row that is
simply sent again, and one that dies after it leaves a row marked "à vérifier"
rather than a second mail. Inbound rows (replies, auto-replies, bounces) come from
the organisation's IMAP mailbox.
"""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Security(models.TextChoices):
    NONE = "none", _("Aucune (réseau local)")
    STARTTLS = "starttls", "STARTTLS"
    SSL = "ssl", "SSL/TLS"


class Auth(models.TextChoices):
    PASSWORD = "password", _("Mot de passe")
    OAUTH2 = "oauth2", _("OAuth 2.0 (Microsoft 365, Google Workspace)")


class OAuthProvider(models.TextChoices):
    MICROSOFT = "microsoft", "Microsoft 365"
    GOOGLE = "google", "Google Workspace"
    OTHER = "other", _("Autre (adresse du serveur de jetons)")


class Transport(models.TextChoices):
    SMTP = "smtp", _("Votre serveur SMTP")
    BREVO = "brevo", "Brevo"
    MAILJET = "mailjet", "Mailjet"


class MailSettings(models.Model):
    """How an organisation sends and reads mail. Passwords are never stored: only the name
    of the environment variable that holds each one."""

    organisation = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE, related_name="mail")
    from_name = models.CharField(_("nom de l'expéditeur"), max_length=100)
    from_address = models.EmailField(_("adresse d'envoi"))
    smtp_host = models.CharField(_("serveur SMTP"), max_length=200, blank=True)
    smtp_port = models.PositiveIntegerField(_("port SMTP"), default=587)
    smtp_security = models.CharField(_("sécurité SMTP"), max_length=10, choices=Security.choices,
                                     default=Security.STARTTLS)
    smtp_username = models.CharField(_("identifiant SMTP"), max_length=200, blank=True)
    smtp_password_env = models.CharField(
        _("variable d'environnement du mot de passe SMTP"), max_length=100, blank=True)
    imap_host = models.CharField(_("serveur IMAP"), max_length=200, blank=True)
    imap_port = models.PositiveIntegerField(_("port IMAP"), default=993)
    imap_security = models.CharField(_("sécurité IMAP"), max_length=10, choices=Security.choices,
                                     default=Security.SSL)
    imap_username = models.CharField(_("identifiant IMAP"), max_length=200, blank=True)
    imap_password_env = models.CharField(
        _("variable d'environnement du mot de passe IMAP"), max_length=100, blank=True)
    auth = models.CharField(_("connexion à la boîte"), max_length=10, choices=Auth.choices, default=Auth.PASSWORD)
    oauth_provider = models.CharField(_("fournisseur OAuth"), max_length=10, choices=OAuthProvider.choices,
                                      default=OAuthProvider.MICROSOFT)
    oauth_tenant = models.CharField(_("locataire Microsoft (tenant)"), max_length=100, blank=True)
    oauth_token_url = models.URLField(_("adresse du serveur de jetons"), blank=True)
    oauth_client_id = models.CharField(_("identifiant de l'application (client ID)"), max_length=200, blank=True)
    oauth_client_secret_env = models.CharField(
        _("variable d'environnement du secret de l'application"), max_length=100, blank=True)
    oauth_refresh_token_env = models.CharField(
        _("variable d'environnement du jeton d'actualisation"), max_length=100, blank=True)
    transport = models.CharField(_("envoi par"), max_length=10, choices=Transport.choices, default=Transport.SMTP)
    esp_api_key_env = models.CharField(_("variable d'environnement de la clé d'API"), max_length=100, blank=True)
    esp_secret_key_env = models.CharField(
        _("variable d'environnement de la clé secrète (Mailjet)"), max_length=100, blank=True)
    imap_folder = models.CharField(_("dossier IMAP lu"), max_length=100, default="INBOX")
    imap_uidvalidity = models.BigIntegerField(null=True, blank=True)
    imap_last_uid = models.BigIntegerField(default=0)
    imap_checked_at = models.DateTimeField(null=True, blank=True)
    imap_error = models.CharField(max_length=500, blank=True)
    daily_cap = models.PositiveIntegerField(_("envois par jour au plus"), default=40)
    send_from_hour = models.PositiveSmallIntegerField(_("pas avant (heure)"), default=9)
    send_until_hour = models.PositiveSmallIntegerField(_("pas après (heure)"), default=18)
    send_weekends = models.BooleanField(_("envoyer le week-end"), default=False)
    signature = models.TextField(_("signature"), blank=True)

    class Meta:
        verbose_name = _("réglages d'envoi")

    def __str__(self) -> str:
        return f"{self.from_name} <{self.from_address}>"

    @staticmethod
    def secret(variable: str) -> str:
        return os.environ.get(variable, "") if variable else ""


class TemplateKind(models.TextChoices):
    PITCH = "pitch", _("Premier contact")
    NO_ANSWER = "no_answer", _("Relance sans réponse")
    NO_ARTICLE = "no_article", _("Relance après réception, sans article")


class Template(models.Model):
    """One mail of an operation's sequence. A follow-up's delay counts from the pitch
    (`no_answer`) or from the confirmed receipt (`no_article`)."""

    operation = models.ForeignKey("campaigns.Operation", on_delete=models.CASCADE, related_name="templates")
    kind = models.CharField(_("usage"), max_length=20, choices=TemplateKind.choices)
    subject = models.CharField(_("objet"), max_length=300)
    body_text = models.TextField(_("texte"))
    body_html = models.TextField(_("HTML (facultatif)"), blank=True)
    delay_days = models.PositiveSmallIntegerField(_("délai (jours ouvrés)"), default=0)
    note_required = models.BooleanField(_("note personnelle obligatoire"), default=True)

    class Meta:
        verbose_name = _("modèle de mail")
        constraints = [models.UniqueConstraint(fields=["operation", "kind"], name="template_unique_kind")]

    def __str__(self) -> str:
        return f"{self.operation} · {self.get_kind_display()}"


class MessageStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    QUEUED = "queued", _("À envoyer")
    SENDING = "sending", _("En cours d'envoi")
    UNCERTAIN = "uncertain", _("À vérifier")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec")
    CANCELLED = "cancelled", _("Retenu")
    RECEIVED = "received", _("Reçu")


class Direction(models.TextChoices):
    OUTBOUND = "out", _("Envoyé")
    INBOUND = "in", _("Reçu")


class MessageKind(models.TextChoices):
    PITCH = "pitch", _("Premier contact")
    FOLLOW_UP = "follow_up", _("Relance")
    ANSWER = "answer", _("Réponse de l'agence")
    SHIPMENT = "shipment", _("Avis d'expédition")
    REPLY = "reply", _("Réponse")
    AUTO_REPLY = "auto_reply", _("Réponse automatique")
    BOUNCE = "bounce", _("Non distribué")
    OTHER = "other", _("Autre")


class MessageQuerySet(models.QuerySet):
    def for_membership(self, membership):
        # Scoped like every other queryset: a client viewer reaches only its client's operations.
        from ambassade.campaigns.models import Operation

        return self.filter(placement__operation__in=Operation.objects.for_membership(membership))

    def pending(self):
        return self.filter(direction=Direction.OUTBOUND, status__in=[MessageStatus.DRAFT, MessageStatus.QUEUED])

    def cancel_pending(self, placement, reason: str) -> int:
        """Hold back every mail not yet sent to this placement, saying why."""
        return self.filter(placement=placement).pending().update(status=MessageStatus.CANCELLED, error=reason)

    def record_word_from_blogger(self, placement, subject: str, text: str, address: str = ""):
        """Something the blogger said outside a mail (their page, a parcel link): it reaches the CM like
        a reply, in the "à répondre" list and on the placement's conversation."""
        from django.utils import timezone

        return self.create(placement=placement, organisation_id=placement.operation.organisation_id,
                           direction=Direction.INBOUND, kind=MessageKind.REPLY, status=MessageStatus.RECEIVED,
                           received_at=timezone.now(), from_address=address[:320], subject=subject[:300],
                           body_text=text)

    def to_answer(self):
        """Replies from bloggers nobody at the agency has dealt with yet.

        Dealt with: answered from the conversation, or overtaken by what the agency did since
        (the card moved by a person — accepted, shipped… — or the article found): a reply from three
        weeks ago on a published placement is not waiting for anyone.
        """
        from ambassade.campaigns.models import ActorKind, PlacementEvent
        from ambassade.campaigns.status import Status

        past_the_reply = [Status.ACCEPTED, Status.DECLINED, Status.SHIPPED, Status.RECEIVED, Status.PUBLISHED,
                          Status.NOT_PUBLISHED, Status.OPTED_OUT]
        overtaken = PlacementEvent.objects.filter(
            models.Q(actor__in=[ActorKind.PERSON, ActorKind.ARTICLE]) | models.Q(to_status=Status.PUBLISHED),
            to_status__in=past_the_reply, placement=models.OuterRef("placement"),
            at__gt=models.OuterRef("received_at"))
        return self.filter(direction=Direction.INBOUND, kind=MessageKind.REPLY, answered_at__isnull=True).exclude(
            models.Exists(overtaken))


class Message(models.Model):
    placement = models.ForeignKey(
        "campaigns.Placement", on_delete=models.CASCADE, related_name="messages", null=True, blank=True
    )
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, null=True,
                                     related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices, default=Direction.OUTBOUND)
    kind = models.CharField(max_length=20, choices=MessageKind.choices, default=MessageKind.PITCH)
    step = models.CharField(max_length=20, blank=True, help_text=_("l'étape de la séquence (une seule fois chacune)"))
    status = models.CharField(
        max_length=20, choices=MessageStatus.choices, default=MessageStatus.DRAFT, db_index=True
    )
    # Sent exactly once: the sender claims the row by this key before talking SMTP.
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message_id = models.CharField(max_length=300, blank=True, db_index=True)
    in_reply_to = models.CharField(max_length=300, blank=True)
    references = models.TextField(blank=True)
    from_address = models.CharField(_("expéditeur"), max_length=320, blank=True)
    to_address = models.EmailField(_("destinataire"), max_length=254, blank=True)
    subject = models.CharField(_("objet"), max_length=300)
    body_text = models.TextField(_("texte"))
    body_html = models.TextField(_("HTML"), blank=True)
    send_after = models.DateTimeField(null=True, blank=True, db_index=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    handed_at = models.DateTimeField(null=True, blank=True, help_text=_("donné au serveur SMTP"))
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True, help_text=_("traité par l'agence"))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    error = models.TextField(blank=True, help_text=_("pourquoi il est retenu, ou ce qui n'a pas marché"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "send_after"]),
                   models.Index(fields=["direction", "kind", "answered_at"])]

    def __str__(self) -> str:
        return self.subject
