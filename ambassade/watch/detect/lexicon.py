"""Multi-pattern matching of operations' lexicons (brands, products, aliases, domains).

One Aho–Corasick automaton (ahocorasick-rs, about twice as fast as
pyahocorasick on 4 KB French articles, measured) holds every active
operation's terms, so a post is scanned once whatever the number of
operations (10,000+ patterns). Matches may overlap, so that one operation's
"Maison Azur" never hides another's "Azur".
A hit counts only on word boundaries, and a shorter term inside a longer
hit of the same group ("Delacour" in "Laiterie Delacour") is not counted twice.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick_rs

from ambassade.lib.folding import Folded, fold, fold_term

KINDS = ("brand", "product", "alias", "domain")


@dataclass(frozen=True)
class Term:
    text: str  # as the CM typed it
    kind: str  # brand | product | alias | domain
    group: object = None  # whose term: an operation id, a brand


class Hit(NamedTuple):  # a tuple: thousands are made per second
    term: Term
    start: int  # in the folded text
    end: int


def _plurals(word: str) -> set[str]:
    forms = {word}
    if word[-1:].isalpha() and word[-1] not in "sxz":
        forms.add(word + "s")
        if word.endswith(("eau", "au", "eu")):
            forms.add(word + "x")
    return forms


def _variants(folded: str) -> set[str]:
    """The term and its French plurals: 'yaourt' → 'yaourts', 'gâteau' → 'gâteaux', and for a
    name of several words the plural of the first, the last or both ('des Brassés Vanille')."""
    words = folded.split(" ")
    if len(words) == 1:
        return _plurals(folded)
    first, last = _plurals(words[0]), _plurals(words[-1])
    middle = words[1:-1]
    return {" ".join([head, *middle, tail]) for head in first for tail in last}


class Lexicon:
    def __init__(self, terms: Iterable[Term]):
        self.terms: list[Term] = list(dict.fromkeys(terms))
        entries: dict[str, list[Term]] = {}
        for term in self.terms:
            folded = fold_term(term.text)
            if len(folded.replace(" ", "")) < 2:
                continue  # a one-letter term would match everywhere
            forms = _variants(folded)
            # Words joined or spelled apart ("Glow Box" / "Glowbox"), and the spacing the
            # text keeps where punctuation stood ("Maison & Objet" folds to three spaces).
            if " " in folded:
                forms |= _plurals(folded.replace(" ", ""))
                forms.add(fold(term.text).text.strip())
            if folded.endswith("s") and len(folded) > 4:
                forms.add(folded[:-1])  # "Hôtels du Lac" names "l'Hôtel du Lac" too
            for variant in forms:
                entries.setdefault(variant, []).append(term)
        self._keys = list(entries)
        self._owners = [tuple(entries[k]) for k in self._keys]
        self.size = len(self._keys)
        self._automaton = (
            ahocorasick_rs.AhoCorasick(self._keys, implementation=ahocorasick_rs.Implementation.DFA)
            if self.size else None
        )

    def find(self, folded: Folded) -> list[Hit]:
        if not self.size:
            return []
        text = folded.text
        length = len(text)
        hits = []
        for index, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            if start > 0 and text[start - 1].isalnum():
                continue
            if end < length and text[end].isalnum():
                continue
            hits.extend(Hit(term, start, end) for term in self._owners[index])
        return _longest_per_group(hits)


def _longest_per_group(hits: list[Hit]) -> list[Hit]:
    if len(hits) < 2:
        return hits
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[Hit] = []
    for hit in hits:
        if any(
            k.term.group == hit.term.group and k.start <= hit.start and hit.end <= k.end
            and (k.start, k.end) != (hit.start, hit.end)
            for k in kept[-8:]
        ):
            continue
        kept.append(hit)
    return kept
