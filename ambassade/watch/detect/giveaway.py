"""Is the post a giveaway (concours), and until when?

Strong cues stand alone ("tirage au sort", "jeu concours"); "concours"
needs a participation word nearby, and idioms are not giveaways:
"un concours de circonstances", "hors concours", "il y a tout à gagner".
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .normalize import Folded

STRONG = [
    r"jeu concours", r"\bgiveaway\b", r"tirage au sort", r"#concours\w*", r"#giveaway\w*",
    r"pour (?:tenter de )?(?:participer|gagner)", r"(?:je vous|vous) fai[st] gagner", r"vous fait gagner",
    r"a remporter\b", r"a gagner\s*:",
    r"(?:lots?|coffrets?|exemplaires?|box|places?|invitations?|bons? d'achat|produits?) [^.!?]{0,30}a gagner",
    r"a gagner [^.!?]{0,12}\b(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|\d+) "
    r"(?:lots?|coffrets?|exemplaires?|box|places?|produits?|\w+)",
    r"le (?:ou la )?gagnante? (?:sera|seront)",
]
_STRONG = re.compile("|".join(f"(?:{p})" for p in STRONG))  # one scan, leftmost match first
WEAK = re.compile(r"\bconcours\b")
IDIOMS = re.compile(
    r"concours (?:de circonstances?|d'entree|de la fonction publique|general|de beaute|hippique|de chant"
    r"|de cuisine televise|d'eloquence)|hors concours|passer (?:un|le) concours|reussi (?:mon|le) concours"
)
PARTICIPATION = re.compile(r"particip\w*|gagn\w*|lots?\b|tirage|remport\w*|commentaire|reglement")

MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}
_MONTH = "|".join(MONTHS)
_DEADLINE_WORDS = r"(?:jusqu'au|jusqu'a|avant le|au plus tard le|fin le|se termine le|termine le|clos le|cloture le|tirage(?: au sort)? le|fin du concours\s*:?|date limite\s*:?)"
_TEXT_DATE = re.compile(rf"(?:(?P<lead>{_DEADLINE_WORDS})\s*)?(?:\w+ )?(?P<day>\d{{1,2}})(?:er)? (?P<month>{_MONTH})(?: (?P<year>\d{{4}}))?")
_NUM_DATE = re.compile(rf"(?:(?P<lead>{_DEADLINE_WORDS})\s*)?(?P<day>\d{{1,2}})/(?P<month>\d{{1,2}})(?:/(?P<year>\d{{2,4}}))?")


@dataclass(frozen=True)
class Giveaway:
    present: bool
    cue: str | None
    deadline: date | None


def _cue(folded: Folded, start: int, end: int) -> str:
    begin, finish = folded.original_span(start, end)
    return folded.original[begin:finish].strip(" .:;,")


def detect_giveaway(folded: Folded, published: date | None = None) -> Giveaway:
    text = folded.text
    idioms = [m.span() for m in IDIOMS.finditer(text)]

    def in_idiom(position: int) -> bool:
        return any(a <= position < b for a, b in idioms)

    found = None
    for match in _STRONG.finditer(text):
        if not in_idiom(match.start()):
            found = match
            break
    if found is None:
        for match in WEAK.finditer(text):
            if in_idiom(match.start()):
                continue
            window = text[max(0, match.start() - 120): match.end() + 160]
            if PARTICIPATION.search(window):
                found = match
                break
    if found is None:
        return Giveaway(False, None, None)
    return Giveaway(True, _cue(folded, found.start(), found.end()), _deadline(text, found.start(), published))


def _deadline(text: str, cue_at: int, published: date | None) -> date | None:
    """The date announced as the end of the giveaway: after a deadline word, else the first after the cue."""
    region = text[max(0, cue_at - 200): cue_at + 600]
    candidates = []
    for regex, numeric in ((_TEXT_DATE, False), (_NUM_DATE, True)):
        for m in regex.finditer(region):
            day = int(m.group("day"))
            month = int(m.group("month")) if numeric else MONTHS[m.group("month")]
            year = m.group("year")
            parsed = _make_date(day, month, int(year) if year else None, published)
            if parsed:
                candidates.append((0 if m.group("lead") else 1, m.start(), parsed))
    if not candidates:
        return None
    candidates.sort()
    return candidates[0][2]


def _make_date(day: int, month: int, year: int | None, published: date | None) -> date | None:
    if year is not None and year < 100:
        year += 2000
    reference = published or date.today()
    try:
        if year is None:
            guess = date(reference.year, month, day)
            # A giveaway ends after it is announced: "le 5 janvier" written in December is next year.
            if guess < reference - timedelta(days=7):
                guess = date(reference.year + 1, month, day)
            return guess
        return date(year, month, day)
    except ValueError:
        return None
