"""French that a French reader does not notice: plurals by number, elision before a vowel.

`count(3, "mail lu", "mails lus")` → "3 mails lus" (never "3 mail(s) lu(s)"); `of("Emma")` →
"d'Emma", `of("Léa")` → "de Léa"; `number(30073)` → "30 073".
"""

import re
import unicodedata

_VOWELS = set("aeiouyh")


def count(n: int, singular: str, plural: str) -> str:
    """"0 mail lu", "1 mail lu", "3 mails lus": in French 0 and 1 take the singular. For the command
    line's French messages; pages use ngettext with whole sentences, so the catalogue follows."""
    return f"{n} {singular if abs(n) <= 1 else plural}"


NARROW_NBSP = "\u202f"  # French groups thousands with a narrow no-break space: "30 073 octets"


def number(n: int) -> str:
    """30073 → "30 073" (a narrow no-break space, never a comma or a plain space that could wrap)."""
    return f"{n:,}".replace(",", NARROW_NBSP)


def starts_with_vowel(word: str) -> bool:
    """'Emma', 'Inès', 'Hélène' (mute h, the usual case for first names): elided."""
    if not word:
        return False
    first = unicodedata.normalize("NFKD", word[0].lower())[0]
    return first in _VOWELS


def of(name: str) -> str:
    """'de Léa', "d'Emma"."""
    return f"d'{name}" if starts_with_vowel(name) else f"de {name}"


# "de", "que", "le", "la" before a capitalised word starting with a vowel or a mute h.
_BEFORE_NAME = re.compile(r"\b(?:([Dd])e|([Qq]u)e|([Ll])[ea]) (?=[AEIOUYHÀÂÄÉÈÊËÎÏÔÖÛÜŒ])")


def elide(text: str) -> str:
    """"Le nid de Emma" → "Le nid d'Emma", "que Inès" → "qu'Inès": before a capitalised word that starts
    with a vowel or a mute h (names, the usual case), "de", "que", "le" and "la" elide."""
    return _BEFORE_NAME.sub(lambda m: (m.group(1) or m.group(2) or m.group(3)) + "'", text)
