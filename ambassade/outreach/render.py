"""Mail templates rendered in a sandbox. Pure.

CMs write templates; a template must never reach an object, an attribute or a
method it was not given. Jinja2's sandbox renders them against a flat dict of
strings, with unknown variables raising (the lint names them) instead of
silently rendering as empty.

The sandbox also bounds what a template costs: no text longer than MAX_CHARS
is built (repetition, concatenation, a filter or method asked for a huge
width), no power beyond MAX_EXPONENT, and rendering stops after MAX_SECONDS
(checked on each line the compiled template runs, which catches loops that
print nothing). Every failure is a RenderError with a French message.
"""

import re
import sys
import time
from dataclasses import dataclass

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, meta
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment, SecurityError

MAX_CHARS = 100_000  # a mail is a few thousand characters
MAX_EXPONENT = 64
MAX_SECONDS = 1.0

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


class TooCostly(SecurityError):
    pass


def _size(value) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else 0


_WIDE_FORMAT = re.compile(r"[%{][^%{}]{0,20}?\d{6,}")


def _check_format(value) -> None:
    """A format string asking for a width of a million characters or more ("{:>999999999}")."""
    if isinstance(value, str) and _WIDE_FORMAT.search(value):
        raise TooCostly("largeur de format trop grande")


def _check_arguments(args, kwargs) -> None:
    for value in (*args, *kwargs.values()):
        _check_format(value)
        if isinstance(value, int) and abs(value) > MAX_CHARS:
            raise TooCostly(f"nombre trop grand pour un modèle ({value})")
        if _size(value) > MAX_CHARS:
            raise TooCostly(f"texte trop long (plus de {MAX_CHARS} caractères)")


class _BoundedConcat(CodeGenerator):
    """`a ~ b` goes through the environment, which bounds the result (doubling a string in a
    loop reached gigabytes before any other check ran)."""

    def visit_Concat(self, node, frame) -> None:
        self.write("environment.bounded_concat(")
        super().visit_Concat(node, frame)
        self.write(")")


class BoundedSandbox(SandboxedEnvironment):
    """The sandbox, plus bounds on the size of what a template builds."""

    intercepted_binops = frozenset({"*", "**", "+"})
    code_generator_class = _BoundedConcat

    @staticmethod
    def bounded_concat(value):
        if len(value) > MAX_CHARS:
            raise TooCostly(f"texte trop long (plus de {MAX_CHARS} caractères)")
        return value

    def __init__(self, **options):
        super().__init__(**options)
        for name, function in list(self.filters.items()):
            self.filters[name] = self._bounded(function)

    @staticmethod
    def _bounded(function):
        def bounded(*args, **kwargs):
            # The first argument is the value (or the context): a format string is checked,
            # a long value is not (the input is bounded already).
            _check_format(args[0] if args and isinstance(args[0], str) else args[1] if len(args) > 1 else None)
            _check_arguments(args[1:], kwargs)
            return function(*args, **kwargs)

        for attribute in ("jinja_pass_arg",):  # keep how Jinja passes the context/environment
            if hasattr(function, attribute):
                setattr(bounded, attribute, getattr(function, attribute))
        return bounded

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            count = right if isinstance(right, int) else left if isinstance(left, int) else 1
            if max(_size(left), _size(right)) * abs(count) > MAX_CHARS:
                raise TooCostly(f"texte trop long (plus de {MAX_CHARS} caractères)")
        elif operator == "**":
            if isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT and \
                    isinstance(left, (int, float)) and abs(left) > 1:
                raise TooCostly(f"nombre trop grand (puissance {right})")
        elif operator == "+" and _size(left) + _size(right) > MAX_CHARS:
            raise TooCostly(f"texte trop long (plus de {MAX_CHARS} caractères)")
        return super().call_binop(context, operator, left, right)

    def call(self, context, obj, *args, **kwargs):
        _check_arguments(args, kwargs)  # "a".center(10**9)
        return super().call(context, obj, *args, **kwargs)

    def getattr(self, obj, attribute):
        if attribute in ("format", "format_map"):
            _check_format(obj)  # "{:>999999999}".format(…)
        return super().getattr(obj, attribute)


_text_env = BoundedSandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
_html_env = BoundedSandbox(undefined=StrictUndefined, autoescape=True, keep_trailing_newline=True)


class RenderError(ValueError):
    pass


class _Deadline:
    """Stops a render that runs past MAX_SECONDS: the compiled template's code ("<template>")
    is traced line by line, nothing else is, so a normal render costs almost nothing more."""

    def __init__(self, seconds: float):
        self.until = time.monotonic() + seconds

    def __enter__(self):
        self._previous = sys.gettrace()
        sys.settrace(self._global)
        return self

    def __exit__(self, *exc):
        sys.settrace(self._previous)

    def _global(self, frame, event, arg):
        return self._local if frame.f_code.co_filename == "<template>" else None

    def _local(self, frame, event, arg):
        if event == "line" and time.monotonic() > self.until:
            raise TooCostly(f"le modèle prend plus de {MAX_SECONDS:g} s à calculer")
        return self._local


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
        template = env.from_string(source)
        chunks, size = [], 0
        with _Deadline(MAX_SECONDS):
            for chunk in template.generate(**context):
                size += len(chunk)
                if size > MAX_CHARS:
                    raise TooCostly(f"le message dépasse {MAX_CHARS} caractères")
                chunks.append(chunk)
        return "".join(chunks)
    except UndefinedError as error:
        raise RenderError(f"variable inconnue : {error.message}") from None
    except TemplateSyntaxError as error:
        raise RenderError(f"modèle illisible, ligne {error.lineno} : {error.message}") from None
    except TooCostly as error:
        raise RenderError(f"modèle trop coûteux : {error}") from None
    except SecurityError as error:
        raise RenderError(f"interdit dans un modèle : {error}") from None
    except ZeroDivisionError:
        raise RenderError("calcul impossible dans le modèle : division par zéro") from None
    except (OverflowError, MemoryError, RecursionError):
        raise RenderError("calcul impossible dans le modèle : nombre ou texte trop grand") from None
    except Exception as error:  # whatever a CM can write, the preview says it in French
        raise RenderError(f"erreur dans le modèle : {type(error).__name__} ({error})") from None


def render(subject: str, text: str, html: str, context: dict[str, str]) -> Rendered:
    """Raises RenderError with a French message a CM can act on."""
    values = {k: str(v) for k, v in context.items()}
    rendered_subject = re.sub(r"\s+", " ", _render(_text_env, subject, values)).strip()
    return Rendered(rendered_subject, _render(_text_env, text, values),
                    _render(_html_env, html, values) if html.strip() else "")
