"""Reading what arrives in the mailbox: replies, auto-replies, bounces. Pure.

Never a crash and never a lost message: whatever the MIME, the charset or the
size, `parse` returns an InboundMail, with what it could not read listed in
`problems` so it shows on the message.

Headers are bounded *before* the standard library sees them: its parsing of
RFC 2047 encoded words is quadratic (4,000 words in a Subject took 225 MiB,
50,000 took the worker to 23 GB and the kernel killed it). Every text field
leaves here cleaned of NUL and control characters (PostgreSQL refuses NUL).
"""

import re
from dataclasses import dataclass, field, fields
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime

from lxml import html as lxml_html

from ambassade.lib.clean import clean_data

TEXT_CAP = 100_000  # characters of reply text kept
HEADER_BYTES = 8_000  # one header field, folded lines included
HEADERS_BYTES = 128_000  # the whole header block
ENCODED_WORDS = 100  # RFC 2047 encoded words in one header field
_ENCODED_WORD = re.compile(rb"=\?[^?\s]*\?[bqBQ]\?[^?\s]*\?=")
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_AUTO_SUBJECTS = re.compile(
    r"^\s*(r[ée]ponse automatique|automatic reply|auto(matic)?[- ]?reply|absence|absent(e)? du bureau|"
    r"out of (the )?office|je suis absente?|message d'absence|autoreply|vacances|away from)", re.IGNORECASE)
_QUOTE_HEADERS = re.compile(
    r"^(le .{3,120}(a|à) [ée]crit ?:|on .{3,200}wrote:|-{2,} ?(original message|message d'origine|"
    r"message original|forwarded message) ?-{2,}|de ?: .+|from: .+|envoy[ée] ?: .+|sent: .+)\s*$",
    re.IGNORECASE)


@dataclass
class InboundMail:
    message_id: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    from_address: str = ""
    to_addresses: list[str] = field(default_factory=list)
    subject: str = ""
    date: object = None
    kind: str = "reply"  # reply | auto_reply | bounce
    text: str = ""
    bounced: list[str] = field(default_factory=list)  # failed recipients
    hard_bounce: bool = False
    bounce_status: str = ""
    problems: list[str] = field(default_factory=list)


def _ids(value: str) -> list[str]:
    return re.findall(r"<[^<>\s]+>", value or "")


def _header(message, name: str, problems: list[str]) -> str:
    try:
        value = message.get(name)
        return str(value).strip() if value is not None else ""
    except Exception as error:  # a malformed header is shown, not fatal
        problems.append(f"en-tête {name} illisible ({error.__class__.__name__})")
        return ""


def bound_headers(raw: bytes, problems: list[str]) -> bytes:
    """`raw` with each header field cut to HEADER_BYTES and ENCODED_WORDS, and the header
    block to HEADERS_BYTES: what is cut is named in `problems`, the body is untouched."""
    end = _HEADER_END.search(raw)
    head, body = (raw[:end.start()], raw[end.start():]) if end else (raw, b"")
    if len(head) <= HEADER_BYTES and head.count(b"=?") <= ENCODED_WORDS:
        return raw  # the common case: nothing to bound
    fields_: list[list[bytes]] = []
    for line in head.splitlines(keepends=True):
        if line[:1] in (b" ", b"\t") and fields_:
            fields_[-1].append(line)  # a folded continuation of the field above
        else:
            fields_.append([line])
    kept, total = [], 0
    for lines in fields_:
        text = b"".join(lines)
        name = text.split(b":", 1)[0][:40].decode("ascii", "replace").strip()
        cut = False
        if len(text) > HEADER_BYTES:
            text, cut = text[:HEADER_BYTES], True
        words = list(_ENCODED_WORD.finditer(text, 0)) if text.count(b"=?") > ENCODED_WORDS else []
        if len(words) > ENCODED_WORDS:
            text, cut = text[:words[ENCODED_WORDS - 1].end()], True
        if cut:
            problems.append(f"en-tête {name} trop long : tronqué")
            text = text.rstrip(b"\r\n") + b"\n"
        if total + len(text) > HEADERS_BYTES:
            problems.append("en-têtes trop nombreux : la fin a été ignorée")
            break
        total += len(text)
        kept.append(text)
    head = b"".join(kept).rstrip(b"\r\n")
    return head + (body or b"\n\n")


def parse(raw: bytes, truncated: bool = False) -> InboundMail:
    mail = _parse(raw, truncated)
    for name in (f.name for f in fields(mail)):  # the border: nothing unclean reaches a model
        setattr(mail, name, clean_data(getattr(mail, name)))
    return mail


def _parse(raw: bytes, truncated: bool) -> InboundMail:
    mail = InboundMail()
    if truncated:
        mail.problems.append("message trop gros : seul le début a été lu, les pièces jointes sont ignorées")
    raw = bound_headers(raw, mail.problems)
    try:
        message = message_from_bytes(raw, policy=policy.default)
    except Exception as error:
        mail.problems.append(f"message illisible ({error.__class__.__name__})")
        mail.text = raw[:TEXT_CAP].decode("utf-8", "replace")
        return mail
    p = mail.problems
    mail.message_id = (_ids(_header(message, "Message-ID", p)) or [""])[0]
    mail.in_reply_to = (_ids(_header(message, "In-Reply-To", p)) or [""])[0]
    mail.references = _ids(_header(message, "References", p))
    senders = getaddresses([_header(message, "From", p)])
    mail.from_address = senders[0][1].strip().lower() if senders else ""
    # No empty values: getaddresses() gives up on the whole list when one is empty.
    recipients = [v for v in (_header(message, h, p) for h in ("To", "Cc", "Delivered-To", "X-Original-To")) if v]
    mail.to_addresses = [a.strip().lower() for _, a in getaddresses(recipients) if a]
    mail.subject = _header(message, "Subject", p)[:300]
    try:
        mail.date = parsedate_to_datetime(_header(message, "Date", p)) if message.get("Date") else None
    except (TypeError, ValueError):
        mail.date = None
    if message.defects:
        p.append("MIME mal formé : " + ", ".join(sorted({d.__class__.__name__ for d in message.defects}))[:200])
    if _is_bounce(message, mail.from_address):
        mail.kind = "bounce"
        _read_dsn(message, mail)
    elif _is_auto_reply(message, mail.subject):
        mail.kind = "auto_reply"
    text = _body_text(message, p)
    if not text.strip() and message.defects:  # broken MIME: the words are still in the raw body
        body = raw.split(b"\n\n", 1)[-1].decode("utf-8", "replace")
        text = "\n".join(line for line in body.splitlines()
                         if not line.startswith("--") and not re.match(r"^[\w-]+: ", line))
    mail.text = strip_quoted(text)[:TEXT_CAP]
    return mail


def _is_bounce(message, sender: str) -> bool:
    if message.get_content_type() == "multipart/report" and \
            (message.get_param("report-type") or "").lower() == "delivery-status":
        return True
    local = sender.split("@")[0]
    return local in ("mailer-daemon", "postmaster") and bool(re.search(
        r"(undeliver|delivery status|non remis|failure|returned mail|échec de la remise)",
        str(message.get("Subject", "")), re.IGNORECASE))


def _read_dsn(message, mail: InboundMail) -> None:
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        payload = part.get_payload()
        blocks = payload if isinstance(payload, list) else []
        if not blocks:  # some parsers leave the DSN as text
            text = part.get_payload(decode=True) or b""
            blocks = [message_from_bytes(b, policy=policy.default) for b in text.split(b"\n\n") if b.strip()]
        for block in blocks:
            recipient = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
            status = str(block.get("Status") or "").strip()
            action = str(block.get("Action") or "").strip().lower()
            if recipient:
                address = recipient.split(";")[-1].strip().lower()
                if address:
                    mail.bounced.append(address)
            if status:
                mail.bounce_status = status
                mail.hard_bounce = mail.hard_bounce or status.startswith("5") or action == "failed" and not status.startswith("4")
    if not mail.bounced:  # no machine-readable part: look for an address in the text
        text = _body_text(message, mail.problems)
        found = re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text)
        mail.bounced = [a.lower() for a in found[:1]]
        mail.hard_bounce = bool(re.search(r"\b5\.\d\.\d+\b|user unknown|n'existe pas|does not exist", text, re.I))


def _is_auto_reply(message, subject: str) -> bool:
    auto = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto and auto != "no":
        return True
    if message.get("X-Autoreply") or message.get("X-Autorespond") or message.get("X-Auto-Response-Suppress"):
        return True
    if str(message.get("Precedence", "")).strip().lower() in ("bulk", "auto_reply", "junk", "list"):
        return True
    return bool(_AUTO_SUBJECTS.search(subject))


def _body_text(message: EmailMessage, problems: list[str]) -> str:
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        part = None
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AssertionError):  # unknown or lying charset
        raw = part.get_payload(decode=True) or b""
        problems.append(f"jeu de caractères illisible ({part.get_content_charset()}) : lu en UTF-8 approché")
        content = raw.decode("utf-8", "replace")
    if not isinstance(content, str):
        return ""
    if "\ufffd" in content:  # a declared charset that lies: French mail is then almost always Windows-1252
        raw = part.get_payload(decode=True) or b""
        try:
            content = raw.decode("cp1252")
            problems.append(f"jeu de caractères annoncé faux ({part.get_content_charset()}) : lu en Windows-1252")
        except UnicodeDecodeError:
            pass
    if part.get_content_type() == "text/html":
        return html_to_text(content)
    return content


def html_to_text(html: str) -> str:
    if not html.strip():
        return ""
    try:
        root = lxml_html.fromstring(html)
    except Exception:
        return re.sub(r"<[^>]+>", " ", html)
    for quote in root.xpath("//blockquote|//*[contains(@class,'gmail_quote')]|//*[@id='divRplyFwdMsg']"):
        quote.drop_tree()
    for br in root.xpath("//br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.xpath("//p|//div|//li|//tr|//h1|//h2|//h3"):
        block.tail = "\n" + (block.tail or "")
    return re.sub(r"\n{3,}", "\n\n", root.text_content()).strip()


def strip_quoted(text: str) -> str:
    """The reply without the history it quotes ('> …', 'Le … a écrit :', an Outlook header block)."""
    kept = []
    for line in text.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        if _QUOTE_HEADERS.match(stripped) and kept:
            break
        if stripped.startswith(">"):
            continue
        kept.append(line.rstrip())
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept).strip()
