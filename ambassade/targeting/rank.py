"""Ranking every blog for a brief: hard filters, a scored breakdown, a diverse shortlist. Pure.

`ProfileIndex` holds the profiles as numpy arrays and an inverted index of
their vocabulary, so a brief is scored against 100,000 blogs in a few
milliseconds: BM25 over each blog's recent vocabulary (a blog is one
document), topic match against the brief's topics, and penalties. Hard
filters are a boolean mask computed before any score, whatever the weights,
so no weight can bring an excluded blog back. The shortlist is then picked
by maximal marginal relevance so that 20 blogs are not 20 copies of one.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from .never import touched

TOPICS = ("beaute", "mode", "cuisine", "parentalite", "deco_maison", "voyage", "high_tech", "auto_moto",
          "lifestyle", "sante_bienetre", "loisirs_culture")
TOPIC_INDEX = {t: i for i, t in enumerate(TOPICS)}
BM25_K1, BM25_B = 1.2, 0.75
SATURATION_FREE = 0.2  # up to this share of commercial posts, no penalty


@dataclass
class ProfileRow:
    """One blog as the ranker sees it (built from the database, or synthetic in benchmarks)."""

    blog_id: int
    terms: dict[str, float]
    length: float
    topics: dict[str, float]
    language: str = "fr"
    last_post_days: float | None = None
    sponsored_share: float = 0.0
    posts_90d: int = 0
    never: tuple[str, ...] = ()
    wanted: tuple[str, ...] = ()
    contactable: bool = True  # someone on the blog may be written to (not everyone objected)
    has_contact: bool = True  # the blog has a person at all (an imported blog may have none yet)
    placements_6m: int = 0
    shipped_30d: int = 0
    published: int = 0
    unpublished: int = 0  # accepted or received a product, and never published


@dataclass
class Weights:
    # Defaults chosen on the farm evaluation (`ambassade targeting_report`), seed 11; seed 23 held out.
    relevance: float = 0.30
    topics: float = 0.60
    wanted: float = 0.05
    saturation: float = 0.50
    overexposure: float = 0.20
    reliability: float = 0.20
    diversity: float = 0.15  # 0: pure score order; 1: as different from each other as possible

    FIELDS = ("relevance", "topics", "wanted", "saturation", "overexposure", "reliability", "diversity")


@dataclass
class Brief:
    terms: dict[str, float]  # query stems with their weights
    topics: tuple[str, ...]
    language: str = "fr"
    inactive_days: int = 60
    # Decided by the caller from the database, for this operation:
    refused: frozenset[int] = frozenset()  # blog ids that declined this client recently
    competitor: frozenset[int] = frozenset()  # blog ids tied to a competitor of the brand
    placed: frozenset[int] = frozenset()  # blog ids already in the operation
    same_category: dict[int, int] = field(default_factory=dict)  # blog id → products of the category, 3 months
    # Topics this operation avoids: stem phrases (all stems in a blog's vocabulary) and taxonomy slugs.
    avoided_phrases: tuple[frozenset[str], ...] = ()
    avoided_topics: tuple[str, ...] = ()
    include_without_contact: bool = False  # the CM ranks blogs nobody was found for yet, to add one later

    @property
    def stems(self) -> frozenset[str]:
        return frozenset(self.terms)


@dataclass
class Candidate:
    blog_id: int
    score: float
    breakdown: dict[str, float]
    matched: list[str]  # the brief's stems this blog writes about, strongest first
    row: int


@dataclass
class Ranking:
    candidates: list[Candidate]
    eligible: int
    excluded: dict[str, int]  # reason → how many blogs
    excluded_ids: dict[str, list[int]] = field(default_factory=dict)  # reason → which blogs


class ProfileIndex:
    def __init__(self, rows: list[ProfileRow], postings: dict | None = None):
        """`postings` may be passed when the same profiles were indexed before (see `index_postings`)."""
        n = len(rows)
        self.rows = rows
        self.ids = np.fromiter((r.blog_id for r in rows), dtype=np.int64, count=n)
        self.row_of = {r.blog_id: i for i, r in enumerate(rows)}
        self.length = np.fromiter((r.length for r in rows), dtype=np.float32, count=n)
        self.avg_length = float(self.length.mean()) if n and self.length.mean() > 0 else 1.0
        self.topics = np.zeros((n, len(TOPICS)), dtype=np.float32)
        for i, r in enumerate(rows):
            for topic, share in r.topics.items():
                if topic in TOPIC_INDEX:
                    self.topics[i, TOPIC_INDEX[topic]] = share
        self.languages = np.array([r.language or "" for r in rows], dtype=object)
        self.last_post_days = np.fromiter(
            (r.last_post_days if r.last_post_days is not None else np.inf for r in rows), dtype=np.float32, count=n)
        self.sponsored = np.fromiter((r.sponsored_share for r in rows), dtype=np.float32, count=n)
        self.contactable = np.fromiter((r.contactable for r in rows), dtype=bool, count=n)
        self.has_contact = np.fromiter((r.has_contact for r in rows), dtype=bool, count=n)
        self.placements_6m = np.fromiter((r.placements_6m for r in rows), dtype=np.float32, count=n)
        self.published = np.fromiter((r.published for r in rows), dtype=np.float32, count=n)
        self.unpublished = np.fromiter((r.unpublished for r in rows), dtype=np.float32, count=n)
        self.never: dict[str, np.ndarray] = _rows_by_value(rows, "never")
        self.wanted: dict[str, np.ndarray] = _rows_by_value(rows, "wanted")
        self.postings = index_postings(rows) if postings is None else postings

    def __len__(self) -> int:
        return len(self.rows)



def _rows_by_value(rows: list[ProfileRow], attribute: str) -> dict[str, np.ndarray]:
    found: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        for value in getattr(r, attribute):
            found.setdefault(value, []).append(i)
    return {k: np.array(v, dtype=np.int64) for k, v in found.items()}


def index_postings(rows: list[ProfileRow]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    vocabulary: dict[str, int] = {}
    term_ids: list[int] = []
    row_ids: list[int] = []
    weights: list[float] = []
    for i, r in enumerate(rows):
        for stem, weight in r.terms.items():
            term_ids.append(vocabulary.setdefault(stem, len(vocabulary)))
            row_ids.append(i)
            weights.append(weight)
    if not term_ids:
        return {}
    terms = np.array(term_ids, dtype=np.int32)
    order = np.argsort(terms, kind="stable")
    terms, rows_sorted = terms[order], np.array(row_ids, dtype=np.int32)[order]
    tf = np.array(weights, dtype=np.float32)[order]
    bounds = np.searchsorted(terms, np.arange(len(vocabulary) + 1))
    return {stem: (rows_sorted[bounds[t]:bounds[t + 1]], tf[bounds[t]:bounds[t + 1]])
            for stem, t in vocabulary.items()}


EXCLUSION_ORDER = ("placed", "opted_out", "no_contact", "never_topic", "avoided_topic", "refused", "competitor",
                   "inactive", "language")
AVOIDED_MIN_WEIGHT = 1.0  # a stem this present in a blog's decayed vocabulary: the blog writes about it
AVOIDED_MIN_SHARE = 0.15  # a taxonomy topic this central to a blog


def exclusions(index: ProfileIndex, brief: Brief) -> np.ndarray:
    """Per blog, the first hard filter that excludes it ('' when none does)."""
    reasons = np.full(len(index), "", dtype=object)

    def drop(reason: str, rows: np.ndarray) -> None:
        if len(rows):
            free = rows[reasons[rows] == ""]
            reasons[free] = reason

    drop("placed", _rows(index, brief.placed))
    drop("opted_out", np.flatnonzero(index.has_contact & ~index.contactable))
    if not brief.include_without_contact:
        drop("no_contact", np.flatnonzero(~index.has_contact))
    for topic in sorted(touched(set(index.never), brief.stems, frozenset(brief.topics))):
        drop("never_topic", index.never[topic])
    drop("avoided_topic", _writing_about(index, brief.avoided_phrases, brief.avoided_topics))
    drop("refused", _rows(index, brief.refused))
    drop("competitor", _rows(index, brief.competitor))
    drop("inactive", np.flatnonzero(~(index.last_post_days <= brief.inactive_days)))
    if brief.language:
        drop("language", np.flatnonzero(index.languages != brief.language))
    return reasons


def _writing_about(index: ProfileIndex, phrases, slugs) -> np.ndarray:
    """Rows of blogs whose own posts are about one of these topics."""
    found: set[int] = set()
    for phrase in phrases:
        rows = None
        for stem in phrase:
            posting = index.postings.get(stem)
            present = set() if posting is None else set(posting[0][posting[1] >= AVOIDED_MIN_WEIGHT].tolist())
            rows = present if rows is None else rows & present
        found |= rows or set()
    for slug in slugs:
        if slug in TOPIC_INDEX:
            found |= set(np.flatnonzero(index.topics[:, TOPIC_INDEX[slug]] >= AVOIDED_MIN_SHARE).tolist())
    return np.array(sorted(found), dtype=np.int64)


def eligibility(index: ProfileIndex, brief: Brief) -> tuple[np.ndarray, dict[str, int]]:
    """The mask of blogs that may be proposed at all, and how many each filter left out."""
    mask, excluded, _ids = eligibility_with_ids(index, brief)
    return mask, excluded


def eligibility_with_ids(index: ProfileIndex, brief: Brief) -> tuple[np.ndarray, dict[str, int], dict[str, list[int]]]:
    """The same, with which blogs each filter left out (the page and `rank --json` show them)."""
    reasons = exclusions(index, brief)
    mask = reasons == ""
    ids = {r: index.ids[reasons == r].tolist() for r in EXCLUSION_ORDER}
    return mask, {r: len(ids[r]) for r in EXCLUSION_ORDER if ids[r]}, {r: v for r, v in ids.items() if v}


def _rows(index: ProfileIndex, blog_ids) -> np.ndarray:
    return np.array([index.row_of[b] for b in blog_ids if b in index.row_of], dtype=np.int64)


def bm25(index: ProfileIndex, terms: dict[str, float]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Each blog's BM25 score for the query, and each stem's contribution (for explanations)."""
    n = len(index)
    scores = np.zeros(n, dtype=np.float32)
    contributions = {}
    norm = BM25_K1 * (1 - BM25_B + BM25_B * index.length / index.avg_length)
    for stem, query_weight in terms.items():
        posting = index.postings.get(stem)
        if posting is None:
            continue
        rows, tf = posting
        idf = math.log(1 + (n - len(rows) + 0.5) / (len(rows) + 0.5))
        part = (query_weight * idf) * tf * (BM25_K1 + 1) / (tf + norm[rows])
        scores[rows] += part
        contributions[stem] = (rows, part)
    return scores, contributions


def features(index: ProfileIndex, brief: Brief) -> dict[str, np.ndarray]:
    """Each component in [0, 1], for every blog."""
    relevance, _ = bm25(index, brief.terms)
    top = float(relevance.max()) if len(relevance) else 0.0
    relevance = relevance / top if top > 0 else relevance
    target = np.zeros(len(TOPICS), dtype=np.float32)
    for topic in brief.topics:
        if topic in TOPIC_INDEX:
            target[TOPIC_INDEX[topic]] = 1.0
    # How central the brief's topics are to the blog: its share of posts on them, relative to
    # its main topic's share, so a blog whose main topic is targeted scores 1.
    topics = index.topics @ target if target.any() else np.zeros(len(index), dtype=np.float32)
    topics = topics / np.maximum(index.topics.max(axis=1), 1e-9)
    wanted = np.zeros(len(index), dtype=np.float32)
    for topic in brief.topics:
        if topic in index.wanted:
            wanted[index.wanted[topic]] = 1.0
    saturation = np.clip((index.sponsored - SATURATION_FREE) / (1 - SATURATION_FREE), 0, 1)
    category = np.zeros(len(index), dtype=np.float32)
    for blog_id, count in brief.same_category.items():
        if blog_id in index.row_of:
            category[index.row_of[blog_id]] = count
    overexposure = 0.5 * np.minimum(index.placements_6m / 4, 1) + 0.5 * np.minimum(category / 2, 1)
    unreliability = index.unpublished / (index.unpublished + index.published + 1)
    return {"relevance": relevance, "topics": np.minimum(topics, 1), "wanted": wanted, "saturation": saturation,
            "overexposure": overexposure, "reliability": unreliability}


def rank(index: ProfileIndex, brief: Brief, weights: Weights | None = None, limit: int = 20) -> Ranking:
    weights = weights or Weights()
    mask, excluded, excluded_ids = eligibility_with_ids(index, brief)
    eligible = np.flatnonzero(mask)
    if not len(eligible) or limit <= 0:
        return Ranking([], int(len(eligible)), excluded, excluded_ids)
    parts = features(index, brief)
    signed = _signed(weights)
    total = sum(parts[name][eligible] * w for name, w in signed.items())
    pool_size = min(len(eligible), max(limit * 5, 50))
    best = np.argpartition(-total, pool_size - 1)[:pool_size] if pool_size < len(eligible) else np.arange(len(eligible))
    best = best[np.argsort(-total[best], kind="stable")]
    pool_rows, pool_scores = eligible[best], total[best]
    chosen = _diverse(index, pool_rows, pool_scores, limit, weights.diversity)
    _, contributions = bm25(index, brief.terms)
    candidates = []
    for position in chosen:
        row = int(pool_rows[position])
        breakdown = {name: round(float(parts[name][row] * w), 4) for name, w in signed.items()}
        candidates.append(Candidate(int(index.ids[row]), round(float(pool_scores[position]), 4), breakdown,
                                    _matched(contributions, row), row))
    return Ranking(candidates, int(len(eligible)), excluded, excluded_ids)


def assess(index: ProfileIndex, brief: Brief, weights: Weights, blog_id: int) -> Candidate | str:
    """One blog's candidacy: its scored breakdown, or the hard filter that excludes it."""
    row = index.row_of.get(blog_id)
    if row is None:
        return "inactive"
    reason = exclusions(index, brief)[row]
    if reason:
        return reason
    parts = features(index, brief)
    signed = _signed(weights)
    breakdown = {name: round(float(parts[name][row] * w), 4) for name, w in signed.items()}
    _, contributions = bm25(index, brief.terms)
    return Candidate(blog_id, round(sum(breakdown.values()), 4), breakdown, _matched(contributions, row), row)


def _signed(weights: Weights) -> dict[str, float]:
    return {"relevance": weights.relevance, "topics": weights.topics, "wanted": weights.wanted,
            "saturation": -weights.saturation, "overexposure": -weights.overexposure,
            "reliability": -weights.reliability}


def _matched(contributions: dict[str, tuple[np.ndarray, np.ndarray]], row: int) -> list[str]:
    found = []
    for stem, (rows, part) in contributions.items():
        at = np.searchsorted(rows, row)
        if at < len(rows) and rows[at] == row:
            found.append((float(part[at]), stem))
    return [stem for _, stem in sorted(found, reverse=True)]


def _diverse(index: ProfileIndex, rows: np.ndarray, scores: np.ndarray, limit: int, diversity: float) -> list[int]:
    """Maximal marginal relevance over the pool: positions into `rows`, best first."""
    count = min(limit, len(rows))
    diversity = min(max(diversity, 0.0), 1.0)
    if diversity == 0 or count <= 1:
        return list(range(count))
    # Scores on the scale of similarities: relative to the best, from zero (not from the pool's
    # worst, which would make a near-tie look like a gulf).
    floor = min(float(scores.min()), 0.0)
    normalised = (scores - floor) / ((float(scores.max()) - floor) or 1.0)
    similarity = _similarity(index, rows)
    chosen = [0]
    closest = similarity[0].copy()
    available = np.ones(len(rows), dtype=bool)
    available[0] = False
    while len(chosen) < count:
        value = (1 - diversity) * normalised - diversity * closest
        value[~available] = -np.inf
        pick = int(np.argmax(value))
        chosen.append(pick)
        available[pick] = False
        closest = np.maximum(closest, similarity[pick])
    return chosen


def _similarity(index: ProfileIndex, rows: np.ndarray) -> np.ndarray:
    """Pairwise similarity of pool blogs: half topics, half vocabulary (cosine)."""
    topics = index.topics[rows]
    topics = topics / np.maximum(np.linalg.norm(topics, axis=1, keepdims=True), 1e-9)
    vocabulary: dict[str, int] = {}
    for row in rows:
        for stem in index.rows[row].terms:
            vocabulary.setdefault(stem, len(vocabulary))
    terms = np.zeros((len(rows), max(len(vocabulary), 1)), dtype=np.float32)
    for i, row in enumerate(rows):
        for stem, weight in index.rows[row].terms.items():
            terms[i, vocabulary[stem]] = weight
    terms = terms / np.maximum(np.linalg.norm(terms, axis=1, keepdims=True), 1e-9)
    return 0.5 * (topics @ topics.T) + 0.5 * (terms @ terms.T)
