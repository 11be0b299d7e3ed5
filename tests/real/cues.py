"""The labelled real posts' short cues (committed with their labels), tuning part only:
the held-out part is never read while the detectors are tuned."""

from ambassade.evaluation.real_posts import load_set, split

TUNING = split(load_set())["tuning"]


def cues(key: str) -> list[tuple[str, dict]]:
    return [(row[key], row) for row in TUNING if row.get(key)]
