"""What must never leave: the checks run before a mail is queued. Pure.

Each problem blocks sending and says what to change. The near-duplicate check
looks at a whole batch: twenty bodies that differ only by a first name are a
mass mailing ("tir groupé"), however personal each one looks.
"""

import re
from dataclasses import dataclass

from ambassade.lib.folding import fold

from .render import Rendered, unknown_variables, used_variables

GENERIC_GREETINGS = [
    r"cher(e|es|s)?\s*(\(e\)\s*)?blogu?(euse|eur|euses|eurs|ueuse)", r"cher(e|es|s)?\s*bloggeu", r"chere amie",
    r"bonjour a tou(s|tes)", r"bonjour tout le monde", r"hello (tout le monde|les filles|a tous)",
    r"salut (a )?tou(s|tes)", r"madame,? monsieur", r"mesdames,? messieurs", r"cher(e)? madame", r"cher monsieur",
    r"a qui de droit", r"dear (blogger|sir|madam)", r"hello everyone", r"cher(e)? partenaire",
]
_GENERIC = re.compile(r"^\W*(" + "|".join(GENERIC_GREETINGS) + r")\b")
_GUARDED = re.compile(r"{%-?\s*if\s+(\w+)\s*-?%}(.*?){%-?\s*endif\s*-?%}", re.S)
_PRINTED = re.compile(r"{{-?\s*(\w+)")
NEAR_DUPLICATE = 0.8  # share of 5-word shingles two bodies have in common
NEAR_DUPLICATE_GROUP = 3  # this many near-identical bodies in one batch is a mass mailing


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


def greeting(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def template_problems(kind_is_personal: bool, body: str) -> list[Problem]:
    """What a template must not say, before any mail is drawn from it: a generic opening, or none
    that names the person (`{{ prenom }}` in its first line)."""
    first = greeting(body)
    problems = []
    if _GENERIC.search(fold(first).text):
        problems.append(Problem("generic_greeting", f"formule générique : « {first[:60]} » — écrivez à la personne"))
    if kind_is_personal and "prenom" not in used_variables(first):
        problems.append(Problem("name_missing", "la première ligne doit nommer la personne : {{ prenom }}"))
    return problems


def shared_notes(notes: dict[object, str]) -> list[list[object]]:
    """Keys that share one personal note: the same "personal" line to several people is a mass mailing."""
    by_note: dict[str, list[object]] = {}
    for key, note in notes.items():
        folded = " ".join(fold(note).text.split())
        if folded:
            by_note.setdefault(folded, []).append(key)
    return [keys for keys in by_note.values() if len(keys) > 1]


def lint(rendered: Rendered, *, sources: tuple[str, ...], values: dict[str, str], first_name: str,
         note_required: bool, first_contact: bool, notice: dict[str, str]) -> list[Problem]:
    problems = []
    unknown = unknown_variables(*sources)
    if unknown:
        problems.append(Problem("unknown_variable", "variable inconnue : " + ", ".join(sorted(unknown))))
    used = set().union(*(used_variables(s) for s in sources))
    # Inside "{% if billet_titre %}…{% endif %}" a variable may be empty: the whole sentence goes.
    tested = {name for s in sources for test, inner in _GUARDED.findall(s)
              for name in (test, *_PRINTED.findall(inner))}
    for name in sorted(used & set(values) - tested):
        if not str(values[name]).strip() and name != "note":
            problems.append(Problem("empty_variable", f"« {name} » est vide pour cette personne"))
    if note_required and not str(values.get("note", "")).strip():
        problems.append(Problem("note_missing", "la note personnelle est obligatoire pour ce mail"))
    first_line = fold(greeting(rendered.text)).text
    if _GENERIC.search(first_line):
        problems.append(Problem("generic_greeting", f"formule générique : « {greeting(rendered.text)[:60]} »"))
    elif not first_name.strip():
        problems.append(Problem("name_missing", "prénom inconnu : on n'écrit pas à quelqu'un sans son nom"))
    elif fold(first_name).text.strip() not in first_line:
        problems.append(Problem("name_missing", "la première ligne ne nomme pas la personne"))
    if first_contact:
        body = fold(rendered.text).text
        for part, expected in notice.items():
            if expected and fold(expected).text.strip() not in body:
                problems.append(Problem("notice_missing", f"premier contact sans mention d'information : {part}"))
    return problems


_URL = re.compile(r"https?://\S+")


def _shingles(text: str, size: int = 5) -> set[tuple[str, ...]]:
    # Links differ for every recipient (signed tokens) without making a mail any more personal.
    words = fold(_URL.sub(" lien ", text)).text.split()
    return {tuple(words[i:i + size]) for i in range(max(len(words) - size + 1, 1))}


def near_duplicates(bodies: dict[object, str]) -> list[list[object]]:
    """Groups of at least NEAR_DUPLICATE_GROUP keys whose bodies are near-identical."""
    keys = list(bodies)
    shingles = {k: _shingles(bodies[k]) for k in keys}
    groups, seen = [], set()
    for i, a in enumerate(keys):
        if a in seen:
            continue
        group = [a]
        for b in keys[i + 1:]:
            if b in seen:
                continue
            union = shingles[a] | shingles[b]
            if union and len(shingles[a] & shingles[b]) / len(union) >= NEAR_DUPLICATE:
                group.append(b)
        if len(group) >= NEAR_DUPLICATE_GROUP:
            groups.append(group)
            seen.update(group)
    return groups
