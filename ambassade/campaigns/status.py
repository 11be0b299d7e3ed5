"""The placement status machine: one blog in one operation.

Pure data, so that the board, the admin, the tests and later the rules all
ask the same table whether a move is legal.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    CANDIDATE = "candidate", _("Candidat")
    SHORTLISTED = "shortlisted", _("Sélectionné")
    PITCHED = "pitched", _("Contacté")
    REPLIED = "replied", _("A répondu")
    NO_ANSWER = "no_answer", _("Sans réponse")
    ACCEPTED = "accepted", _("Accepté")
    DECLINED = "declined", _("Décliné")
    SHIPPED = "shipped", _("Expédié")
    RECEIVED = "received", _("Reçu")
    PUBLISHED = "published", _("Publié")
    NOT_PUBLISHED = "not_published", _("Non publié")
    OPTED_OUT = "opted_out", _("Opposition")


S = Status

# Where each status may go next. `opted_out` is reachable from anywhere and
# leads nowhere: once a blogger objects, nobody moves the card back.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.CANDIDATE: frozenset({S.SHORTLISTED}),
    S.SHORTLISTED: frozenset({S.CANDIDATE, S.PITCHED}),
    # A blogger may publish without answering: the veille then moves the card.
    S.PITCHED: frozenset({S.REPLIED, S.ACCEPTED, S.DECLINED, S.NO_ANSWER, S.PUBLISHED}),
    S.REPLIED: frozenset({S.ACCEPTED, S.DECLINED, S.PUBLISHED}),
    S.NO_ANSWER: frozenset({S.REPLIED, S.ACCEPTED, S.DECLINED, S.PUBLISHED}),
    S.ACCEPTED: frozenset({S.SHIPPED, S.DECLINED, S.PUBLISHED}),
    S.SHIPPED: frozenset({S.RECEIVED, S.PUBLISHED, S.NOT_PUBLISHED}),
    S.RECEIVED: frozenset({S.PUBLISHED, S.NOT_PUBLISHED}),
    S.NOT_PUBLISHED: frozenset({S.PUBLISHED}),
    S.PUBLISHED: frozenset(),
    S.DECLINED: frozenset(),
    S.OPTED_OUT: frozenset(),
}
for _source, _targets in TRANSITIONS.items():
    if _source != S.OPTED_OUT:
        TRANSITIONS[_source] = _targets | {S.OPTED_OUT}

# The board's columns, in funnel order.
BOARD_COLUMNS = [
    S.CANDIDATE,
    S.SHORTLISTED,
    S.PITCHED,
    S.REPLIED,
    S.ACCEPTED,
    S.SHIPPED,
    S.RECEIVED,
    S.PUBLISHED,
]
# Ends of the road shown apart from the board.
CLOSED = [S.NO_ANSWER, S.DECLINED, S.NOT_PUBLISHED, S.OPTED_OUT]


def can_move(source: str, target: str) -> bool:
    return target in TRANSITIONS.get(source, frozenset())
