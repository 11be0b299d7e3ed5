"""French text normalisation for matching, with a way back to the original text.

`fold()` lower-cases, strips accents, straightens typographic apostrophes and
quotes, turns hyphens and most punctuation into spaces and opens the œ/æ
ligatures. Every character folds to exactly one character except the
ligatures, whose expansions are remembered, so `Folded.snippet()` can quote
the exact phrase a verdict rests on.

Speed matters (every post against every operation's lexicon). French blog
text almost always fits in Latin-1 once a dozen typographic characters
(’ “ ” — … œ, thin spaces) are replaced, so the common path is: those
replacements (C), `encode("latin-1")`, one 256-byte `bytes.translate` doing
case, accents and punctuation at once, `decode`. Anything else takes the
general path: NFD decomposition with combining marks removed, then a
per-character mapping of what is left.
"""

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

# Characters kept as they are: letters and digits (after accent stripping),
# space, the apostrophe (French elisions: "l'article", "n'est"), '#'
# (hashtags are lexicon terms) and the punctuation disclosure cues lean on
# ("Publicité :", "(sponso)"). Hyphens, quotes and the rest become spaces.
_KEEP = set("abcdefghijklmnopqrstuvwxyz0123456789 '#.,:;!?()/@")
_SPECIAL = {
    "œ": "oe", "æ": "ae", "ß": "ss",
    "’": "'", "‘": "'", "ʼ": "'", "´": "'",
    "\u00a0": " ", "\u202f": " ",
}
_ASCII_TABLE = str.maketrans({chr(c): (chr(c) if chr(c) in _KEEP else " ") for c in range(128)
                              if chr(c) not in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_MARKS = re.compile("[\u0300-\u036f]")
# Characters that open into two: their positions are remembered for snippets.
_EXPANDING = re.compile("[œŒæÆß]")
_EXPANSION = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"}
# Outside Latin-1 but everywhere in French typography: one character for one.
_TYPOGRAPHY = {"’": "'", "‘": "'", "ʼ": "'", "“": " ", "”": " ", "„": " ", "—": " ", "–": " ", "…": " ",
               "•": " ", "€": " ", "\u202f": " ", "\u2009": " ", "\u2002": " ", "\u2003": " ", "‹": " ", "›": " "}


@lru_cache(maxsize=65536)
def _fold_char(char: str) -> str:
    if char in _SPECIAL:
        return _SPECIAL[char]
    base = unicodedata.normalize("NFKD", char)
    stripped = "".join(c for c in base if not unicodedata.combining(c))
    if len(stripped) == 1 and stripped in _KEEP:
        return stripped
    if char.isalnum():
        return char  # a letter of another script: kept, it can still match
    return " "


@dataclass(frozen=True)
class Folded:
    original: str
    text: str
    # (position in the original, extra characters) for each ligature opened in two
    expansions: tuple[tuple[int, int], ...] = ()
    _starts: list[int] = field(default_factory=list, compare=False, repr=False)

    def original_index(self, index: int) -> int:
        if not self.expansions:
            return min(index, len(self.original))
        if not self._starts:
            shift = 0
            for position, extra in self.expansions:
                self._starts.append(position + shift)
                shift += extra
        i = bisect_right(self._starts, index) - 1
        if i < 0:
            return index
        position, extra = self.expansions[i]
        if index <= self._starts[i] + extra:
            return position  # inside an opened ligature
        return min(index - sum(e for _p, e in self.expansions[: i + 1]), len(self.original))

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


_SPECIAL_CHARS = re.compile("[" + "".join(_TYPOGRAPHY) + "".join(_EXPANSION) + "]")


def _byte_table() -> bytes:
    table = bytearray(256)
    for code in range(256):
        char = chr(code).lower()
        folded = char.translate(_ASCII_TABLE) if char.isascii() else _fold_char(char)
        table[code] = ord(folded) if len(folded) == 1 and ord(folded) < 256 else ord(" ")
    return bytes(table)


_BYTE_TABLE = _byte_table()


def fold(text: str) -> Folded:
    if text.isascii():
        return Folded(text, text.translate(_ASCII_TABLE).lower())
    expansions: tuple = ()
    latin = text
    specials = set(_SPECIAL_CHARS.findall(text))  # one scan for both kinds
    if specials & _EXPANSION.keys():
        expansions = tuple((m.start(), len(_EXPANSION[m.group()]) - 1) for m in _EXPANDING.finditer(text))
        latin = _EXPANDING.sub(lambda m: _EXPANSION[m.group()], latin)
    for char in specials & _TYPOGRAPHY.keys():
        latin = latin.replace(char, _TYPOGRAPHY[char])
    try:
        folded = latin.encode("latin-1").translate(_BYTE_TABLE).decode("latin-1")
    except UnicodeEncodeError:
        return _fold_general(text)
    return Folded(text, folded, expansions)


def _fold_general(text: str) -> Folded:
    lowered = text.lower()
    if len(lowered) != len(text):
        return _fold_per_character(text)  # rare case mappings that change length ("İ")
    if lowered.isascii():
        return Folded(text, lowered.translate(_ASCII_TABLE))
    lowered = _MARKS.sub("", unicodedata.normalize("NFD", lowered))
    if len(lowered) != len(text):
        return _fold_per_character(text)  # decompositions that are not letter + accents (Hangul…)
    if lowered.isascii():
        return Folded(text, lowered.translate(_ASCII_TABLE))
    expansions: list[tuple[int, int]] = []

    def one(match: re.Match) -> str:
        folded = _fold_char(match.group())
        if len(folded) != 1:
            expansions.append((match.start(), len(folded) - 1))
        return folded

    folded = _NON_ASCII.sub(one, lowered).translate(_ASCII_TABLE)
    return Folded(text, folded, tuple(expansions))


def _fold_per_character(text: str) -> Folded:
    pieces, expansions = [], []
    for index, char in enumerate(text):
        piece = "".join(_fold_char(c) if not c.isascii() else c.translate(_ASCII_TABLE) for c in char.lower())
        pieces.append(piece)
        if len(piece) != 1:
            expansions.append((index, len(piece) - 1))
    return Folded(text, "".join(pieces), tuple(expansions))


def fold_term(term: str) -> str:
    """A lexicon term folded the same way, with its spaces collapsed."""
    return " ".join(fold(term).text.split())
