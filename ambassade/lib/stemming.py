"""French words to their stems (Snowball's French stemmer, then folded): the veille's topics, the
targeting's vocabulary and the bloggers' never-topics all compare words this one way."""

import re
from functools import lru_cache

import snowballstemmer

from .folding import fold

_stemmer = snowballstemmer.stemmer("french")
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    return fold(_stemmer.stemWord(word.lower())).text


def stems(text: str) -> list[str]:
    """The stems of the words of more than two letters ("l'eau" gives "eau", "camping-car" two words)."""
    words = []
    for token in WORD.findall(text):
        words.extend(part for part in re.split(r"['’-]", token) if len(part) > 2)
    return [stem(w) for w in words]
