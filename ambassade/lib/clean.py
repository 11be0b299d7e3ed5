"""Text from outside is cleaned once, at the border, before any model sees it.

PostgreSQL refuses a NUL character in text (and in jsonb), and a lone surrogate
cannot be encoded to UTF-8: either one raised in the middle of a batch and
stopped it. SQLite stores them silently, which is how they got through. The
other C0 controls (tab, line feed and carriage return excepted) have no meaning
in a title, a mail or a spreadsheet cell and only break what reads them later.
"""

import re

_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(value):
    """`value` without NUL, other control characters and surrogates; non-strings unchanged."""
    if isinstance(value, str) and _INVALID.search(value):
        return _INVALID.sub("", value)
    return value


def clean_data(value):
    """clean_text through dicts, lists and tuples (JSON documents, parsed rows)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(k): clean_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(clean_data(v) for v in value)
    return value
