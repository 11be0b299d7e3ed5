"""What a text says, as the ranker sees it: stems without function words, and a language.

Pure. Stems come from the same Snowball French stemmer (accents folded) as the
topic classifier, so "yaourts", "Yaourt" and "yaourt" are one term, and a brief
and a post meet on the same terms.
"""

import re
from collections import Counter

from ambassade.lib.stemming import stems

# Function words and blog filler: they would fill every profile's vocabulary
# and say nothing about what a blog writes about. Compared after stemming.
_FRENCH_STOPWORDS = """
alors aussi autre autres avant avec avoir avais avait bien beaucoup car cela celle celles celui ces cet cette
ceux chez comme comment dans des donc dont elle elles encore entre est eux fait faire fois font
hors ici ils jamais juste leur leurs lui mais mes mien moi moins mon nos notre nous par parce pas peu
peut plus pour pourquoi quand que quel quelle quelles quels qui quoi sans ses sera sont son sous suis sur
tant tes ton tous tout toute toutes très trop une vos votre vous vraiment déjà été être était même ceci voici voilà
toujours rien chose choses petit petite petits petites grand grande ans jour jours fois aujourd hui demain hier
article billet blog post lien commentaire commentaires merci bonne bon bonnes bons vais vas va allez
ai as avons avez ont mois semaine année reçu veulent veut éviter nouveau nouvelle nouveaux découvrir blogs
deux trois quatre cinq six sept huit neuf dix vingt cent mille vite simple simples simplement
""".split()
_ENGLISH_HINTS = set("the and with this that from your for are was were have has not but you they what which "
                     "about just would could".split())
_FRENCH_HINTS = set("le la les des une est pour avec dans pas que qui sur par vous nous mais".split())
_WORD = re.compile(r"[a-zà-ÿœæ']+", re.IGNORECASE)

STOP_STEMS = frozenset(stems(" ".join(_FRENCH_STOPWORDS)))


def terms(text: str) -> Counter:
    """Stem counts of the words that carry meaning."""
    return Counter(s for s in stems(text) if s not in STOP_STEMS and len(s) > 2)


def surface_forms(text: str) -> dict[str, str]:
    """The first word seen for each stem, lower-cased: what the CM reads instead of a stem."""
    forms: dict[str, str] = {}
    for word in _WORD.findall(text):
        word = word.lower().strip("'")
        if len(word) <= 2:
            continue
        for stem in stems(word):
            forms.setdefault(stem, word)
    return forms


def language_of(text: str) -> str:
    """'fr', 'en' or '' when too short to say: counts of each language's commonest words."""
    words = [w.lower() for w in _WORD.findall(text[:4000])]
    french = sum(w in _FRENCH_HINTS for w in words)
    english = sum(w in _ENGLISH_HINTS for w in words)
    if french + english < 5:
        return ""
    return "fr" if french >= english else "en"
