"""French that a French reader does not notice: plurals by number, elision before a vowel.

`count(3, "mail lu", "mails lus")` → "3 mails lus" (never "3 mail(s) lu(s)"); `of("Emma")` →
"d'Emma", `of("Léa")` → "de Léa". Plurals go through ngettext so the English catalogue follows.
"""

import re
import unicodedata

from django.utils.translation import get_language, ngettext

_VOWELS = set("aeiouyh")


def count(n: int, singular: str, plural: str) -> str:
    """In French 0 and 1 take the singular ("0 mail lu"); other languages go through ngettext."""
    if (get_language() or "fr").startswith("fr"):
        return f"{n} {singular if abs(n) <= 1 else plural}"
    return ngettext("%(n)d " + singular, "%(n)d " + plural, n) % {"n": n}


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
