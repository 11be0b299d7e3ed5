"""The side-by-side figures `ambassade detection_report` prints: the in-house set, and the
real set's tuning and held-out parts, on the same measures, with a confusion matrix each."""

from ambassade.evaluation import labelled

from . import real_posts

MEASURES = [
    ("coverage_f1", "sujet vs pas sujet (F1)"),
    ("disclosure_accuracy", "transparence, 4 étiquettes (exactitude)"),
    ("disclosure_binary", "transparence, payé/offert vs non (exactitude)"),
    ("giveaway_f1", "concours (F1)"),
    ("first_topic", "premier thème juste"),
    ("top3_topic", "thème dans les trois premiers"),
]


def _f1(pairs):
    return real_posts._f1(pairs)


def in_house_scores() -> dict:
    """The in-house set on the real set's measures (topics: the farm's posts, whose topic is known)."""
    outcomes = labelled.evaluate()
    n = len(outcomes)
    paid = {"gifted", "sponsored"}
    disclosure = [(o.case.disclosure, o.verdict["disclosure"]["label"]) for o in outcomes]
    count, right, in_top3 = labelled.topic_accuracy()
    return {
        "posts": n,
        "coverage_f1": _f1([(o.verdict["is_coverage"], o.case.is_coverage) for o in outcomes]),
        "coverage_matrix": real_posts.confusion(
            [("subject" if o.case.is_coverage else "not", "subject" if o.verdict["is_coverage"] else "not") for o in outcomes]),
        "disclosure_accuracy": round(sum(e == f for e, f in disclosure) / n, 3),
        "disclosure_binary": round(sum((e in paid) == (f in paid) for e, f in disclosure) / n, 3),
        "disclosure_matrix": real_posts.confusion(disclosure),
        "giveaway_f1": _f1([(o.verdict["giveaway"]["present"], o.case.giveaway) for o in outcomes]),
        "giveaway_matrix": real_posts.confusion(
            [(str(o.case.giveaway), str(o.verdict["giveaway"]["present"])) for o in outcomes]),
        "first_topic": round(right / count, 3),
        "top3_topic": round(in_top3 / count, 3),
    }


def real_scores() -> dict[str, dict] | None:
    """{'tuning': scores, 'held_out': scores}, or None when the excerpt cache is absent."""
    excerpts = real_posts.load_excerpts()
    if excerpts is None:
        return None
    parts = real_posts.split(real_posts.load_set())
    return {name: real_posts.scores(real_posts.evaluate(rows, excerpts)) for name, rows in parts.items()}


def matrix_rows(matrix: dict) -> tuple[list[str], list[list[str]]]:
    """Columns (found) and one row per expected label, for a printed table."""
    found = sorted({f for row in matrix.values() for f in row})
    rows = [[expected, *(str(matrix[expected].get(f, 0)) for f in found)] for expected in sorted(matrix)]
    return found, rows
