"""Mail templates rendered in a sandbox. Pure.

CMs write templates; a template must never reach an object, an attribute or a
method it was not given. Jinja2's sandbox renders them against a flat dict of
strings, with unknown variables raising (the lint names them) instead of
silently rendering as empty.
"""

import re
from dataclasses import dataclass

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, meta
from jinja2.sandbox import SandboxedEnvironment, SecurityError

VARIABLES = {
    "prenom": "le prénom du blogueur ou de la blogueuse",
    "blog": "le nom du blog",
    "billet_titre": "le titre d'un billet récent en rapport avec le brief",
    "billet_url": "l'adresse de ce billet",
    "produit": "le produit proposé",
    "marque": "la marque",
    "note": "votre note personnelle pour cette personne",
    "agence": "le nom de l'agence",
    "signature": "votre signature",
    "mentions": "les mentions d'information (qui, pourquoi, d'où vient l'adresse, droit d'opposition, lien)",
    "lien_desinscription": "le lien pour ne plus être contacté",
    "lien_perso": "le lien de sa page personnelle (propositions, colis, préférences, ses données)",
}
_text_env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
_html_env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True, keep_trailing_newline=True)


class RenderError(ValueError):
    pass


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def used_variables(source: str) -> set[str]:
    try:
        return meta.find_undeclared_variables(_text_env.parse(source))
    except TemplateSyntaxError as error:
        raise RenderError(f"modèle illisible, ligne {error.lineno} : {error.message}") from None


def unknown_variables(*sources: str) -> set[str]:
    return set().union(*(used_variables(s) for s in sources)) - set(VARIABLES)


def _render(env, source: str, context: dict[str, str]) -> str:
    try:
        return env.from_string(source).render(**context)
    except UndefinedError as error:
        raise RenderError(f"variable inconnue : {error.message}") from None
    except TemplateSyntaxError as error:
        raise RenderError(f"modèle illisible, ligne {error.lineno} : {error.message}") from None
    except SecurityError as error:
        raise RenderError(f"interdit dans un modèle : {error}") from None


def render(subject: str, text: str, html: str, context: dict[str, str]) -> Rendered:
    """Raises RenderError with a French message a CM can act on."""
    values = {k: str(v) for k, v in context.items()}
    rendered_subject = re.sub(r"\s+", " ", _render(_text_env, subject, values)).strip()
    return Rendered(rendered_subject, _render(_text_env, text, values),
                    _render(_html_env, html, values) if html.strip() else "")
