"""Initials for the public list: enough for a participant to find themself, not enough to name them."""

import re

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def initials(name: str) -> str:
    """'Marie Dupont' → 'M. D.', 'lea_b' → 'L. B.', '🎉🎉' → '?' (a name with no letters)."""
    words = _WORD.findall(name or "")[:3]
    return " ".join(w[0].upper() + "." for w in words) or "?"
