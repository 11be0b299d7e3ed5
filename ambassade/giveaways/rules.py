"""Which entries are fair: each exclusion names its rule, so the CM and the certificate can show why.

Pure functions on the entries (no database): `judge` returns, for every entry the CM has not decided
on by hand, its status and rule. The order matters and is the règlement's: the blog's author first,
then timing, then spam, then one entry per person (the first fair one counts).
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

RULES = {
    "author": "Commentaire ou réponse de l'auteur du blog",
    "unconfirmed": "Adresse e-mail non confirmée",
    "early": "Avant l'ouverture du concours",
    "late": "Après la clôture du concours",
    "links": "Lien dans le commentaire (indésirable)",
    "spam_shape": "Forme connue d'indésirable",
    "gibberish": "Texte incompréhensible ou pas en français",
    "duplicate": "Une seule participation par personne",
    "near_duplicate": "Texte presque identique d'une même personne",
    "manual": "Décision de l'équipe",
}

_LINK = re.compile(r"https?://|www\.|\b[a-z0-9-]+\.(?:com|ru|cn|xyz|top|biz|info|io|net)\b", re.I)
_SPAM = re.compile(
    r"\b(?:casino|viagra|cialis|crypto|bitcoin|forex|loan|payday|porn|xxx|replica|seo services?|backlinks?|"
    r"cheap|buy now|click here|earn money|work from home|follow back|check out my|visit my)\b", re.I)
_REPEAT = re.compile(r"(.)\1{6,}")
# A few of the commonest French words: a comment of any length that uses none of them, and has more
# than a handful of words, is not written in French.
_FRENCH = set(
    "je j tu il elle on nous vous ils elles le la les l un une des du de d et ou mais donc car ni que qu qui "
    "ce c cette ces mon ma mes ton ta tes son sa ses notre votre leur est suis es sont ai as a ont avec pour "
    "par sur dans en au aux pas ne n plus tres bien merci bonjour bonsoir coucou super participe participer "
    "adore aime j'adore j'aime jolie joli belle beau top chance tente tenter partage oui non aussi tout tous".split()
)
_WORDS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
_VOWELS = set("aeiouy")


@dataclass
class Candidate:
    """What the rules read of an entry."""

    key: int  # the entry's id
    author_name: str
    author_url: str
    email: str
    text: str
    posted_at: object
    source: str = ""
    parent_id: str = ""
    by_blog_user: bool = False
    confirmed: bool = True
    decided: str = ""  # the CM's decision (valid | excluded), which the rules do not revisit


@dataclass
class Verdict:
    status: str  # valid | excluded
    rule: str = ""
    detail: str = ""


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def person_name(name: str) -> str:
    return " ".join(_WORDS.findall(fold(name)))


def site(url: str) -> str:
    try:
        parts = urlsplit(url.strip() if "//" in url else "//" + url.strip())
    except ValueError:
        return ""
    host = (parts.hostname or "").removeprefix("www.")
    return host + parts.path.rstrip("/") if host else ""


def person_key(c: Candidate) -> str:
    """One entry per person: the e-mail where known, else the name and site together."""
    if c.email.strip():
        return "mail:" + c.email.strip().lower()
    return f"name:{person_name(c.author_name)}|{site(c.author_url)}"


def spam(text: str) -> tuple[str, str] | None:
    if _LINK.search(text):
        return "links", _LINK.search(text).group(0)[:60]
    if _SPAM.search(text):
        return "spam_shape", _SPAM.search(text).group(0)[:60]
    if _REPEAT.search(text):
        return "spam_shape", "caractère répété"
    words = [w.casefold() for w in _WORDS.findall(fold(text))]
    if len(words) >= 6 and not any(w in _FRENCH for w in words):
        return "gibberish", "aucun mot français"
    voweless = [w for w in words if len(w) >= 7 and not _VOWELS & set(w)]
    if words and len(voweless) * 2 >= len(words):
        return "gibberish", "mots sans voyelles"
    return None


def _similar(a: str, b: str) -> bool:
    a, b = " ".join(_WORDS.findall(fold(a))), " ".join(_WORDS.findall(fold(b)))
    if len(a) < 15 or len(b) < 15:
        return False  # "je participe" twice from two people is two people
    return difflib.SequenceMatcher(None, a[:1000], b[:1000]).ratio() >= 0.9


def judge(candidates: list[Candidate], *, opens_at, closes_at, author_names: list[str],
          author_sites: list[str]) -> dict[int, Verdict]:
    authors = {person_name(n) for n in author_names if person_name(n)}
    author_sites_ = {site(s) for s in author_sites if site(s)}
    verdicts: dict[int, Verdict] = {}
    kept: dict[str, Candidate] = {}
    kept_by_name: dict[str, list[Candidate]] = {}
    for c in sorted(candidates, key=lambda c: (c.posted_at, c.key)):
        if c.decided:
            # Reinstated by the CM, it still holds its person's place: a later comment is the duplicate.
            if c.decided == "valid":
                kept.setdefault(person_key(c), c)
                kept_by_name.setdefault(person_name(c.author_name), []).append(c)
            verdicts[c.key] = Verdict(c.decided, "" if c.decided == "valid" else "manual")
            continue
        verdict = _first_rule(c, opens_at, closes_at, authors, author_sites_)
        if verdict is None:
            key = person_key(c)
            name = person_name(c.author_name)
            same_name = kept_by_name.get(name, [])
            # No site given on one side: the name alone identifies (as "Julie" twice, once with her blog).
            if key in kept or (not c.email and name and any(not c.author_url or not o.author_url
                                                            for o in same_name if not o.email)):
                verdict = Verdict("excluded", "duplicate", "déjà une participation de cette personne")
            elif any(_similar(c.text, other.text) for other in kept_by_name.get(name, []) +
                     [k for k in kept.values() if c.author_url and site(k.author_url) == site(c.author_url)]):
                verdict = Verdict("excluded", "near_duplicate", "même texte sous une autre identité")
            else:
                kept[key] = c
                kept_by_name.setdefault(name, []).append(c)
                verdict = Verdict("valid")
        verdicts[c.key] = verdict
    return verdicts


def _first_rule(c: Candidate, opens_at, closes_at, authors, author_sites) -> Verdict | None:
    if c.by_blog_user or (person_name(c.author_name) in authors) or (c.author_url and site(c.author_url)
                                                                     in author_sites):
        return Verdict("excluded", "author", "réponse du blog" if c.parent_id else "")
    if not c.confirmed:
        return Verdict("excluded", "unconfirmed")
    if c.posted_at < opens_at:
        return Verdict("excluded", "early")
    if c.posted_at >= closes_at:
        return Verdict("excluded", "late")
    found = spam(c.text)
    if found:
        return Verdict("excluded", found[0], found[1])
    return None
