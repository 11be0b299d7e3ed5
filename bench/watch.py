"""Benchmark of the veille, against baselines measured in the same run on the same farm.

    make bench            (or: uv run python bench/watch.py [--blogs 10000] [--reader-blogs 1000])

Figures: checks/s on the 304 path and on the changed path (whole cycle: claim, fetch,
parse, detect, write), the same for a minimal asyncio client that only fetches (the
loopback ceiling) and for the `reader` library's update_feeds(workers=16); new-post
detection latency p50/p95; working memory per 1,000 blogs; lexicon matching MB/s at
10,000 patterns against a naive loop; share of conditional requests; the most requests
ever in flight to one host.
"""

import argparse
import asyncio
import gc
import json
import logging
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

from _harness import FarmProcess, configure, free_port, percentile

parser = argparse.ArgumentParser()
parser.add_argument("--blogs", type=int, default=10_000)
parser.add_argument("--reader-blogs", type=int, default=1_000)
parser.add_argument("--latency-seconds", type=float, default=20)
args = parser.parse_args()

PORT = free_port()
configure(AMBASSADE_FARM_PORT=PORT, AMBASSADE_WATCH_NEW_POSTS_PER_CHECK=1, AMBASSADE_WATCH_BATCH_SIZE=1000,
          AMBASSADE_WATCH_MIN_INTERVAL=3600, AMBASSADE_WATCH_MAX_INTERVAL=7200)

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from ambassade.accounts.models import Organisation  # noqa: E402
from ambassade.blogs.models import Blog  # noqa: E402
from ambassade.campaigns.models import Client, Operation, OperationStatus  # noqa: E402
from ambassade.farm.catalog import build_catalog  # noqa: E402
from ambassade.farm.render import feed_path  # noqa: E402
from ambassade.lib.folding import fold, fold_term  # noqa: E402
from ambassade.lib.http import Policy, check_url, make_session  # noqa: E402
from ambassade.watch.cycle import ensure_feeds, run_cycle  # noqa: E402
from ambassade.watch.detect.lexicon import Lexicon, Term  # noqa: E402
from ambassade.watch.models import Coverage, Feed  # noqa: E402

console = Console()
results: dict[str, float] = {}


def make_all_due(ids=None):
    qs = Feed.objects.all() if ids is None else Feed.objects.filter(id__in=ids)
    qs.update(next_check_at=timezone.now() - timezone.timedelta(seconds=1))


def timed_cycle(label: str, batch: int = 1000) -> float:
    make_all_due()
    gc.collect()
    started = time.perf_counter()
    report = run_cycle(batch)
    elapsed = time.perf_counter() - started
    console.print(f"  {label}: {report.checked} blogs in {elapsed:.1f} s — {dict(report.statuses)}, "
                  f"{report.new_posts} new posts, {report.coverages} coverage")
    return report.checked / elapsed


def best_of(passes: int, measure) -> float:
    """The least disturbed of `passes` runs of `measure(n)`: this machine's speed moves by a third
    from one minute to the next. Every timed figure, ours and the baselines alike, is taken so."""
    return max(measure(n) for n in range(1, passes + 1))


# What the benchmark's worker processes (bench/_*.py) need: the same settings, the project importable.
WORKER_ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}


def workers_cycle(count: int, label: str, batch: int = 1000) -> float:
    """Checks per second of `count` worker processes, timed from the moment all are ready."""
    make_all_due()
    processes = [subprocess.Popen([sys.executable, str(Path(__file__).parent / "_veille_worker.py"), str(batch)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=WORKER_ENV)
                 for _ in range(count)]
    for process in processes:
        if process.stdout.readline().strip() != "ready":
            raise RuntimeError("a worker did not start")
    started = time.perf_counter()
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    reports = [json.loads(process.stdout.readline()) for process in processes]
    elapsed = time.perf_counter() - started
    for process in processes:
        process.wait(60)
    checked = sum(r["checked"] for r in reports)
    console.print(f"  {label}: {checked} blogs in {elapsed:.1f} s — {[r['checked'] for r in reports]} per worker, "
                  f"{sum(r['new_posts'] for r in reports)} new posts")
    return checked / elapsed


console.print(f"[bold]Veille benchmark[/bold] — {args.blogs} farm blogs on distinct host names, farm on :{PORT}")
farm = FarmProcess(args.blogs, PORT)
try:
    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="Bench", slug="bench")
    client = Client.objects.create(organisation=org, name="Maison Azur")
    Operation.objects.create(organisation=org, client=client, name="Hydra", brand="Maison Azur",
                             product_names=["Crème Hydra Rose", "Sérum Éclat de Nuit"], aliases=["#AzurBeauté"],
                             brand_domains=["maison-azur.fr"], status=OperationStatus.RUNNING,
                             starts_on=timezone.localdate())
    catalog = build_catalog(args.blogs, 42)
    base = {b.slug: f"http://{b.host('farm.localhost')}:{PORT}" for b in catalog}
    Blog.objects.bulk_create([Blog(organisation=org, url=base[b.slug] + "/", url_key=b.slug, name=b.name,
                                   platform=b.platform, feed_url=base[b.slug] + feed_path(b)) for b in catalog],
                             batch_size=2000)
    ensure_feeds()

    console.print("Cold cycle (robots.txt, first fetch, latest post of each blog)…")
    timed_cycle("cold")

    # --- the 304 path -------------------------------------------------------------
    farm.control("reset")
    results["ours_304"] = best_of(2, lambda n: timed_cycle(f"304 path, pass {n}"))
    stats = farm.control("stats", method="GET")
    feed_requests = stats["requests"]
    results["conditional_share"] = stats["statuses"].get("304", 0) / max(1, feed_requests)
    results["max_inflight"] = stats["max_inflight_per_host"]

    # --- ceiling: a minimal asyncio client that only fetches, conditionally ----------
    feeds = list(Feed.objects.values_list("url", "etag"))
    policy = Policy(farm_allowed=True, farm_domain="farm.localhost", farm_address="127.0.0.1",
                    max_bytes=5_000_000, timeout=30)

    async def ceiling():
        # The same HTTP client and the same pinned addresses, and nothing else: no politeness,
        # no redirects, no cap, no parsing, no database.
        sem = asyncio.Semaphore(256)
        async with make_session(policy, limit=256) as session:
            await session.prepare([u for u, _e in feeds])
            clients = {u: await session.client_for(check_url(u, policy)) for u, _e in feeds}

            async def one(url, etag):
                async with sem:
                    response = await clients[url].get(url).header("If-None-Match", etag).build().send()
                    return response.status
            return await asyncio.gather(*(one(u, e) for u, e in feeds))

    not_modified = []

    def ceiling_pass(_n) -> float:
        started = time.perf_counter()
        statuses = asyncio.run(ceiling())
        not_modified.append(statuses.count(304))
        return len(statuses) / (time.perf_counter() - started)

    results["ceiling_304"] = best_of(3, ceiling_pass)
    console.print(f"  ceiling (fetch only): {results['ceiling_304']:.0f} req/s, {min(not_modified)} × 304")

    # --- the changed path: a new post on every blog (most new posts are not about a product) ---
    def changed(cycle):
        def measure(n):
            farm.control("bump", kind="unrelated")
            return cycle(n)
        return measure

    results["ours_changed"] = best_of(2, changed(lambda n: timed_cycle(f"changed path, pass {n}")))

    # --- scale-out on this machine: two worker processes sharing the database ---------
    results["ours_304_x2"] = best_of(2, lambda n: workers_cycle(2, f"304 path, 2 workers, pass {n}"))
    results["ours_changed_x2"] = best_of(2, changed(lambda n: workers_cycle(2, f"changed path, 2 workers, pass {n}")))
    # Memory, in a pass of its own: tracing allocations slows Python code several times.
    tracemalloc.start()
    timed_cycle("304 path, memory traced (not timed)")
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    timed_cycle("304 path, memory traced, default batches of 200 (not timed)", batch=200)
    _current, peak_200 = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    results["memory_kib_per_1000"] = peak / 1024  # the working set of a 1,000-blog batch
    results["memory_kib_batch_200"] = peak_200 / 1024


    # --- a worker's own memory: a separate process that only runs the veille -----------
    def worker_memory(watched: int) -> dict:
        worker = subprocess.run(
            [sys.executable, str(Path(__file__).parent / "_worker_memory.py"), "1000", "3", str(watched)],
            capture_output=True, text=True, timeout=900, env=WORKER_ENV)
        if worker.returncode:
            raise RuntimeError(worker.stderr[-2000:])
        memory = json.loads(worker.stdout.strip().splitlines()[-1])
        memory["above_kib"] = max(memory["after_kib"]) - memory["baseline_kib"]  # the highest of the 3 cycles
        console.print(f"  worker process watching {watched} blogs: {memory['baseline_kib'] / 1024:.0f} MiB after "
                      f"start-up, {[round(k / 1024) for k in memory['after_kib']]} MiB after each of 3 cycles")
        return memory

    # A worker's memory is a batch's working set (constant) plus what each watched blog costs:
    # the second is the difference between watching all the blogs and a fifth of them.
    small, whole = worker_memory(args.blogs // 5), worker_memory(args.blogs)
    results["worker_constant_mib"] = small["above_kib"] / 1024
    results["worker_kib_per_1000"] = 1000 * (whole["above_kib"] - small["above_kib"]) / (whole["blogs"] - small["blogs"])
    results["worker_growth_kib_per_1000"] = 1000 * (whole["after_kib"][-1] - whole["after_kib"][0]) / whole["blogs"]

    # --- detection latency: posts published while the veille runs continuously -------
    published: list[tuple[str, float]] = []
    stop = threading.Event()
    slugs = [b.slug for b in catalog]

    def publisher():
        rng = random.Random(7)
        while not stop.is_set():
            slug = rng.choice(slugs)
            farm.control("publish", blog=slug, kind="sponsored", brand="Maison+Azur")
            published.append((slug, time.time()))
            time.sleep(0.2)

    thread = threading.Thread(target=publisher, daemon=True)
    began = timezone.now()
    thread.start()
    deadline = time.monotonic() + args.latency_seconds
    while time.monotonic() < deadline:
        make_all_due()
        run_cycle(1000)
    stop.set()
    thread.join()
    make_all_due()
    run_cycle(1000)  # let the last ones be found
    latencies = [
        (c.detected_at - c.post.published_at).total_seconds()
        for c in Coverage.objects.filter(post__found_at__gte=began, post__published_at__gte=began).select_related("post")
    ]
    results["latency_p50"] = percentile(latencies, 0.5)
    results["latency_p95"] = percentile(latencies, 0.95)
    console.print(f"  latency: {len(latencies)} of {len(published)} published posts found during the run")

    # --- lexicon matching at 10,000 patterns ------------------------------------------
    rng = random.Random(1)
    terms = [Term(f"Marque {rng.randrange(10**6):06d} {rng.choice(['Beauté', 'Cuisine', 'Maison'])}", "brand", i)
             for i in range(9_990)]
    terms += [Term(t, "product", "real") for t in ("Crème Hydra Rose", "Maison Azur", "Brassé Vanille",
                                                    "Laiterie Delacour", "#AzurBeauté", "Sérum Éclat de Nuit",
                                                    "Onctueux Framboise", "Vélo Nomade", "Atelier Lin", "Kitchenette")]
    lexicon = Lexicon(terms)
    # Articles of realistic length (about 4 KB, 600 words) made of the farm's French posts.
    corpus, current = [], []
    for text in (" ".join(p.paragraphs) for b in catalog[:2000] for p in b.posts):
        current.append(text)
        if sum(map(len, current)) > 4000:
            corpus.append(" ".join(current))
            current = []
    size_mb = sum(len(t.encode()) for t in corpus) / 1e6
    folded_corpus = [fold(text) for text in corpus]

    def best_of_three(work) -> float:  # a micro-benchmark: the least disturbed of three passes
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            work()
            timings.append(time.perf_counter() - started)
        return size_mb / min(timings)

    hits = sum(len(lexicon.find(folded)) for folded in folded_corpus)
    results["matching_mb_s"] = best_of_three(lambda: [lexicon.find(folded) for folded in folded_corpus])
    results["fold_matching_mb_s"] = best_of_three(lambda: [lexicon.find(fold(text)) for text in corpus])
    folded_terms = [fold_term(t.text) for t in terms]
    sample = corpus[:20]
    sample_mb = sum(len(t.encode()) for t in sample) / 1e6
    started = time.perf_counter()
    for text in sample:
        folded = fold(text).text
        _ = [t for t in folded_terms if t in folded]
    results["naive_matching_mb_s"] = sample_mb / (time.perf_counter() - started)
    console.print(f"  matching: {size_mb:.1f} MB, {hits} hits")

    # --- reader: update_feeds(workers=16) on a subset of the same feeds -----------------
    try:
        from reader import make_reader
    except ImportError:
        make_reader = None
    if make_reader:
        real_getaddrinfo = socket.getaddrinfo

        def farm_getaddrinfo(host, *rest, **kw):  # reader's HTTP client cannot resolve *.localhost names
            if isinstance(host, str) and host.endswith(".farm.localhost"):
                host = "127.0.0.1"
            return real_getaddrinfo(host, *rest, **kw)

        socket.getaddrinfo = farm_getaddrinfo
        logging.getLogger("reader").setLevel(logging.ERROR)  # it logs every feed served without a charset
        reader = make_reader(tempfile.mktemp(suffix=".sqlite"))
        subset = list(Feed.objects.order_by("id").values_list("url", flat=True)[: args.reader_blogs])
        for url in subset:
            reader.add_feed(url)
        # scheduled=False: reader would otherwise skip feeds it updated a moment ago.
        reader.update_feeds(workers=16, scheduled=False)  # cold
        # reader's own figures vary most from run to run: the best of three passes, so that our
        # ratios are the least flattering ones.
        def reader_pass(bump: bool) -> float:
            if bump:
                farm.control("bump", count=args.reader_blogs, kind="unrelated")
            started = time.perf_counter()
            reader.update_feeds(workers=16, scheduled=False)
            return len(subset) / (time.perf_counter() - started)

        results["reader_304"] = best_of(3, lambda _n: reader_pass(bump=False))
        results["reader_changed"] = best_of(3, lambda _n: reader_pass(bump=True))
        console.print(f"  reader (best of 3): {results['reader_304']:.0f} checks/s on the 304 path, "
                      f"{results['reader_changed']:.0f} on the changed path")
        socket.getaddrinfo = real_getaddrinfo
        reader.close()
finally:
    farm.stop()

table = Table("Measure", "Ambassade", "Baseline", "Ratio", "Target", title="Veille benchmark (measured in this run)")


def row(name, ours, base, base_name, target_ratio=None, target_text="", at_least=0.0):
    ratio = ours / base if base else float("nan")
    ok = "" if target_ratio is None else (" ✔" if ratio >= target_ratio and ours >= at_least else " ✘")
    table.add_row(name, f"{ours:,.1f}", f"{base:,.1f} ({base_name})", f"{ratio:.2f}×{ok}", target_text)


row("checks/s, 304 path", results["ours_304"], results["ceiling_304"], "fetch-only ceiling", 0.5,
    "≥ 1,500/s and ≥ 50 % of ceiling", at_least=1500)
if "reader_304" in results:
    row("checks/s, 304 path", results["ours_304"], results["reader_304"], "reader, best of 3", 3, "≥ 3× reader")
    row("checks/s, 304 path, 2 workers", results["ours_304_x2"], results["reader_304"], "reader, best of 3", 3,
        "≥ 3× reader")
    row("checks/s, changed path", results["ours_changed"], results["reader_changed"], "reader, best of 3", 3, "≥ 3× reader")
    row("checks/s, changed path, 2 workers", results["ours_changed_x2"], results["reader_changed"],
        "reader, best of 3", 3, "≥ 3× reader")
row("matching MB/s, 10,000 patterns", results["matching_mb_s"], results["naive_matching_mb_s"], "naive loop", None, "≥ 50 MB/s")
row("fold + matching MB/s", results["fold_matching_mb_s"], results["naive_matching_mb_s"], "naive loop", None, "")
console.print(table)
console.print(
    f"checks/s on the changed path: {results['ours_changed']:.0f}  ·  "
    f"new-post detection latency: p50 {results['latency_p50']:.1f} s, p95 {results['latency_p95']:.1f} s  ·  "
    f"working memory: {results['memory_kib_per_1000']:.0f} KiB for a 1,000-blog batch, "
    f"{results['memory_kib_batch_200']:.0f} KiB for a default 200-blog batch (Python peaks; "
    f"no state is kept in memory between cycles)  ·  a worker process that only runs the veille: "
    f"{results['worker_constant_mib']:.0f} MiB above its start-up size (a batch's working set), and "
    f"{results['worker_kib_per_1000']:.0f} KiB per 1,000 blogs more (watching all the blogs against a fifth), "
    f"growth from the first to the third cycle {results['worker_growth_kib_per_1000']:.0f} KiB per 1,000 blogs  ·  "
    f"conditional requests on the 304 path: {100 * results['conditional_share']:.1f} %  ·  "
    f"most requests in flight to one host: {results['max_inflight']}"
)
sys.exit(0)
