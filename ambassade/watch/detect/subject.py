"""Is a post *about* a brand, or does it name it in passing? Evidence, weighed.

Real posts (ambassade/evaluation) name the subject once or twice, then say "cette
box", "ce sérum", "le produit"; they often have no blank lines, so "the first
paragraph" is the whole post and the opening is a bounded window instead. And the
*role* of a mention matters: tested, received, bought, invited to → the subject;
compared, rejected, cited as a source → in passing.

Each piece of evidence adds to a score; the post is about the brand from
SUBJECT_SCORE on. The weights keep the old rule's cases where they were (title, or
three mentions, or two with one in the opening) and add what real posts showed.
"""

import re

from ambassade.lib.folding import Folded, fold_term

from .french import FUNCTION_WORDS
from .lexicon import Hit

SUBJECT_SCORE = 3.0
OPENING = 1000  # characters of body that count as the post's opening (real posts start with boilerplate)
IN_TITLE, PER_MENTION, MAX_MENTIONS, IN_OPENING = 3.0, 1.0, 4, 2.0
ROLE_SUBJECT, ROLE_PASSING, ANAPHORA = 1.5, -2.0, 1.5

# The sentence of a mention says the author used, got or chose it.
_SUBJECT_ROLE = re.compile(
    r"\b(?:j'ai|je l'ai|je les ai|j'avais|nous avons|on a) (?:[\w']+ ){0,2}(?:teste|essaye|recu|achete|commande|choisi|adopte|opte"
    r"|decouvert|utilise|craque|deniche|gagne|porte|lu|visite)"
    r"|\bje (?:vous )?(?:presente|parle)|\bmon avis\b|\ben test\b|\bje teste\b|\binvitee?s? (?:par|chez)"
    r"|\bm'(?:a|ont|avait) (?:\w+ )?(?:envoye|offert|invite|contacte|propose)|\bpartenariat avec|\bmerci a"
)
# The sentence says it is compared, rejected or a source: "plus lumineux que celui du 300D",
# "supérieurs au BionX", "le successeur du D-LUX2", "comme ce fut le cas pour la Wii U",
# "le verdict d'Om Malik".
_PASSING_ROLE = re.compile(
    r"\b(?:contrairement|par rapport|plutot que|au lieu d|compare\w*|selon|d'apres|source|cite|n'ai pas (?:choisi|pris|achete)"
    r"|j'ai prefere|comme chez|a la place d|ancien|remplace|(?:plus|moins) \w+ que (?:celui|celle|ceux|le|la|les)"
    r"|superieure?s? (?:a|au|aux)|inferieure?s? (?:a|au|aux)|(?:successeur|predecesseur) (?:du|de|des|d)|concurrencer|concurrent\w*"
    r"|comme ce fut|rappel(?:le|ant)|le verdict d|l'avis d'|pour reprendre)\b"
)


def _anaphora(hits: list[Hit], text: str) -> int:
    """How often the text takes the name up again as "cette box", "ce sérum": a demonstrative
    and a word of the name itself (the brand "Glow Box" → "cette box")."""
    words = {w for h in hits for w in fold_term(h.term.text).split() if len(w) >= 3 and w not in FUNCTION_WORDS}
    if not words:
        return 0
    pattern = re.compile(r"\b(?:ce|cet|cette|ces) (?:" + "|".join(map(re.escape, sorted(words))) + r")s?\b")
    return len(pattern.findall(text))


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(c, 0, start) for c in ".!?\n")
    rights = [i for i in (text.find(c, end) for c in ".!?\n") if i >= 0]
    return text[left + 1: min(rights) if rights else len(text)]


# A name inside a file name or an address ("ipod.jpg", "www.site.fr/ipod") is not written by the author.
_IN_ADDRESS_AFTER = re.compile(r"[\w.-]*\.(?:jpe?g|png|gif|webp)\b|[\w-]*\.(?:com|fr|net|org|be)/")
_ADDRESS_BEFORE = re.compile(r"(?:https?:|www\.|/)[\w./-]*$")


def written_as_names(folded: Folded, hits: list[Hit]) -> list[Hit]:
    """A term spelled like a French function word ("Elle", "Tu") counts only with its capital,
    and not at a sentence's start, where every word has one."""
    kept = []
    for hit in hits:
        word = folded.text[hit.start:hit.end]
        if word in FUNCTION_WORDS:
            begin, _ = folded.original_span(hit.start, hit.end)
            before = folded.original[:begin].rstrip()
            if not folded.original[begin:begin + 1].isupper() or not before or before[-1] in ".!?:…\n":
                continue
        kept.append(hit)
    return kept


# Names as a writer capitalises them: "Hôtels Mercure", "Zara Home", "iPad" (not sentence starts).
_NAME = re.compile(r"(?<![.!?:»\n] )(?<!^)\b(?:[A-ZÀ-Ý][\w’'&-]*|[a-z]+[A-Z][\w-]*)(?: (?:[A-ZÀ-Ý][\w’'&-]*|de|du|des|d’|et))*")
OUTSHONE, OUTSHONE_BY = -1.5, 2  # another name named twice as often takes the subject
OUTSHONE_LITTLE = -1.5  # another name named more often, if not twice as often


_LIST_ITEM = re.compile(r"(?:[A-ZÀ-Ý][\w’'&-]*(?: [A-ZÀ-Ý][\w’'&-]*)*)(?:, | et | ou | / )")


# A list's item starts a line, or follows a sentence's end when the page's lines were run together.
_BULLET = re.compile(r"(?:^|\n|[.!?:;)] )[ \t]*(?:[-–•*·]|\d{1,2}[.)]) (?=\w)")


def _in_a_list(body: Folded, hit: Hit) -> bool:
    """The name sits among at least three names separated by commas, "et", "ou", or in one
    item of a bulleted list of three or more (a city guide's addresses, a shopping list)."""
    begin, finish = body.original_span(hit.start, hit.end)
    around = body.original[max(0, begin - 80): finish + 80]
    if len(_LIST_ITEM.findall(around)) >= 3:
        return True
    bullets = [m.end() for m in _BULLET.finditer(body.original)]
    if len(bullets) < 3:
        return False
    item = max((b for b in bullets if b <= begin), default=-1)
    return item >= 0 and begin - item <= 150 and not re.search(r"[.!?]\s", body.original[item:begin])


def _aside(text: str, hit: Hit) -> bool:
    """The name is said in parentheses: "(merci encore Netflix)"."""
    opened, closed = text.rfind("(", 0, hit.start), text.rfind(")", 0, hit.start)
    if opened <= closed or hit.start - opened > 150:
        return False
    after = text.find(")", hit.end)
    return after != -1 and after - hit.end <= 150 and text.find("(", hit.end, after) == -1


def _most_named_other(body: Folded, hits: list[Hit]) -> int:
    """How often the most-named other proper name appears in the text."""
    own = {body.text[h.start:h.end] for h in hits}
    counts: dict[str, int] = {}
    for match in _NAME.finditer(body.original):
        name = " ".join(fold_term(match.group()).split()[:2])
        if len(name) >= 3 and name not in FUNCTION_WORDS and not any(name in o or o in name for o in own):
            counts[name] = counts.get(name, 0) + 1
    return max(counts.values(), default=0)


def _in_address(text: str, hit: Hit) -> bool:
    return bool(_IN_ADDRESS_AFTER.match(text, hit.end) or _ADDRESS_BEFORE.search(text[max(0, hit.start - 60):hit.start]))


def subject_score(title_hits: list[Hit], body_hits: list[Hit], body: Folded) -> float:
    text = body.text
    # A name inside a picture's file name or a link's address is a mention, but the author
    # did not write it: it says nothing of what the post is about.
    body_hits = [h for h in body_hits if not _in_address(text, h)]
    score = IN_TITLE if title_hits else 0.0
    if not title_hits and body_hits:
        other = _most_named_other(body, body_hits)
        if other >= OUTSHONE_BY * max(len(body_hits), 2):
            score += OUTSHONE
        elif other > len(body_hits):
            score += OUTSHONE_LITTLE
    score += PER_MENTION * min(len(body_hits), MAX_MENTIONS)
    if body_hits and body_hits[0].start <= OPENING and (len(body_hits) >= 2 or title_hits):
        score += IN_OPENING
    sentences = [_sentence(text, h.start, h.end) for h in body_hits]
    if any(_SUBJECT_ROLE.search(s) for s in sentences):
        score += ROLE_SUBJECT
    if sentences and all(_PASSING_ROLE.search(s) or _aside(text, h) for s, h in zip(sentences, body_hits, strict=True)):
        score += ROLE_PASSING
    elif body_hits and not title_hits and all(_in_a_list(body, h) for h in body_hits):
        score += ROLE_PASSING  # one name of a list ("Kenzo, Dior, Guerlain et Nohem")
    if (title_hits or body_hits) and _anaphora(title_hits + body_hits, text[body_hits[0].end if body_hits else 0:]) >= 2:
        score += ANAPHORA
    return score


def is_subject(title_hits: list[Hit], body_hits: list[Hit], body: Folded, article=None) -> bool:
    return subject_score(title_hits, body_hits, body) >= SUBJECT_SCORE
