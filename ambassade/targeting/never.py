"""Does a brief touch a topic a blogger never wants to hear about? Pure.

Bloggers write their refusals in their own words ("grossesse", "peaux sèches",
"parentalite"). Each one is read as a set of phrases: itself, the synonyms
below when it is a common one, and the taxonomy topic when it names one. The
brief touches it when every stem of one of those phrases is in the brief, or
when the brief targets that taxonomy topic. Erring towards "touches" is the
safe side: a blog left out costs less than a maternity dress sent to someone
who is not pregnant.
"""

from functools import lru_cache

from ambassade.lib.folding import fold
from ambassade.lib.stemming import stems

SYNONYMS = {
    "grossesse": ["grossesse", "enceinte", "maternité", "future maman", "prénatal", "femme enceinte",
                  "robe de grossesse", "allaitement"],
    "peaux seches": ["peau sèche", "peaux sèches", "sécheresse cutanée", "peau déshydratée", "tiraillements"],
    "alcool": ["alcool", "vin", "bière", "spiritueux", "champagne", "cocktail", "apéritif", "whisky", "rhum"],
    "jeux d'argent": ["jeux d'argent", "pari", "paris sportifs", "casino", "poker", "loterie"],
    "regimes": ["régime", "régimes", "minceur", "perte de poids", "maigrir", "détox"],
    "bebe": ["bébé", "nourrisson", "naissance", "couches", "biberon"],
    "tabac": ["tabac", "cigarette", "vapoteuse", "e-cigarette"],
}
TAXONOMY_SLUGS = {
    "beaute", "mode", "cuisine", "parentalite", "deco_maison", "voyage", "high_tech", "auto_moto",
    "lifestyle", "sante_bienetre", "loisirs_culture",
}


def _key(text: str) -> str:
    return " ".join(fold(text).text.split())


@lru_cache(maxsize=4096)
def phrases(never_topic: str) -> tuple[frozenset[str], ...]:
    """The stem sets that stand for this refusal."""
    key = _key(never_topic)
    words = [never_topic, *SYNONYMS.get(key, [])]
    return tuple(frozenset(s) for s in (frozenset(stems(w)) for w in words) if s)


_LABELS = {"beaute": "beaute", "mode": "mode", "cuisine": "cuisine", "parentalite": "parentalite",
           "deco": "deco_maison", "deco et maison": "deco_maison", "maison": "deco_maison", "voyage": "voyage",
           "voyages": "voyage", "high-tech": "high_tech", "high tech": "high_tech", "auto": "auto_moto",
           "auto et moto": "auto_moto", "lifestyle": "lifestyle", "sante": "sante_bienetre",
           "sante et bien-etre": "sante_bienetre", "bien-etre": "sante_bienetre", "loisirs": "loisirs_culture",
           "loisirs et culture": "loisirs_culture", "culture": "loisirs_culture"}


def taxonomy_slug(text: str) -> str:
    """The taxonomy topic a word names ("Déco et maison", "deco_maison"), or ''."""
    key = _key(text)
    slug = key.replace(" ", "_")
    return slug if slug in TAXONOMY_SLUGS else _LABELS.get(key, "")


def brief_touches(never_topic: str, brief_stems: frozenset[str], brief_topics: frozenset[str]) -> bool:
    slug = _key(never_topic).replace(" ", "_")
    if slug in TAXONOMY_SLUGS and slug in brief_topics:
        return True
    return any(phrase <= brief_stems for phrase in phrases(never_topic))


def touched(never_topics: set[str], brief_stems: frozenset[str], brief_topics: frozenset[str]) -> set[str]:
    """The refusals among `never_topics` that this brief touches."""
    return {n for n in never_topics if brief_touches(n, brief_stems, brief_topics)}
