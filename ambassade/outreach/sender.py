"""The outbox's sender: claim due mails with a lease, check them again, send one to one.

Exactly once: a row is claimed (status `sending`, a lease) before anything is
said to the SMTP server; `handed_at` is written and committed just before the
message is given to the server; `sent` is written after. A sender killed
before `handed_at` leaves a row whose lease runs out and that is sent again;
one killed after it leaves a row that is marked `uncertain` ("à vérifier") and
shown to the CM, never sent a second time behind their back.
"""

import random
import smtplib
import socket
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import formataddr, make_msgid

from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.blogs.models import BloggerEmail
from ambassade.campaigns.models import ActorKind
from ambassade.campaigns.status import Status, can_move
from ambassade.lib.signing import reply_token
from ambassade.logistics import ledger

from . import oauth
from .compose import mail_settings
from .guards import final_reason, wait_until
from .links import RECEIPT, fill, opt_out_url
from .models import (
    Auth,
    Direction,
    MailSettings,
    Message,
    MessageKind,
    MessageStatus,
    Security,
    Transport,
)

TEMPORARY = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, smtplib.SMTPHeloError, socket.timeout,
             ConnectionError, TimeoutError, OSError)


@dataclass
class SendReport:
    sent: int = 0
    held: int = 0
    waiting: int = 0
    retried: int = 0
    failed: int = 0
    uncertain: int = 0
    reasons: dict = field(default_factory=dict)


def recover(now=None) -> int:
    """Rows left in `sending` by a dead sender: back to the queue, or `uncertain` if they were handed over."""
    now = now or timezone.now()
    stale = Message.objects.filter(status=MessageStatus.SENDING, lease_until__lt=now)
    uncertain = stale.filter(handed_at__isnull=False).update(
        status=MessageStatus.UNCERTAIN, error="l'envoi a été interrompu après la remise au serveur SMTP : "
                                              "vérifiez dans la boîte d'envoi avant de renvoyer")
    stale.filter(handed_at__isnull=True).update(status=MessageStatus.QUEUED, claimed_by="", lease_until=None)
    return uncertain


def claim(owner: str, now, limit: int = 50) -> list[int]:
    lease = now + timedelta(seconds=settings.OUTREACH_LEASE_SECONDS)
    due = Q(status=MessageStatus.QUEUED, direction=Direction.OUTBOUND) & (Q(send_after__isnull=True)
                                                                          | Q(send_after__lte=now))
    with transaction.atomic():
        ids = list(Message.objects.filter(due).order_by("send_after", "id").values_list("id", flat=True)[:limit])
        # Conditional: a row another sender took in between is not taken twice.
        Message.objects.filter(due, id__in=ids).update(status=MessageStatus.SENDING, claimed_by=owner,
                                                       lease_until=lease)
    return list(Message.objects.filter(id__in=ids, claimed_by=owner, status=MessageStatus.SENDING)
                .values_list("id", flat=True))


def connection_for(sender: MailSettings):
    """The organisation's own mailer: its e-mail service provider, its SMTP server (by password or
    OAuth 2.0), or Django's default mailer when nothing is configured (the demo)."""
    if sender.pk and sender.transport in (Transport.BREVO, Transport.MAILJET):
        return esp_connection(sender)
    if not sender.pk or not sender.smtp_host:
        return mail.mailers.default
    password = MailSettings.secret(sender.smtp_password_env) or None
    if sender.auth == Auth.OAUTH2:
        password = oauth.access_token(sender)  # OAuthError: a clear, temporary failure for this pass
    # One mailer per organisation, built from its settings (Django's MAILERS are fixed at start-up).
    backend_class = oauth.XOAuth2Backend if sender.auth == Auth.OAUTH2 else SmtpBackend
    return backend_class(
        alias=f"organisation-{sender.organisation_id}", host=sender.smtp_host, port=sender.smtp_port,
        username=sender.smtp_username or None, password=password,
        use_tls=sender.smtp_security == Security.STARTTLS, use_ssl=sender.smtp_security == Security.SSL,
        timeout=settings.OUTREACH_TIMEOUT, fail_silently=False)


def esp_connection(sender: MailSettings):
    """Anymail's backend for the organisation's provider, its keys read from the environment. The
    API's address is the provider's own unless the deployment names another (a test server)."""
    from anymail.backends.brevo import EmailBackend as BrevoBackend
    from anymail.backends.mailjet import EmailBackend as MailjetBackend

    options = {"api_key": MailSettings.secret(sender.esp_api_key_env)}
    if not options["api_key"]:
        raise EspError(_("Clé d'API absente : la variable %(name)s n'est pas définie sur ce serveur.")
                       % {"name": sender.esp_api_key_env or "?"})
    if url := settings.ESP_API_URLS.get(sender.transport):
        options["api_url"] = url
    if sender.transport == Transport.MAILJET:
        options["secret_key"] = MailSettings.secret(sender.esp_secret_key_env)
        return MailjetBackend(fail_silently=False, **options)
    return BrevoBackend(fail_silently=False, **options)


def reply_address(sender: MailSettings, message: Message) -> str:
    """The sender's own address with the signed token as plus-detail: replies reach the same mailbox."""
    local, _, domain = sender.from_address.partition("@")
    return f"{local}+{reply_token(message.pk)}@{domain}"


def build(message: Message, sender: MailSettings) -> EmailMultiAlternatives:
    domain = sender.from_address.partition("@")[2] or "ambassade.local"
    if not message.message_id:
        message.message_id = make_msgid(idstring=str(message.idempotency_key)[:8], domain=domain)
    headers = {"Message-ID": message.message_id, "Reply-To": reply_address(sender, message)}
    if message.in_reply_to:
        headers["In-Reply-To"] = message.in_reply_to
        headers["References"] = message.references or message.in_reply_to
    address = BloggerEmail.objects.for_address(message.organisation_id, message.to_address).select_related("blogger").first()
    blogger = address.blogger if address else None
    shipment = (message.placement.shipments.order_by("-shipped_at").first()
                if message.placement_id and RECEIPT in message.body_text else None)
    if address:
        url = opt_out_url(address.blogger)
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058
    email = EmailMultiAlternatives(
        subject=message.subject, body=fill(message.body_text, blogger, shipment), from_email=formataddr((sender.from_name, sender.from_address)),
        to=[message.to_address], headers=headers)  # one recipient, never Cc or Bcc
    if message.body_html:
        email.attach_alternative(fill(message.body_html, blogger, shipment), "text/html")
    return email


def send_due(now=None, limit: int = 50) -> SendReport:
    """One pass: recover dead senders' rows, claim due mails, check each again, send."""
    now = now or timezone.now()
    report = SendReport()
    recover(now)
    owner = uuid.uuid4().hex
    ids = claim(owner, now, limit)
    connections = {}
    try:
        for message in Message.objects.filter(id__in=ids).select_related("placement", "placement__operation",
                                                                         "organisation"):
            _send_one(message, now, connections, report)
    finally:
        for connection in connections.values():
            try:
                connection.close()
            except Exception:  # closing a broken connection must not hide what happened
                pass
    return report


def _release(message: Message, **fields) -> None:
    fields.setdefault("claimed_by", "")
    fields.setdefault("lease_until", None)
    for name, value in fields.items():
        setattr(message, name, value)
    Message.objects.filter(pk=message.pk).update(**fields)


def _send_one(message: Message, now, connections: dict, report: SendReport) -> None:
    reason = final_reason(message)
    if reason:
        _release(message, status=MessageStatus.CANCELLED, error=reason)
        report.held += 1
        report.reasons[reason] = report.reasons.get(reason, 0) + 1
        return
    sender = mail_settings(message.organisation)
    later, why = wait_until(message, sender, now)
    if later:
        _release(message, status=MessageStatus.QUEUED, send_after=later, error=f"en attente : {why}")
        report.waiting += 1
        return
    try:
        connection = connections.get(message.organisation_id)
        if connection is None:
            connection = connections[message.organisation_id] = connection_for(sender)
            connection.open()
        email = build(message, sender)
        Message.objects.filter(pk=message.pk).update(message_id=message.message_id, handed_at=now)
        connection.send_messages([email])
    except oauth.OAuthError as error:  # nothing was handed over: the mail waits while the CM fixes the token
        return _retry(message, str(error), report, connections, now)
    except EspError as error:
        return _retry(message, str(error), report, connections, now)
    except AnymailRecipientsRefused:
        BloggerEmail.objects.for_address(message.organisation_id, message.to_address).update(is_invalid=True)
        _release(message, status=MessageStatus.FAILED, handed_at=None,
                 error=f"adresse refusée par le prestataire d'envoi ({sender.get_transport_display()})")
        report.failed += 1
        return
    except AnymailAPIError as error:
        status = getattr(error, "status_code", None)
        if status is None or status in (401, 403, 429) or status >= 500:  # unreachable, keys, rate, outage
            return _retry(message, f"prestataire d'envoi {sender.get_transport_display()} : "
                                   f"{_esp_reason(status)}", report, connections, now)
        _release(message, status=MessageStatus.FAILED, handed_at=None,
                 error=f"refusé par {sender.get_transport_display()} (HTTP {status}) : {str(error)[:200]}")
        report.failed += 1
        return
    except smtplib.SMTPAuthenticationError as error:
        # The mailbox refused our credentials: the mail is not at fault. A revoked access token is
        # dropped so the next pass asks the provider for a new one.
        if sender.auth == Auth.OAUTH2:
            oauth.forget_token(sender)
        return _retry(message, f"connexion refusée par le serveur SMTP ({error.smtp_code}) : vérifiez "
                               f"l'identifiant et le mot de passe ou le jeton OAuth", report, connections, now)
    except smtplib.SMTPRecipientsRefused as error:
        code = next(iter(error.recipients.values()), (0, b""))[0]
        if 400 <= code < 500:
            return _retry(message, f"refus temporaire du destinataire ({code})", report, connections, now)
        BloggerEmail.objects.for_address(message.organisation_id, message.to_address).update(is_invalid=True)
        _release(message, status=MessageStatus.FAILED, handed_at=None, error=f"adresse refusée par le serveur ({code})")
        report.failed += 1
        return
    except smtplib.SMTPResponseException as error:
        if 400 <= error.smtp_code < 500:
            return _retry(message, f"erreur temporaire SMTP {error.smtp_code}", report, connections, now)
        _release(message, status=MessageStatus.FAILED, handed_at=None,
                 error=f"refusé par le serveur SMTP ({error.smtp_code}) : {error.smtp_error[:200]!r}")
        report.failed += 1
        return
    except ValueError as error:  # Django refuses the address itself (e.g. a non-ASCII local part)
        _release(message, status=MessageStatus.FAILED, handed_at=None,
                 error=f"adresse impossible à utiliser ({message.to_address}) : {error}"[:500])
        report.failed += 1
        return
    except TEMPORARY as error:
        return _retry(message, f"serveur SMTP injoignable ({error.__class__.__name__})", report, connections, now)
    _release(message, status=MessageStatus.SENT, sent_at=now, attempts=message.attempts + 1, error="")
    report.sent += 1
    _after_send(message, now)


def _esp_reason(status: int | None) -> str:
    if status is None:
        return "injoignable"
    if status in (401, 403):
        return f"clé d'API refusée (HTTP {status})"
    if status == 429:
        return "trop d'envois à la fois (HTTP 429)"
    return f"panne du service (HTTP {status})"


class EspError(Exception):
    """The provider cannot be used as configured (a key missing from the environment)."""


def _retry(message: Message, error: str, report: SendReport, connections: dict, now) -> None:
    connections.pop(message.organisation_id, None)
    attempts = message.attempts + 1
    if attempts >= settings.OUTREACH_MAX_ATTEMPTS:
        _release(message, status=MessageStatus.FAILED, handed_at=None, attempts=attempts,
                 error=f"{error} ; abandon après {attempts} essais")
        report.failed += 1
        return
    delay = 60 * 2 ** attempts * random.uniform(0.8, 1.2)  # 2, 4, 8… minutes, with jitter
    _release(message, status=MessageStatus.QUEUED, handed_at=None, attempts=attempts,
             send_after=now + timedelta(seconds=delay), error=f"{error} ; nouvel essai prévu")
    report.retried += 1


def _after_send(message: Message, now) -> None:
    placement = message.placement
    if placement is not None and message.kind == MessageKind.PITCH and can_move(placement.status, Status.PITCHED):
        ledger.move(placement, Status.PITCHED, actor=ActorKind.RULE, note="premier mail envoyé", at=min(now, timezone.now()))
