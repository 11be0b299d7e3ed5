"""French text normalisation for matching, with a way back to the original text.

`fold()` lower-cases, strips accents, straightens typographic apostrophes and
quotes, turns hyphens and punctuation into spaces and opens the œ/æ
ligatures. It keeps one output character per input character except for
the ligatures, so `Folded.original_span()` can quote the exact phrase a
verdict rests on.
"""

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Characters kept as they are: letters and digits (after accent stripping),
# space, the apostrophe (French elisions: "l'article", "n'est"), '#'
# (hashtags are lexicon terms) and the punctuation disclosure cues lean on
# ("Publicité :", "(sponso)"). Hyphens, quotes and the rest become spaces.
_KEEP = set("abcdefghijklmnopqrstuvwxyz0123456789 '#.,:;!?()/@")
_SPECIAL = {
    "œ": "oe", "æ": "ae", "ß": "ss",
    "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'",
    "\u00a0": " ", "\u202f": " ", "\t": " ", "\n": " ", "\r": " ",
}


@lru_cache(maxsize=65536)
def _fold_char(char: str) -> str:
    if char in _SPECIAL:
        return _SPECIAL[char]
    if char in _KEEP:
        return char
    base = unicodedata.normalize("NFKD", char)
    stripped = "".join(c for c in base if not unicodedata.combining(c))
    if len(stripped) == 1 and stripped in _KEEP:
        return stripped
    if char.isalnum():
        return char  # a letter of another script: keep it, it can still match
    return " "


class _FoldTable(dict):
    """A str.translate table that computes and caches each character's folding."""

    def __missing__(self, code: int) -> str:
        value = self[code] = _fold_char(chr(code))
        return value


_TABLE = _FoldTable()


@dataclass(frozen=True)
class Folded:
    original: str
    text: str
    offsets: tuple[int, ...] | None  # folded index -> original index, when lengths differ

    def original_index(self, index: int) -> int:
        if self.offsets is None:
            return index
        if index >= len(self.offsets):
            return len(self.original)
        return self.offsets[index]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        begin = self.original_index(start)
        finish = self.original_index(end - 1) + 1 if end > start else begin
        return begin, finish

    def snippet(self, start: int, end: int, width: int = 70) -> str:
        """The original text around a folded span, cut at word boundaries."""
        begin, finish = self.original_span(start, end)
        left = max(0, begin - width)
        right = min(len(self.original), finish + width)
        while left > 0 and not self.original[left - 1].isspace():
            left -= 1
        while right < len(self.original) and not self.original[right].isspace():
            right += 1
        text = " ".join(self.original[left:right].split())
        return ("…" if left > 0 else "") + text + ("…" if right < len(self.original) else "")


def fold(text: str) -> Folded:
    lowered = text.lower()
    folded = lowered.translate(_TABLE)
    if len(folded) == len(text) and len(lowered) == len(text):
        return Folded(text, folded, None)
    # Slow path (ligatures, rare case mappings): build the offset map char by char.
    pieces, offsets = [], []
    for index, char in enumerate(text):
        piece = char.lower().translate(_TABLE)
        pieces.append(piece)
        offsets.extend([index] * len(piece))
    return Folded(text, "".join(pieces), tuple(offsets))


def fold_term(term: str) -> str:
    """A lexicon term folded the same way, with its spaces collapsed."""
    return " ".join(fold(term).text.split())
