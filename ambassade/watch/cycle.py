"""One watch cycle for one worker: claim due blogs, check them, write what was found.

Claiming is a conditional update under a lease: rows are picked with
SKIP LOCKED where the database has it (PostgreSQL) and inside an immediate
transaction on SQLite, so two workers never take the same blog. Results are
written only at the end of the batch, in one transaction: a worker killed
mid-batch writes nothing and its batch comes back when the lease expires.
"""

import asyncio
import copy
import hashlib
import logging
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from ambassade.blogs.models import Blog, BlogStatus
from ambassade.campaigns.models import Operation, OperationStatus
from ambassade.lib.bulk import update_rows
from ambassade.lib.clean import clean_text
from ambassade.lib.http import Policy

from .coverage import record_coverage
from .crawler import FeedJob, FeedStatus, HostInfo, Outcome, check_batch
from .detect.analyze import analyze_groups
from .detect.lexicon import Lexicon, Term
from .models import Feed, FeedKind, HostState, Post
from .schedule import backoff, next_interval

# The most recent posts per blog handed to the crawler to tell new from known. A feed
# lists 10 to 25 items, so 30 is enough; they travel as hashes to keep batches small.
KNOWN_POSTS = 30

logger = logging.getLogger(__name__)


@dataclass
class CycleReport:
    checked: int = 0
    statuses: dict = field(default_factory=lambda: defaultdict(int))
    new_posts: int = 0
    coverages: int = 0
    coverage_ids: list = field(default_factory=list)  # for the workflow on top (placements, mails)


def ensure_feeds() -> int:
    """Every active blog gets a feed row (its stated feed URL, or discovery)."""
    missing = Blog.objects.filter(feed__isnull=True).exclude(status=BlogStatus.ARCHIVED)
    feeds = [Feed(blog=b, url=b.feed_url, kind=_kind_of(b.feed_url), next_check_at=timezone.now()) for b in missing]
    Feed.objects.bulk_create(feeds, ignore_conflicts=True, batch_size=1000)
    return len(feeds)


def _kind_of(url: str) -> str:
    if not url:
        return FeedKind.UNKNOWN
    return FeedKind.ATOM if url.endswith(("atom.xml", "/default")) else FeedKind.RSS


def claim_batch(owner: str, size: int, now=None) -> list[int]:
    now = now or timezone.now()
    lease = now + timedelta(seconds=settings.WATCH_LEASE_SECONDS)
    with transaction.atomic():
        due = Feed.objects.due(now).order_by("next_check_at")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("id", flat=True)[:size])
        if not ids:
            return []
        # Conditional: a row another worker leased in between is not taken.
        Feed.objects.filter(id__in=ids).due(now).update(lease_owner=owner, lease_until=lease)
    return list(Feed.objects.filter(id__in=ids, lease_owner=owner).values_list("id", flat=True))


def run_cycle(batch_size: int | None = None, *, progress=lambda outcome: None, policy: Policy | None = None,
              max_batches: int | None = None) -> CycleReport:
    """Check batches until nothing is due (or `max_batches`); returns what happened."""
    ensure_feeds()
    report = CycleReport()
    batches = 0
    while max_batches is None or batches < max_batches:
        owner = uuid.uuid4().hex
        ids = claim_batch(owner, batch_size or settings.WATCH_BATCH_SIZE)
        if not ids:
            break
        run_batch(owner, ids, report, progress=progress, policy=policy)
        batches += 1
    return report


def run_batch(owner: str, ids: list[int], report: CycleReport, *, progress=lambda o: None,
              policy: Policy | None = None) -> None:
    feeds = {f.id: f for f in Feed.objects.filter(id__in=ids, lease_owner=owner).select_related("blog").only(
        *[f.name for f in Feed._meta.concrete_fields],
        "blog__url", "blog__platform", "blog__organisation_id", "blog__status")}
    known = defaultdict(set)
    for blog_id, guid, url in _recent_posts([f.blog_id for f in feeds.values()]):
        known[blog_id].update((hash(guid), hash(url)))
    jobs = [
        FeedJob(f.id, f.blog.url, f.blog.platform, f.url, f.kind, f.etag, f.last_modified, f.content_hash,
                frozenset(known[f.blog_id]))
        for f in feeds.values()
    ]
    host_names = {(urlsplit(j.url or j.blog_url).hostname or "").lower() for j in jobs}
    states = {h.host: h for h in HostState.objects.filter(host__in=host_names)}
    hosts = {
        name: HostInfo(
            robots_txt=state.robots_txt if state and state.robots_fetched_at
            and state.robots_fetched_at > timezone.now() - timedelta(days=1) else None,
            crawl_delay=state.crawl_delay if state else None,
            paused_until=state.paused_until.timestamp() if state and state.paused_until else 0.0,
        )
        for name in host_names
        for state in [states.get(name)]
    }
    outcomes = asyncio.run(check_batch(jobs, hosts, policy or Policy(), delay=settings.WATCH_HOST_DELAY,
                                       progress=progress))
    before = copy.deepcopy(report)
    try:
        _write(feeds, outcomes, hosts, states, report)
    except DatabaseError:
        # One outcome the database refuses must not sink the batch (its leases would stay
        # and it would come back and fail again, for every blog in it): each feed is then
        # written on its own, and the one that fails is recorded as an error on its feed.
        report.__dict__.update(copy.deepcopy(before).__dict__)
        for outcome in outcomes:
            try:
                _write({outcome.feed_id: feeds[outcome.feed_id]}, [outcome], hosts, states, report)
            except DatabaseError as error:
                logger.exception("feed %s: outcome not stored", outcome.feed_id)
                _write_failure(feeds[outcome.feed_id], error, report)


def _recent_posts(blog_ids: list[int]):
    """(blog, GUID, URL) of each blog's KNOWN_POSTS latest posts, ranked by the database: a blog
    watched for years has thousands of posts, and only the latest can be in its feed."""
    latest_first = F("published_at").desc(nulls_first=True)  # undated posts were found recently
    return (
        Post.objects.filter(blog_id__in=blog_ids)
        .annotate(rank=Window(RowNumber(), partition_by=F("blog_id"), order_by=[latest_first, F("id").desc()]))
        .filter(rank__lte=KNOWN_POSTS)
        .values_list("blog_id", "guid", "url")
    )


def _write(feeds: dict[int, Feed], outcomes: list[Outcome], hosts, states, report: CycleReport) -> None:
    now = timezone.now()
    rng = random.Random()
    minimum, maximum = settings.WATCH_MIN_INTERVAL, settings.WATCH_MAX_INTERVAL
    new_posts: list[tuple[Post, object]] = []
    with transaction.atomic():
        for outcome in outcomes:
            feed = feeds[outcome.feed_id]
            report.checked += 1
            report.statuses[outcome.status] += 1
            feed.last_checked_at, feed.check_count = now, feed.check_count + 1
            feed.lease_owner, feed.lease_until = "", None
            feed.last_status = outcome.http_status
            if outcome.status in (FeedStatus.OK, FeedStatus.NOT_MODIFIED, FeedStatus.UNCHANGED):
                if outcome.url and outcome.url != feed.url:
                    feed.url, feed.kind, feed.discovered_at = outcome.url, outcome.kind or feed.kind, now
                feed.etag, feed.last_modified = outcome.etag[:300], outcome.last_modified[:100]
                feed.content_hash = outcome.content_hash
                feed.last_success_at, feed.error_count, feed.last_error, feed.last_error_kind = now, 0, "", ""
                if outcome.post_dates:
                    feed.interval = next_interval(outcome.post_dates, now, minimum, maximum, rng)
                feed.next_check_at = now + timedelta(seconds=feed.interval)
                for new in outcome.new_posts:
                    new_posts.append((_post(feed.blog, new, now), new))
            else:
                feed.error_count += 1
                feed.last_error, feed.last_error_kind = clean_text(outcome.error)[:500], outcome.error_kind[:30]
                delay = backoff(feed.error_count, minimum, maximum, rng)
                host = (urlsplit(feed.url or feed.blog.url).hostname or "").lower()
                paused = hosts.get(host)
                if paused and paused.paused_until:
                    delay = max(delay, int(paused.paused_until - now.timestamp()) + 1)
                feed.next_check_at = now + timedelta(seconds=delay)
                if outcome.status == FeedStatus.GONE:
                    feed.gone = True
                    Blog.objects.filter(pk=feed.blog_id).update(status=BlogStatus.BROKEN)
                if outcome.rediscover and feed.error_count >= 2:
                    feed.url, feed.kind, feed.etag, feed.last_modified = "", FeedKind.UNKNOWN, "", ""
        update_rows(
            Feed,
            list(feeds.values()),
            ["url", "kind", "discovered_at", "etag", "last_modified", "content_hash", "next_check_at", "interval",
             "last_checked_at", "last_success_at", "last_status", "error_count", "last_error", "last_error_kind",
             "gone", "check_count", "lease_owner", "lease_until"],
        )
        _store_hosts(hosts, states, now)
        lexicon, operations = active_lexicon() if new_posts else (None, {})
        verdicts = {}
        for post, new in new_posts:  # the post's own verdict, stored with it
            whole, per_group = verdicts[id(post)] = analyze_groups(new.article, lexicon)
            post.disclosure, post.giveaway = whole.disclosure.label, whole.giveaway.present
            post.topics = whole.topics
        created = _store_posts([p for p, _ in new_posts])
        report.new_posts += len(created)
        fresh = [(p, verdicts[id(p)][1]) for p, _ in new_posts if (p.blog_id, p.guid) in created]
        found = _detect(fresh, operations)
        report.coverages += len(found)
        report.coverage_ids += found


def _write_failure(feed: Feed, error: Exception, report: CycleReport) -> None:
    now = timezone.now()
    report.checked += 1
    report.statuses["error"] += 1
    Feed.objects.filter(pk=feed.pk).update(
        last_checked_at=now, check_count=F("check_count") + 1, lease_owner="", lease_until=None,
        error_count=F("error_count") + 1, last_error_kind="internal",
        last_error=clean_text(f"enregistrement impossible : {type(error).__name__}: {error}")[:500],
        next_check_at=now + timedelta(seconds=settings.WATCH_MAX_INTERVAL))


def _post(blog: Blog, new, now) -> Post:
    text = clean_text(new.article.text)  # the crawler cleaned it already: this is the last guard
    published = new.published
    if published and published > now + timedelta(days=1):
        published = now  # a post dated in the future was, at the latest, published when we found it
    return Post(
        blog=blog, guid=clean_text(new.guid)[:500], url=clean_text(new.url)[:500],
        title=clean_text(new.title or "")[:500],
        published_at=published, excerpt=text[:500], text=text,
        text_hash=hashlib.blake2b(text.encode(), digest_size=16).hexdigest(),
        comment_count=new.comments,
    )


def _store_posts(posts: list[Post]) -> set[tuple[int, str]]:
    """Insert the new posts and return their (blog, GUID) keys.

    The crawler already left out the posts it knew, so a plain insert (which
    returns primary keys on SQLite and PostgreSQL) is the common path; a
    conflict (a post older than the known window) falls back to skipping the
    existing ones.
    """
    if not posts:
        return set()
    try:
        with transaction.atomic():
            Post.objects.bulk_create(posts, batch_size=500)
        if all(p.pk for p in posts):
            return {(p.blog_id, p.guid) for p in posts}
    except IntegrityError:
        for post in posts:
            post.pk = None
    existing = set(Post.objects.filter(blog_id__in={p.blog_id for p in posts}, guid__in=[p.guid for p in posts])
                   .values_list("blog_id", "guid"))
    fresh = [p for p in posts if (p.blog_id, p.guid) not in existing]
    Post.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=500)
    stored = {(p.blog_id, p.guid): p.pk for p in Post.objects.filter(
        blog_id__in={p.blog_id for p in fresh}, guid__in=[p.guid for p in fresh]).only("id", "blog_id", "guid")}
    for post in fresh:
        post.pk = stored.get((post.blog_id, post.guid))
    return {(p.blog_id, p.guid) for p in fresh if p.pk}


def _store_hosts(hosts: dict[str, HostInfo], states: dict[str, HostState], now) -> None:
    """Upsert what changed about each host (robots.txt fetched, a pause), in one statement."""
    changed = []
    for name, info in hosts.items():
        paused = datetime.fromtimestamp(info.paused_until, tz=UTC) if info.paused_until else None
        if not info.robots_fetched and (paused is None or paused <= now):
            continue
        state = states.get(name) or HostState(host=name)
        if info.robots_fetched:
            state.robots_txt, state.robots_fetched_at = info.robots_txt or "", now
        state.crawl_delay = info.crawl_delay
        state.paused_until = paused
        changed.append(state)
    HostState.objects.bulk_create(
        changed, update_conflicts=True, unique_fields=["host"],
        update_fields=["robots_txt", "robots_fetched_at", "crawl_delay", "paused_until"], batch_size=500,
    )


def active_lexicon() -> tuple[Lexicon, dict[int, Operation]]:
    """Every running operation's terms in one automaton, grouped by operation id."""
    operations = {op.id: op for op in Operation.objects.filter(status=OperationStatus.RUNNING).select_related("organisation")}
    terms = []
    for op in operations.values():
        terms.append(Term(op.brand, "brand", op.id))
        terms += [Term(p, "product", op.id) for p in op.product_names]
        terms += [Term(a, "alias", op.id) for a in op.aliases]
        terms += [Term(d, "domain", op.id) for d in op.brand_domains]
    return Lexicon(terms), operations


def _detect(posts, operations: dict[int, Operation]) -> list[int]:
    """Coverage for each (new post, operation of its blog's organisation) it is about; the new ids."""
    found = []
    for post, per_group in posts:
        for op_id, verdict in per_group.items():
            operation = operations.get(op_id)
            if operation is None or operation.organisation_id != post.blog.organisation_id:
                continue
            if verdict.is_coverage and _during(post, operation):
                coverage = record_coverage(post, operation, verdict.as_json())
                if coverage is not None:
                    found.append(coverage.pk)
    return found


def _during(post: Post, operation: Operation) -> bool:
    """A post older than the operation is the blog's history, not the operation's coverage."""
    if not operation.starts_on:
        return True
    published = post.published_at or post.found_at
    return timezone.localdate(published) >= operation.starts_on
