"""The real-world labelled set: public French blog posts, labelled by hand, and its scorer.

What is committed (`data/real_posts.jsonl`): the URL, the labels and at most one short
verbatim cue per label (≤ 30 words); not the post's title nor the labellers' notes, which
quote the post more. The posts' text is third-party and never enters
git: the excerpts (about the first 2,000 characters of each page, as the search tool
stored it) go to a git-ignored cache, `var/real-posts/excerpts.jsonl`, which
`ambassade real_posts --import DIR` rebuilds from the labellers' `*.cache.jsonl` files. Each row keeps
the search query that found its page (`locator`): `ambassade real_posts --queries` lists the queries
to run again with the search tool when the cache is lost (it was, once: see the README).

The set is split once, by a hash of the URL: the tuning part (≤ 60 %) is what rules
are written against; the held-out part is scored only when a change is finished.
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ambassade.lib.folding import fold
from ambassade.watch.detect.analyze import analyze, lexicon_for
from ambassade.watch.detect.extract import Article, extract_text

DATA = Path(__file__).parent / "data" / "real_posts.jsonl"
LABEL_KEYS = ("url", "blog", "platform", "year", "topic", "topics", "subject", "passing", "disclosure",
              "disclosure_cue", "giveaway", "giveaway_cue", "labeller", "locator")
DISCLOSURES = ("gifted", "sponsored", "self_bought", "none")
TUNING_SHARE = 55  # percent of URLs, by hash: below 60 % whatever the hash's luck
MAX_CUE_WORDS = 30


def cache_path() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / "real-posts" / "excerpts.jsonl"


def part_of(url: str) -> str:
    """'tuning' or 'held_out', fixed forever by the URL alone."""
    bucket = int(hashlib.sha256(url.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "tuning" if bucket < TUNING_SHARE else "held_out"


def _short(cue: str | None) -> str | None:
    """A cue as committed: one short verbatim sentence, whitespace folded, ≤ 30 words."""
    if not cue:
        return None
    words = cue.split()
    return " ".join(words[:MAX_CUE_WORDS])


def import_labels(directory: Path, committed: list[dict] | None = None,
                  cached: dict[str, str] | None = None) -> tuple[list[dict], dict[str, str]]:
    """The committed set grown by the labellers' files: one row per URL (a committed row, or the
    first labeller's), and every excerpt known, old and new. `*.recovered.jsonl` files give the
    search query that found a committed URL's page again (its `locator`)."""
    rows: dict[str, dict] = {row["url"]: dict(row) for row in (committed or [])}
    excerpts: dict[str, str] = dict(cached or {})
    for path in sorted(directory.glob("*.jsonl")):
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        if path.name.endswith(".cache.jsonl"):
            for item in lines:
                excerpts.setdefault(item["url"], item["excerpt"])
            continue
        if path.name.endswith(".recovered.jsonl"):
            for item in lines:
                if item["url"] in rows and not rows[item["url"]].get("locator"):
                    rows[item["url"]]["locator"] = item.get("locator")
            continue
        for raw in lines:
            if raw["url"] in rows:
                continue
            row = {key: raw.get(key) for key in LABEL_KEYS}
            row["labeller"] = path.stem
            row["disclosure_cue"] = _short(raw.get("disclosure_cue"))
            row["giveaway_cue"] = _short(raw.get("giveaway_cue"))
            row["passing"] = list(raw.get("passing") or [])
            row["topics"] = list(raw.get("topics") or [raw["topic"]])
            rows[raw["url"]] = row
    for row in rows.values():
        row.setdefault("locator", None)
    return sorted(rows.values(), key=lambda r: r["url"]), excerpts


def missing_queries(rows: list[dict], excerpts: dict[str, str]) -> dict[str, list[str]]:
    """The search queries to run again (corpus `pages`) to rebuild the excerpts still missing, with
    the URLs each should bring back; rows found before locators were kept have none."""
    queries: dict[str, list[str]] = {}
    for row in rows:
        if row["url"] not in excerpts:
            queries.setdefault(row.get("locator") or "", []).append(row["url"])
    return queries


def write_set(rows: list[dict], excerpts: dict[str, str], data: Path = DATA, cache: Path | None = None) -> Path:
    data.parent.mkdir(parents=True, exist_ok=True)
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    cache = cache or cache_path()
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("".join(json.dumps({"url": r["url"], "excerpt": excerpts[r["url"]]}, ensure_ascii=False) + "\n"
                             for r in rows if r["url"] in excerpts), encoding="utf-8")
    return cache


def load_set(data: Path = DATA) -> list[dict]:
    return [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_excerpts(cache: Path | None = None) -> dict[str, str] | None:
    """The excerpts by URL, or None when the cache was never built (CI has none)."""
    cache = cache or cache_path()
    if not cache.is_file():
        return None
    return {item["url"]: item["excerpt"] for item in map(json.loads, cache.read_text(encoding="utf-8").splitlines())}


def article_of(excerpt: str) -> Article:
    """An excerpt is what a plain-text file of the post would be: read it the same way."""
    return extract_text(excerpt)


@dataclass
class Probe:
    """One name checked against one post: what the label says it is, what came out."""
    url: str
    name: str
    expected: str  # subject | passing | absent
    found: str


@dataclass
class PostResult:
    row: dict
    disclosure: str
    disclosure_cue: str | None
    giveaway: bool
    giveaway_cue: str | None
    topics: list[str]
    probes: list[Probe] = field(default_factory=list)


def _role(article: Article, brand: str, products=()) -> str:
    verdict = analyze(article, lexicon_for(brand, [p for p in products if p]))
    if verdict.subject:
        return "subject"
    return "passing" if verdict.mentions else "absent"


def _absent_name(rows: list[dict], index: int, folded_text: str) -> str | None:
    """A subject brand from another post that this post never names."""
    for step in range(1, len(rows)):
        other = rows[(index + step * 7) % len(rows)]["subject"]
        if other and other.get("brand"):
            name = " ".join(fold(other["brand"]).text.split())
            if len(name) >= 3 and name not in folded_text:
                return other["brand"]
    return None


def evaluate(rows: list[dict], excerpts: dict[str, str]) -> list[PostResult]:
    results = []
    for index, row in enumerate(rows):
        excerpt = excerpts.get(row["url"])
        if excerpt is None:
            continue
        article = article_of(excerpt)
        verdict = analyze(article, lexicon_for(""))
        result = PostResult(row, verdict.disclosure.label, verdict.disclosure.cue, verdict.giveaway.present,
                            verdict.giveaway.cue, list(verdict.topics))
        subject = row.get("subject")
        if subject and subject.get("brand"):
            result.probes.append(Probe(row["url"], subject["brand"], "subject",
                                       _role(article, subject["brand"], [subject.get("product")])))
        for name in row.get("passing") or []:
            result.probes.append(Probe(row["url"], name, "passing", _role(article, name)))
        absent = _absent_name(rows, index, fold(excerpt).text)
        if absent:
            result.probes.append(Probe(row["url"], absent, "absent", _role(article, absent)))
        results.append(result)
    return results


def _f1(pairs: list[tuple[bool, bool]]) -> float:
    tp = sum(p and e for p, e in pairs)
    fp = sum(p and not e for p, e in pairs)
    fn = sum(e and not p for p, e in pairs)
    return round(2 * tp / (2 * tp + fp + fn), 3) if tp + fp + fn else 1.0


def confusion(pairs: list[tuple[str, str]]) -> dict[str, Counter]:
    """expected → Counter(found)."""
    matrix: dict[str, Counter] = {}
    for expected, found in pairs:
        matrix.setdefault(expected, Counter())[found] += 1
    return matrix


def scores(results: list[PostResult]) -> dict:
    probes = [p for r in results for p in r.probes]
    disclosure = [(r.row["disclosure"], r.disclosure) for r in results]
    paid = {"gifted", "sponsored"}
    n = len(results) or 1
    return {
        "posts": len(results),
        "probes": len(probes),
        "coverage_f1": _f1([(p.found == "subject", p.expected == "subject") for p in probes]),
        "coverage_matrix": confusion([(p.expected, p.found) for p in probes]),
        "disclosure_accuracy": round(sum(e == f for e, f in disclosure) / n, 3),
        "disclosure_binary": round(sum((e in paid) == (f in paid) for e, f in disclosure) / n, 3),
        "disclosure_matrix": confusion(disclosure),
        "giveaway_f1": _f1([(r.giveaway, r.row["giveaway"]) for r in results]),
        "giveaway_matrix": confusion([(str(r.row["giveaway"]), str(r.giveaway)) for r in results]),
        "first_topic": round(sum(r.topics[:1] == [r.row["topic"]] for r in results) / n, 3),
        "top3_topic": round(sum(r.row["topic"] in r.topics[:3] for r in results) / n, 3),
    }


def split(rows: list[dict]) -> dict[str, list[dict]]:
    parts = {"tuning": [], "held_out": []}
    for row in rows:
        parts[part_of(row["url"])].append(row)
    return parts
