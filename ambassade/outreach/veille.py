"""What the outbox must know from the veille, asked without importing it.

The outbox holds a follow-up back once an article is found, waits while the veille cannot read a
blog, and cites a recent post of the blog in a pitch. Those answers are the veille's, and the two
apps must not know each other (docs/design.md): the workflow app plugs the veille's answers in when
Django starts (`ambassade.workflow.apps`). Unplugged, asking fails loudly — a follow-up must never go
out because nobody was there to say "an article was found".
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Answers:
    article_reason: Callable  # (placement) → "article déclaré", "article détecté", or "" when none is known
    blind_reason: Callable  # (blog) → "" when the veille reads the blog, else why nothing found proves nothing
    recent_posts: Callable  # (blog, since) → the blog's posts since then, newest first (title, excerpt, url)
    names_brand: Callable  # (operation, text) → whether the text names the operation's brand or product


class NotPlugged(RuntimeError):
    pass


_answers: Answers | None = None


def plug(answers: Answers) -> None:
    global _answers
    _answers = answers


def ask() -> Answers:
    if _answers is None:
        raise NotPlugged("the veille's answers are not plugged in: add 'ambassade.workflow' to INSTALLED_APPS")
    return _answers
