"""Does the post say the product was given, paid for, or bought? And in which words?

Patterns run on folded text (see normalize.fold). A cue preceded closely by
a negation ("n'est pas sponsorisé", "sans partenariat") does not count for
its family; the negated forms are themselves self-bought cues.
Precedence when several families appear: sponsored > gifted > self_bought.
"""

import re
from dataclasses import dataclass

from .normalize import Folded

SPONSORED = [
    r"(?:article|billet|post|contenu|video) (?:est |a ete )?(?:sponsorise|commandite|remunere)e?s?",
    r"#sponsorise\w*",
    r"sponsorise(?:e|s|es)? par",
    r"#sponso\w*", r"#ad\b", r"#pub\b", r"#publicite", r"#partenariat\w*", r"#collab\w*",
    r"\(sponso\w*\)", r"\bsponso\b",
    r"en partenariat (?:remunere )?avec", r"partenariat remunere",
    r"en collaboration (?:commerciale )?avec", r"collaboration commerciale",
    r"(?:^|[.!?:] )publicite\s*[:.]", r"\(publicite\)", r"publicite pour",
    r"(?:billet|article) (?:a ete )?remunere", r"a ete remunere par",
    r"contient (?:de la )?publicite",
]
GIFTED = [
    r"produits? offerts?", r"m'(?:a|ont) ete (?:offerte?s?|envoyee?s?|pretee?s?)",
    r"(?:offerte?s?|envoyee?s?|pretee?s?) (?:gracieusement )?par", r"gracieusement",
    r"(?:recue?s?|reception) (?:de la part de|par la marque)", r"de la part de la marque",
    r"j'ai recu (?:ce|cette|ces|le colis|un colis|la box|une box|le coffret)",
    r"merci (?:a [\w' ]{2,40} )?pour (?:l'envoi|ce colis|cet envoi|ce cadeau)",
    r"(?:m'a|m'ont) (?:envoye|offert|prete)e?s? (?:ce|cette|ces|gracieusement)",
    r"la marque m'a (?:envoye|offert|prete)", r"invitee? par", r"service presse", r"envoi presse", r"a l'invitation de",
    r"j'ai ete invitee?", r"#gifted", r"#produit ?offert", r"#invitation",
    r"pret de la marque", r"dans le cadre d'une operation",
]
SELF_BOUGHT = [
    r"achetee?s? avec mes (?:propres )?(?:sous|deniers|economies)", r"achetee?s? moi meme",
    r"je (?:l'|les )?ai achetee?s?", r"achat perso\w*", r"(?:paye|payee|achete) de ma poche",
    r"non sponsorise\w*", r"n'est pas (?:un article )?sponsorise\w*", r"pas sponsorise\w*",
    r"(?:ce n'est |n'est )?pas un partenariat", r"aucun partenariat", r"sans partenariat",
    r"pas de partenariat",
    r"non remunere\w*", r"je n'ai pas ete (?:payee?|remuneree?)", r"rien ne m'a ete offert",
]
_NEGATION = re.compile(
    r"(?:\bpas|\bnon|\baucun\w*|\bni|\bsans|\brien ne|\bjamais|n'(?:est|ai|a|etait))\W+(?:\w+\W+){0,2}$"
)


def _compile(patterns):
    # One alternation per family: one scan of the text instead of one per phrase.
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_FAMILIES = [
    ("sponsored", _compile(SPONSORED)),
    ("gifted", _compile(GIFTED)),
    ("self_bought", _compile(SELF_BOUGHT)),
]


@dataclass(frozen=True)
class Disclosure:
    label: str  # gifted | sponsored | self_bought | none
    cue: str | None  # the phrase from the original text
    start: int = -1


def _negated(text: str, start: int) -> bool:
    return bool(_NEGATION.search(text[max(0, start - 30):start]))


def detect_disclosure(*parts: Folded) -> Disclosure:
    """The strongest family found in any part (title, then body), with its first phrase."""
    for label, pattern in _FAMILIES:
        for folded in parts:
            text = folded.text
            for match in pattern.finditer(text):
                if label != "self_bought" and _negated(text, match.start()):
                    continue
                begin, end = folded.original_span(match.start(), match.end())
                return Disclosure(label, folded.original[begin:end].strip(" .:;,"), match.start())
    return Disclosure("none", None)
