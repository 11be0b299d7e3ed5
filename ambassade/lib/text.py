"""French-aware normalisation of the identifiers we merge on: blog URLs and e-mail addresses."""

import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that never identify a page: campaign tracking and the like.
_TRACKING_PREFIXES = ("utm_", "fbclid", "gclid", "mc_", "xtor")


class InvalidURL(ValueError):
    pass


def normalize_blog_url(raw: str) -> str:
    """The key two spellings of one blog share: `http://www.Blog.fr/` == `blog.fr`.

    Scheme, `www.`, default ports, trailing slashes, fragments and tracking
    parameters are dropped; the host is lower-cased and IDNA-encoded.
    """
    text = (raw or "").strip()
    if not text:
        raise InvalidURL("adresse du blog vide")
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidURL(f"protocole non pris en charge : {parts.scheme}")
    host = (parts.hostname or "").rstrip(".")
    if not host or " " in host or "." not in host and host != "localhost":
        raise InvalidURL(f"adresse de blog invalide : {raw!r}")
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise InvalidURL(f"nom de domaine invalide : {raw!r}") from None
    if host.startswith("www."):
        host = host[4:]
    try:
        port = parts.port
    except ValueError:
        raise InvalidURL(f"port invalide : {raw!r}") from None
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query) if not k.lower().startswith(_TRACKING_PREFIXES)]
    )
    return urlunsplit(("", host, path, query, "")).lstrip("/")


def normalize_email(raw: str) -> str:
    """Lower-cased, trimmed, domain IDNA-encoded. Validation is the caller's (EmailValidator)."""
    text = unicodedata.normalize("NFC", (raw or "").strip()).strip("<>").strip()
    local, sep, domain = text.rpartition("@")
    if not sep:
        return text.lower()
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    return f"{local}@{domain}".lower()


def split_terms(raw: str) -> list[str]:
    """'beauté, mode ; cuisine' -> ['beauté', 'mode', 'cuisine'] (order kept, duplicates dropped)."""
    seen: dict[str, None] = {}
    for chunk in (raw or "").replace(";", ",").replace("|", ",").split(","):
        term = " ".join(chunk.split()).strip()
        if term and term.casefold() not in {k.casefold() for k in seen}:
            seen[term] = None
    return list(seen)
