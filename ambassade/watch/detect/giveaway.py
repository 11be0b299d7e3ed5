"""Is the post a giveaway (concours), and until when?

Strong cues stand alone ("tirage au sort", "jeu concours"); "concours"
needs a participation word nearby, and idioms are not giveaways:
"un concours de circonstances", "hors concours", "il y a tout à gagner".
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ambassade.lib.folding import Folded

STRONG = [
    r"jeu concours", r"\bgiveaway\b", r"tirage au sort", r"#concours\w*", r"#giveaway\w*",
    r"pour (?:tenter de )?(?:participer|gagner)", r"(?:je vous|vous) fai[st] gagner", r"\bvous faire gagner", r"vous fait gagner",
    r"a remporter\b", r"a gagner\s*:",
    r"(?:lots?|coffrets?|exemplaires?|box|places?|invitations?|bons? d'achat|produits?) [^.!?]{0,30}a gagner",
    r"a gagner [^.!?]{0,12}\b(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|\d+) "
    r"(?:lots?|coffrets?|exemplaires?|box|places?|produits?|\w+)",
    r"le (?:ou la )?gagnante? (?:sera|seront)",
    # Real posts: the author offers, the reader is called to play.
    r"j'offre (?:\w+ ){0,2}(?:exemplaires?|lots?|coffrets?|places?|invitations?|livres?|box)",
    r"\bgagnez (?:un|une|des|deux|trois|quatre|cinq|\d+)\b", r"d'entre vous (?:de |pour )?(?:gagner|remporter)", r"\bet gagne (?:un|une|des)\b",
    r"chance (?:sur \w+ )?de (?:remporter|gagner)", r"(?:participez|jouez) (?:au|a ce|a mon|en)",
]
_STRONG = re.compile("|".join(f"(?:{p})" for p in STRONG))  # one scan, leftmost match first
# "aux concours", "les concours": contests in general, not this post's.
WEAK = re.compile(r"(?<!\baux )(?<!\bles )(?<!\bdes )(?<!\bmes )(?<!\bces )\bconcours\b")
IDIOMS = re.compile(
    r"concours (?:de circonstances?|d'entree|de la fonction publique|general|de beaute|hippique|de chant"
    r"|de cuisine televise|d'eloquence)|hors concours|passer (?:un|le) concours|reussi (?:mon|le) concours"
)
# "concours" alone needs the reader called to play nearby (real posts mention
# contests they entered, watched or read about far more often than they run one).
PARTICIPATION = re.compile(
    r"participez|pour participer|laissez|commentez|tentez|jouez|inscrivez|vous (?:pouvez|devez|avez jusqu)"
    r"|tirage au sort (?!a l)|a gagner|a remporter|reglement|je vous fais|vous fait gagner"
)
# A post announcing a finished giveaway's winners is no giveaway, unless it opens another.
RESULTS = re.compile(r"resultats? du (?:concours|tirage|giveaway)|(?:le|la|les) gagnante?s? (?:est|sont)\b|et (?:le|la) gagnante? est"
                     r"|heureux gagnants|felicitations aux gagnant")
OPEN_CALL = re.compile(r"pour participer|participez|laissez (?:un|moi un|votre) commentaire|vous avez jusqu")
# The sentence around a cue says this post runs no open giveaway: the author won or
# entered someone else's, talks about giveaways in general, or announces results.
NOT_OURS = re.compile(
    r"\bj'ai (?:\w+ )?(?:gagne|participe|remporte)|\bje (?:ne )?participe|tenter ma chance|\bles (?:jeux )?concours\b"
    r"|concours (?:chez|organise par|de recettes|pour (?:les )?blogueu)|gagnante? (?:est|sont)|(?:heureux|heureuses) gagnant"
    r"|resultats?|felicitations|annonce (?:le nom|les gagn)|\bil y a parfois|gagne\w* (?:du temps|de l'argent|de la place|en (?:confort|temps|qualite|efficacite|autonomie|place|souplesse))"
    r"|j'ai (?:\w+ )?commence a gagner|mes gains|bulletin|\bparfois\b|\bsouvent\b"
)

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


def _not_ours(text: str, start: int, end: int) -> bool:
    left = max(text.rfind(c, 0, start) for c in ".!?\n")
    rights = [i for i in (text.find(c, end) for c in ".!?\n") if i >= 0]
    sentence = text[left + 1: min(rights) if rights else len(text)]
    return bool(NOT_OURS.search(sentence))


def detect_giveaway(folded: Folded, published: date | None = None) -> Giveaway:
    text = folded.text
    idioms = [m.span() for m in IDIOMS.finditer(text)]

    def in_idiom(position: int) -> bool:
        return any(a <= position < b for a, b in idioms)

    found = None
    for match in _STRONG.finditer(text):
        if not in_idiom(match.start()) and not _not_ours(text, match.start(), match.end()):
            found = match
            break
    if found is None:
        for match in WEAK.finditer(text):
            if in_idiom(match.start()) or _not_ours(text, match.start(), match.end()):
                continue
            window = text[max(0, match.start() - 120): match.end() + 160]
            if PARTICIPATION.search(window):
                found = match
                break
    if found is None or (RESULTS.search(text) and not OPEN_CALL.search(text)):
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
