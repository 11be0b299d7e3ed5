"""Checking a batch of blogs, concurrently, politely.

asyncio with the shared HTTP client (lib/http.py). One request at a time per
host and a minimum delay between two (more if robots.txt asks); a 429/503
pauses the whole host for its Retry-After. Each blog's failure is recorded
on its own outcome and never stops the batch. No database access here: jobs
in, outcomes out; the cycle writes them in bulk.
"""

import asyncio
import functools
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from urllib.parse import urlsplit

from django.conf import settings
from protego import Protego

from ambassade.lib.http import FetchError, Policy, fetch, make_session

from .detect.extract import Article, decode_html, extract_fragment, extract_page
from .discover import feed_candidates, sitemap_candidates
from .feeds import Entry, FeedParseError, parse_feed, parse_sitemap

MAX_CRAWL_DELAY = 30.0
DEFAULT_RETRY_AFTER = 120.0


@dataclass
class FeedJob:
    feed_id: int
    blog_url: str
    platform: str
    url: str
    kind: str
    etag: str = ""
    last_modified: str = ""
    content_hash: str = ""
    known: frozenset = frozenset()  # hash() of the GUIDs and URLs already stored


@dataclass
class HostInfo:
    robots_txt: str | None = None  # None: not fetched yet
    crawl_delay: float | None = None
    paused_until: float = 0.0
    robots_fetched: bool = False  # fetched during this batch: to be stored


@dataclass
class NewPost:
    guid: str
    url: str
    title: str
    published: datetime | None
    article: Article
    comments: int | None


class FeedStatus(StrEnum):
    """What one check of a feed came to (stored on the feed's last outcome and counted per cycle)."""

    OK = "ok"  # read, with new posts or a changed feed
    NOT_MODIFIED = "not_modified"  # 304: the server says nothing changed
    UNCHANGED = "unchanged"  # 200, but the same content as last time (same hash)
    ERROR = "error"  # failed: timeout, connection, HTTP error, unparsable…
    GONE = "gone"  # 410: the blog is gone
    THROTTLED = "throttled"  # 429/503 with Retry-After: the whole host pauses
    PAUSED = "paused"  # not asked: the host is still in its pause
    ROBOTS_DENIED = "robots_denied"  # robots.txt forbids it


@dataclass
class Outcome:
    feed_id: int
    status: "FeedStatus"
    url: str = ""
    kind: str = ""
    http_status: int | None = None
    etag: str = ""
    last_modified: str = ""
    content_hash: str = ""
    new_posts: list[NewPost] = field(default_factory=list)
    post_dates: list[datetime] = field(default_factory=list)
    error_kind: str = ""
    error: str = ""
    rediscover: bool = False


class HostGate:
    """One request at a time per host, `delay` seconds apart, nothing while paused."""

    def __init__(self, hosts: dict[str, HostInfo], delay: float):
        self.hosts = hosts
        self.delay = delay
        self._locks: dict[str, asyncio.Lock] = {}
        self._last: dict[str, float] = {}

    def lock(self, host: str) -> asyncio.Lock:
        return self._locks.setdefault(host, asyncio.Lock())

    def info(self, host: str) -> HostInfo:
        return self.hosts.setdefault(host, HostInfo())

    async def turn(self, host: str) -> None:
        info = self.info(host)
        if info.paused_until > time.time():
            raise FetchError("paused", "hôte en pause (Retry-After)")
        spacing = max(self.delay, min(info.crawl_delay or 0.0, MAX_CRAWL_DELAY))
        wait = self._last.get(host, 0.0) + spacing - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        self._last[host] = time.monotonic()

    def pause(self, host: str, seconds: float | None) -> None:
        info = self.info(host)
        info.paused_until = max(info.paused_until, time.time() + (seconds or DEFAULT_RETRY_AFTER))


async def check_batch(jobs: list[FeedJob], hosts: dict[str, HostInfo], policy: Policy, *,
                      delay: float = 1.0, concurrency: int = 256,
                      progress: Callable[[Outcome], None] = lambda o: None) -> list[Outcome]:
    gate = HostGate(hosts, delay)
    limit = asyncio.Semaphore(concurrency)
    async with make_session(policy, limit=concurrency) as session:
        await session.prepare([url for job in jobs for url in (job.url, job.blog_url)])

        async def one(job: FeedJob) -> Outcome:
            host = (urlsplit(job.url or job.blog_url).hostname or "").lower()
            async with limit, gate.lock(host):
                try:
                    outcome = await _check(session, gate, host, job, policy)
                except FetchError as error:
                    outcome = _failed(job, error, gate, host)
                except Exception as error:  # one blog's surprise never stops the batch
                    outcome = Outcome(job.feed_id, FeedStatus.ERROR, job.url, job.kind, error_kind="internal",
                                      error=f"{type(error).__name__}: {error}"[:500])
            progress(outcome)
            return outcome

        return await asyncio.gather(*(one(job) for job in jobs))


def _failed(job: FeedJob, error: FetchError, gate: HostGate, host: str) -> Outcome:
    status = {"gone": FeedStatus.GONE, "throttled": FeedStatus.THROTTLED, "paused": FeedStatus.PAUSED}.get(
        error.kind, FeedStatus.ERROR)
    if error.kind == "throttled":
        gate.pause(host, error.retry_after)
    rediscover = error.kind in ("http", "parse") and error.status in (None, 404)
    return Outcome(job.feed_id, status, job.url, job.kind, http_status=error.status,
                   error_kind=error.kind, error=str(error)[:500], rediscover=rediscover)


async def _get(session, gate: HostGate, host: str, url: str, policy: Policy, **conditional):
    await gate.turn(host)
    return await fetch(session, url, policy, **conditional)


async def _robots(session, gate: HostGate, host: str, job: FeedJob, policy: Policy) -> Protego:
    info = gate.info(host)
    if info.robots_txt is None:
        root = f"{urlsplit(job.blog_url).scheme}://{urlsplit(job.url or job.blog_url).netloc}"
        try:
            result = await _get(session, gate, host, root + "/robots.txt", policy)
            info.robots_txt = decode_html(result.body, result.charset)[:100_000]
        except FetchError as error:
            if error.kind in ("throttled", "paused", "timeout", "connection"):
                raise
            info.robots_txt = ""  # no robots.txt: everything is allowed
        info.robots_fetched = True
    robots = parse_robots(info.robots_txt or "")
    info.crawl_delay = robots.crawl_delay("AmbassadeBot")
    return robots


def parse_robots(text: str) -> Protego:
    """Parsed once per distinct rule set: many blogs share their platform's default robots.txt,
    which differ only by their Sitemap line (sitemaps are read by the crawler itself)."""
    rules = "\n".join(line for line in text.splitlines() if not line.lower().startswith("sitemap:"))
    return _parse_rules(rules)


@functools.lru_cache(maxsize=2048)
def _parse_rules(rules: str) -> Protego:
    return Protego.parse(rules)


async def _check(session, gate: HostGate, host: str, job: FeedJob, policy: Policy) -> Outcome:
    robots = await _robots(session, gate, host, job, policy)
    url, kind = job.url, job.kind
    if not url:
        url, kind, result, entries = await _discover(session, gate, host, job, policy, robots)
    else:
        if not robots.can_fetch(url, "AmbassadeBot"):
            return Outcome(job.feed_id, FeedStatus.ROBOTS_DENIED, url, kind, error_kind="robots",
                           error="robots.txt interdit ce flux")
        result = await _get(session, gate, host, url, policy, etag=job.etag or None,
                            last_modified=job.last_modified or None)
        entries = None
    if result.permanent_url:
        url = result.permanent_url
    outcome = Outcome(job.feed_id, FeedStatus.OK, url, kind, http_status=result.status,
                      etag=result.etag or "", last_modified=result.last_modified or "")
    if result.not_modified:
        outcome.status, outcome.content_hash = FeedStatus.NOT_MODIFIED, job.content_hash
        return outcome
    outcome.content_hash = hashlib.blake2b(result.body, digest_size=16).hexdigest()
    if outcome.content_hash == job.content_hash and entries is None:
        outcome.status = FeedStatus.UNCHANGED
        return outcome
    if entries is None:
        try:
            entries = parse_feed(result.body, url, kind)
        except FeedParseError as error:
            return Outcome(job.feed_id, FeedStatus.ERROR, url, kind, http_status=result.status, error_kind="parse",
                           error=str(error)[:500], rediscover=True)
    outcome.post_dates = [e.published for e in entries[:10] if e.published]  # the schedule's window
    # A feed seen for the first time: its latest posts, not its whole archive.
    fresh = [e for e in entries if hash(e.guid) not in job.known and hash(e.url) not in job.known]
    fresh = fresh[:settings.WATCH_NEW_POSTS_PER_CHECK]
    for entry in fresh:
        outcome.new_posts.append(await _new_post(session, gate, host, entry, policy, robots, job.platform))
    return outcome


async def _discover(session, gate, host, job: FeedJob, policy: Policy, robots: Protego):
    """The first candidate that yields entries: announced or conventional feeds, then sitemaps."""
    home = await _get(session, gate, host, job.blog_url, policy)
    html = decode_html(home.body, home.charset)
    candidates = [(url, kind, _read_feed) for url, kind in feed_candidates(html, home.url, job.platform)]
    candidates += [(url, "sitemap", _read_sitemap)
                   for url in sitemap_candidates(gate.info(host).robots_txt or "", home.url)]
    last_error = None
    for url, kind, read in candidates:
        if not robots.can_fetch(url, "AmbassadeBot"):
            continue
        try:
            url, result, entries = await read(session, gate, host, url, kind, policy)
        except FetchError as error:
            if error.kind in ("throttled", "paused"):
                raise  # the whole host waits: no point trying its other addresses
            last_error = error
            continue
        except FeedParseError as error:
            last_error = FetchError("parse", str(error))
            continue
        if entries:
            return url, kind, result, entries
    raise last_error or FetchError("no_feed", "aucun flux ni plan du site trouvé sur ce blog")


async def _read_feed(session, gate, host, url: str, kind: str, policy: Policy):
    result = await _get(session, gate, host, url, policy)
    return url, result, parse_feed(result.body, url, kind)


async def _read_sitemap(session, gate, host, url: str, kind: str, policy: Policy):
    """A sitemap index leads to the posts' sitemap, which is then read as a feed."""
    result = await _get(session, gate, host, url, policy)
    nested, _pages = parse_sitemap(result.body)
    posts = [n for n in nested if "post" in n] or nested
    if posts:
        url = posts[0]
        result = await _get(session, gate, host, url, policy)
    return url, result, parse_feed(result.body, url, "sitemap")


async def _new_post(session, gate, host, entry: Entry, policy: Policy, robots: Protego,
                    platform: str = "") -> NewPost:
    published = entry.published.date() if entry.published else None
    article, page_date = None, None
    # Summary-only feeds (Over-blog, Canalblog…) and undated entries: read the page itself.
    if not entry.full or published is None:
        if robots.can_fetch(entry.url, "AmbassadeBot"):
            try:
                page = await _get(session, gate, host, entry.url, policy)
                extracted = extract_page(decode_html(page.body, page.charset), platform, entry.url)
                page_date = extracted.published
                if extracted.paragraphs and not entry.full:
                    extracted.title = entry.title or extracted.title
                    extracted.published = published or extracted.published
                    article = extracted
            except FetchError as error:
                if error.kind in ("throttled", "paused"):
                    raise
    if article is None:  # the feed's own content: the whole post, or the summary when the page failed
        article = extract_fragment(entry.html, entry.title, published)
    article.published = article.published or page_date
    when = entry.published
    if when is None and article.published:
        when = datetime(article.published.year, article.published.month, article.published.day, tzinfo=UTC)
    return NewPost(entry.guid, entry.url, entry.title or article.title or "", when, article, entry.comments)
