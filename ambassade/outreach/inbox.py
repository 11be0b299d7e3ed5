"""Reading the organisation's mailbox: each new mail is matched, classified and acted on once.

Matching, most certain first: the In-Reply-To/References headers against our
own Message-IDs, then the signed token in the plus-address we gave as Reply-To,
then the sender's address against the bloggers we wrote to. A reply moves the
placement to "a répondu", holds back the follow-ups and waits in the CM's
"à répondre" list; an auto-reply or a bounce never counts as a reply, and a
hard bounce marks the address invalid. The last UID read is saved after each
mail, so a crash neither loses nor doubles one.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from imapclient import IMAPClient

from ambassade.blogs.models import Blogger, BloggerEmail
from ambassade.campaigns.models import ActorKind
from ambassade.campaigns.status import Status, can_move
from ambassade.lib.clean import clean_text
from ambassade.lib.signing import read_reply_token
from ambassade.logistics import ledger

from . import oauth
from .links import scrub
from .mailparse import TEXT_CAP, InboundMail, parse
from .models import Auth, Direction, MailSettings, Message, MessageKind, MessageStatus, Security

REPLY_RECEIVED = "réponse reçue"


@dataclass
class PollReport:
    read: int = 0
    replies: int = 0
    auto_replies: int = 0
    bounces: int = 0
    unmatched: int = 0
    problems: list[str] = field(default_factory=list)


def poll(sender: MailSettings, now=None) -> PollReport:
    """Read the new mails of one organisation's mailbox."""
    now = now or timezone.now()
    report = PollReport()
    try:
        # The token is asked for before connecting: a refusal is recorded like any other mailbox fault.
        password = (oauth.access_token(sender) if sender.auth == Auth.OAUTH2
                    else MailSettings.secret(sender.imap_password_env))
    except oauth.OAuthError as error:
        _record(sender, now, str(error)[:500])
        raise
    try:
        client = IMAPClient(sender.imap_host, port=sender.imap_port, ssl=sender.imap_security == Security.SSL,
                            timeout=settings.OUTREACH_TIMEOUT)
    except OSError as error:
        _record(sender, now, f"serveur IMAP injoignable : {error}")
        raise
    try:
        if sender.imap_security == Security.STARTTLS:
            client.starttls()
        if sender.auth == Auth.OAUTH2:
            try:
                client.oauth2_login(sender.imap_username, password)
            except IMAPClient.Error:
                oauth.forget_token(sender)  # revoked before its end: the next pass asks for a new one
                raise
        else:
            client.login(sender.imap_username, password)
        folder = client.select_folder(sender.imap_folder, readonly=True)
        validity = int(folder.get(b"UIDVALIDITY", 0))
        if sender.imap_uidvalidity != validity:  # the mailbox was rebuilt: UIDs mean something else now
            sender.imap_uidvalidity, sender.imap_last_uid = validity, 0
        uids = [u for u in client.search(["UID", f"{sender.imap_last_uid + 1}:*"]) if u > sender.imap_last_uid]
        cap = settings.OUTREACH_MAX_INBOUND_BYTES
        sizes = client.fetch(uids, ["RFC822.SIZE"]) if uids else {}
        for uid in sorted(uids):
            size = sizes.get(uid, {}).get(b"RFC822.SIZE", 0)
            part = f"BODY.PEEK[]<0.{cap}>" if size > cap else "BODY.PEEK[]"
            fetched = client.fetch([uid], [part]).get(uid, {})
            raw = next((v for k, v in fetched.items() if k.startswith(b"BODY[")), b"") or b""
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        receive(sender.organisation_id, raw, truncated=size > cap, report=report, now=now)
                except Exception as error:  # this mail's problem: set aside, and the mailbox moves on
                    set_aside(sender.organisation_id, raw, error, now)
                    report.problems.append(f"UID {uid} : {type(error).__name__}")
                sender.imap_last_uid = uid
                MailSettings.objects.filter(pk=sender.pk).update(imap_last_uid=uid, imap_uidvalidity=validity)
            report.read += 1
        _record(sender, now, "")
    except Exception as error:
        _record(sender, now, f"{error.__class__.__name__} : {error}"[:500])
        raise
    finally:
        try:
            client.logout()
        except Exception:  # the connection may already be gone; what happened is recorded above
            pass
    return report


def set_aside(organisation_id: int, raw: bytes, error: Exception, now) -> Message:
    """A mail that could not be recorded normally, kept with its problem for a person to read."""
    return Message.objects.create(
        organisation_id=organisation_id, direction=Direction.INBOUND, kind=MessageKind.REPLY,
        status=MessageStatus.RECEIVED, subject="(message mis de côté : illisible)",
        body_text=scrub(clean_text(raw[:TEXT_CAP].decode("utf-8", "replace"))), received_at=now,
        error=clean_text(f"mis de côté, à lire à la main : {type(error).__name__} : {error}")[:2000],
    )


def _record(sender: MailSettings, now, error: str) -> None:
    MailSettings.objects.filter(pk=sender.pk).update(imap_checked_at=now, imap_error=error)


def _match(organisation_id: int, mail: InboundMail) -> tuple[Message | None, str]:
    ours = Message.objects.filter(organisation_id=organisation_id, direction=Direction.OUTBOUND)
    ids = [i for i in [mail.in_reply_to, *reversed(mail.references)] if i]
    if ids:
        found = ours.filter(message_id__in=ids).order_by("-sent_at", "-id").first()
        if found:
            return found, "en-têtes"
    for address in mail.to_addresses:
        token = re.match(r"[^+@]+\+([^@]+)@", address)
        pk = read_reply_token(token.group(1)) if token else None
        if pk:
            found = ours.filter(pk=pk).first()
            if found:
                return found, "jeton"
    if mail.kind == "bounce" and mail.bounced:
        found = ours.filter(to_address__iexact=mail.bounced[0]).order_by("-sent_at", "-id").first()
        if found:
            return found, "adresse en échec"
    if mail.from_address:
        found = ours.filter(to_address__iexact=mail.from_address, status=MessageStatus.SENT).order_by(
            "-sent_at", "-id").first()
        if found:
            return found, "expéditeur"
    return None, ""


def receive(organisation_id: int, raw: bytes, *, truncated: bool = False, report: PollReport | None = None,
            now=None) -> Message | None:
    """Record one inbound mail and do what it means. Returns None if it was already recorded."""
    now = now or timezone.now()
    report = report or PollReport()
    mail = parse(raw, truncated=truncated)
    if mail.message_id and Message.objects.filter(organisation_id=organisation_id, direction=Direction.INBOUND,
                                                  message_id=mail.message_id).exists():
        return None
    original, _how = _match(organisation_id, mail)
    kind = {"bounce": MessageKind.BOUNCE, "auto_reply": MessageKind.AUTO_REPLY}.get(mail.kind, MessageKind.REPLY)
    notes = list(mail.problems)
    if original is None:
        notes.append("non rattaché à un envoi : à classer")
        report.unmatched += 1
    inbound = Message.objects.create(
        organisation_id=organisation_id, placement=original.placement if original else None,
        direction=Direction.INBOUND, kind=kind, status=MessageStatus.RECEIVED, message_id=mail.message_id[:300],
        in_reply_to=mail.in_reply_to[:300], references=" ".join(mail.references)[:5000],
        from_address=mail.from_address[:320], subject=mail.subject or "(sans objet)", body_text=scrub(mail.text),
        received_at=now, error=" ; ".join(notes)[:2000],
        # Auto-replies and bounces are information, not something to answer.
        answered_at=now if kind != MessageKind.REPLY else None,
    )
    if kind == MessageKind.BOUNCE:
        report.bounces += 1
        _bounce(organisation_id, mail, original)
    elif kind == MessageKind.AUTO_REPLY:
        report.auto_replies += 1
    elif original is not None and original.placement is not None:
        report.replies += 1
        # A word from the person: the retention period starts again from today.
        Blogger.objects.filter(emails__in=BloggerEmail.objects.for_address(organisation_id, mail.from_address)).update(
            last_heard_at=now)
        placement = original.placement
        if can_move(placement.status, Status.REPLIED) and placement.status in (Status.PITCHED, Status.NO_ANSWER):
            ledger.move(placement, Status.REPLIED, actor=ActorKind.REPLY, note=(mail.subject or "")[:200])
        Message.objects.cancel_pending(placement, REPLY_RECEIVED)
    # An unmatched reply stays in the "à répondre" list with its note, for a person to file.
    return inbound


def _bounce(organisation_id: int, mail: InboundMail, original: Message | None) -> None:
    addresses = mail.bounced or ([original.to_address] if original else [])
    if mail.hard_bounce:
        for address in addresses:
            BloggerEmail.objects.for_address(organisation_id, address).update(
                is_invalid=True)
    if original is not None:
        label = "adresse invalide" if mail.hard_bounce else "non distribué pour l'instant"
        Message.objects.filter(pk=original.pk).update(
            status=MessageStatus.FAILED if mail.hard_bounce else original.status,
            error=f"{label} ({mail.bounce_status or 'sans code'})")


def poll_all(now=None) -> dict:
    """Every organisation with a mailbox configured; one that fails does not stop the others."""
    totals = {"read": 0, "replies": 0, "errors": 0}
    for sender in MailSettings.objects.exclude(imap_host=""):
        try:
            report = poll(sender, now)
        except Exception:
            totals["errors"] += 1
            continue
        totals["read"] += report.read
        totals["replies"] += report.replies
    return totals
