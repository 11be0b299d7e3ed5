"""Multi-pattern matching of operations' lexicons (brands, products, aliases, domains).

One Aho–Corasick automaton holds every active operation's terms, so a post
is scanned once whatever the number of operations (10,000+ patterns).
A hit counts only on word boundaries, and a shorter term inside a longer
hit of the same group ("Delacour" in "Laiterie Delacour") is not counted twice.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from .normalize import Folded, fold_term

KINDS = ("brand", "product", "alias", "domain")


@dataclass(frozen=True)
class Term:
    text: str  # as the CM typed it
    kind: str  # brand | product | alias | domain
    group: object = None  # whose term: an operation id, a brand


@dataclass(frozen=True)
class Hit:
    term: Term
    start: int  # in the folded text
    end: int


def _variants(folded: str) -> set[str]:
    """The term and its French plural: 'yaourt' also matches 'yaourts', 'gâteau' 'gâteaux'."""
    variants = {folded}
    if folded[-1:].isalpha() and folded[-1] not in "sxz":
        variants.add(folded + "s")
        if folded.endswith(("eau", "au", "eu")):
            variants.add(folded + "x")
    return variants


class Lexicon:
    def __init__(self, terms: Iterable[Term]):
        self._automaton = ahocorasick.Automaton()
        self.size = 0
        self.terms: list[Term] = list(dict.fromkeys(terms))
        entries: dict[str, list[Term]] = {}
        for term in self.terms:
            folded = fold_term(term.text)
            if len(folded.replace(" ", "")) < 2:
                continue  # a one-letter term would match everywhere
            for variant in _variants(folded):
                entries.setdefault(variant, []).append(term)
        for key, owners in entries.items():
            self._automaton.add_word(key, (len(key), tuple(owners)))
            self.size += 1
        if self.size:
            self._automaton.make_automaton()

    def find(self, folded: Folded) -> list[Hit]:
        if not self.size:
            return []
        text = folded.text
        length = len(text)
        hits = []
        for end_index, (size, owners) in self._automaton.iter(text):
            start, end = end_index - size + 1, end_index + 1
            if start > 0 and text[start - 1].isalnum():
                continue
            if end < length and text[end].isalnum():
                continue
            hits.extend(Hit(term, start, end) for term in owners)
        return _longest_per_group(hits)


def _longest_per_group(hits: list[Hit]) -> list[Hit]:
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
