"""Benchmark of the ciblage, against naive baselines measured in the same run.

    make bench            (or: uv run python bench/rank.py [--profiles 100000])

Figures: ranking N profiles for a brief (warm index: p50/p95 over many briefs, target
p95 < 300 ms) against a plain Python loop scoring every profile; the index build (cold);
the index's memory; the cost of folding one new post into a profile against rebuilding
the profile from the blog's recent posts.
"""

import argparse
import math
import random
import sys
import time
from datetime import UTC, datetime, timedelta

from _harness import configure, percentile, rss_kib

parser = argparse.ArgumentParser()
parser.add_argument("--profiles", type=int, default=100_000)
parser.add_argument("--briefs", type=int, default=33)
parser.add_argument("--seed", type=int, default=1)
args = parser.parse_args()
configure()

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import track  # noqa: E402
from rich.table import Table  # noqa: E402

from ambassade.evaluation.targeting import BRIEFS, brief_of  # noqa: E402
from ambassade.farm.catalog import build_catalog  # noqa: E402
from ambassade.targeting.profile import DecayedProfile, PostFacts, fold  # noqa: E402
from ambassade.targeting.rank import BM25_B, BM25_K1, TOPICS, ProfileIndex, ProfileRow, rank  # noqa: E402
from ambassade.targeting.text import terms  # noqa: E402

console = Console(highlight=False, width=120)
rng = np.random.default_rng(args.seed)
NEVER = ["grossesse", "peaux sèches", "alcool", "jeux d'argent", "régimes"]


def synthetic_rows(count: int) -> list[ProfileRow]:
    """Profiles shaped like real ones: Zipf-distributed vocabulary, the briefs' words among it,
    two or three topics, a tenth with never-topics, a few opted out or asleep."""
    brief_stems = sorted({s for case in BRIEFS for s in brief_of(case).terms})
    vocabulary = brief_stems + [f"mot{i}" for i in range(30_000)]
    weights = 1 / np.arange(1, len(vocabulary) + 1) ** 0.9
    weights /= weights.sum()
    rows = []
    for blog_id in track(range(count), description="profils synthétiques", console=console):
        size = int(rng.integers(40, 151))
        ids = np.unique(rng.choice(len(vocabulary), size=size, p=weights))
        values = rng.gamma(1.5, 2.0, size=len(ids))
        topic_ids = rng.choice(len(TOPICS), size=int(rng.integers(1, 4)), replace=False)
        shares = rng.dirichlet(np.ones(len(topic_ids)))
        rows.append(ProfileRow(
            blog_id=blog_id, terms={vocabulary[i]: float(v) for i, v in zip(ids, values, strict=True)},
            length=float(values.sum()), topics={TOPICS[t]: float(s) for t, s in zip(topic_ids, shares, strict=True)},
            language="fr" if rng.random() < 0.97 else "en",
            last_post_days=float(rng.exponential(25)), sponsored_share=float(rng.beta(1.2, 5)),
            posts_90d=int(rng.integers(1, 40)),
            never=tuple(rng.choice(NEVER, size=1)) if rng.random() < 0.1 else (),
            contactable=rng.random() > 0.02, placements_6m=int(rng.poisson(0.4)), shipped_30d=int(rng.poisson(0.2)),
            published=int(rng.poisson(0.5)), unpublished=int(rng.poisson(0.2)),
        ))
    return rows


def naive_rank(rows: list[ProfileRow], brief, limit: int = 20):
    """The straightforward version: one Python loop over every profile, same filters, same score."""
    from ambassade.targeting.never import touched

    n = len(rows)
    df = {s: sum(1 for r in rows if s in r.terms) for s in brief.terms}
    avg = sum(r.length for r in rows) / n
    scored = []
    for r in rows:
        if (r.blog_id in brief.placed or not r.contactable or touched(set(r.never), brief.stems, frozenset(brief.topics))
                or r.last_post_days is None or r.last_post_days > brief.inactive_days or r.language != brief.language):
            continue
        score = 0.0
        for stem, weight in brief.terms.items():
            tf = r.terms.get(stem)
            if tf:
                idf = math.log(1 + (n - df[stem] + 0.5) / (df[stem] + 0.5))
                score += weight * idf * tf * (BM25_K1 + 1) / (tf + BM25_K1 * (1 - BM25_B + BM25_B * r.length / avg))
        top = max(r.topics.values(), default=1)
        score += sum(r.topics.get(t, 0) for t in brief.topics) / top
        scored.append((score, r.blog_id))
    scored.sort(reverse=True)
    return scored[:limit]


console.print(f"[bold]Ciblage benchmark[/bold] — {args.profiles:,} profiles, {args.briefs} briefs")
rows = synthetic_rows(args.profiles)
memory_before = rss_kib()
started = time.perf_counter()
index = ProfileIndex(rows)
build_seconds = time.perf_counter() - started
index_mib = (rss_kib() - memory_before) / 1024
briefs = [brief_of(BRIEFS[i % len(BRIEFS)]) for i in range(args.briefs)]

rank(index, briefs[0])  # warm-up: first touch of the arrays
latencies = []
for brief in briefs * 3:
    started = time.perf_counter()
    ranking = rank(index, brief, limit=20)
    latencies.append((time.perf_counter() - started) * 1000)
    assert len(ranking.candidates) == 20
naive = []
for brief in briefs[:3]:
    started = time.perf_counter()
    naive_rank(rows, brief)
    naive.append((time.perf_counter() - started) * 1000)

# Profile update: one new post folded in, against rebuilding the profile from the blog's 30 recent posts.
catalog = [b for b in build_catalog(40, seed=3) if not b.faults]
now = datetime.now(UTC)
posts = [PostFacts(published_at=now - timedelta(days=i), title=p.title, text="\n".join(p.paragraphs), topics=[p.topic],
                   disclosure=p.disclosure) for b in catalog for i, p in enumerate(b.posts[:31])]
random.Random(1).shuffle(posts)
profile = fold(DecayedProfile(), posts[:30], now)
fold_us, rebuild_us = [], []
for post in posts[30:330]:
    started = time.perf_counter()
    fold(profile, [post], now)
    fold_us.append((time.perf_counter() - started) * 1e6)
for start in range(0, 30 * 10, 30):
    recent = posts[start:start + 30]
    started = time.perf_counter()
    fold(DecayedProfile(), recent, now)
    rebuild_us.append((time.perf_counter() - started) * 1e6)
words = sum(len(terms(p.text)) for p in posts[30:330]) / 300

p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
naive_ms = sum(naive) / len(naive)
table = Table("Measure", "Ambassade", "Baseline", "Ratio", "Target", title="Ciblage benchmark (measured in this run)")
table.add_row(f"rank {args.profiles:,} profiles, p95 (warm)", f"{p95:.1f} ms", f"{naive_ms:,.0f} ms (plain loop, mean)",
              f"{naive_ms / p95:.0f}× faster", "p95 < 300 ms" + (" ✔" if p95 < 300 else " ✘"))
table.add_row("rank, p50 (warm)", f"{p50:.1f} ms", "", "", "")
table.add_row("profile update, per new post", f"{percentile(fold_us, 0.5):,.0f} µs (p50)",
              f"{percentile(rebuild_us, 0.5):,.0f} µs (rebuild from 30 posts)",
              f"{percentile(rebuild_us, 0.5) / percentile(fold_us, 0.5):.0f}× cheaper", "")
console.print(table)
console.print(f"index build (cold): {build_seconds:.1f} s for {args.profiles:,} profiles  ·  index memory: "
              f"{index_mib:,.0f} MiB  ·  posts folded: {words:.0f} distinct terms each on average  ·  "
              f"{len(latencies)} rankings timed")
sys.exit(0)
