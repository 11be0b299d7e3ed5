"""Entries from the blog's comments, with the veille's manners.

A source (the post's WordPress REST comments, its WordPress or Blogger comment feed) is due on a
schedule; a worker leases it (as the veille leases feeds: two workers never read one source), asks
robots.txt, spaces its requests per host with the veille's HostGate, and reads conditionally (ETag,
Last-Modified): an unchanged source costs one 304. The REST API is paginated oldest first, so the
source remembers its last incomplete page and starts there next time (incremental: a post with
2,000 comments is not re-read every hour). A malformed page or an odd comment is recorded on the
source and never stops the other sources.
"""

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ambassade.lib.french import count
from ambassade.lib.http import FetchError, Policy, fetch, make_session
from ambassade.watch.crawler import HostGate, HostInfo, parse_robots
from ambassade.watch.detect.extract import decode_html

from . import services
from .comments import Comment, Unreadable, parse_comment_feed, parse_wp_rest
from .models import Source, SourceKind

FETCHED = (SourceKind.WP_REST, SourceKind.WP_FEED, SourceKind.BLOGGER_FEED)
MAX_PAGES = 50  # per pass: a giant thread is read over several passes, never in one burst


@dataclass
class Job:
    source_id: int
    kind: str
    url: str
    etag: str
    last_modified: str
    resume_page: int


@dataclass
class Outcome:
    source_id: int
    comments: list[Comment] = field(default_factory=list)
    etag: str = ""
    last_modified: str = ""
    resume_page: int = 1
    requests: int = 0
    dropped: int = 0
    error: str = ""
    not_modified: bool = False
    failed: bool = False  # the source could not be read (a dropped comment alone is not a failure)


def claim(owner: str, now=None, giveaway=None) -> list[int]:
    now = now or timezone.now()
    due = Source.objects.filter(kind__in=FETCHED, next_check_at__lte=now, giveaway__frozen_at__isnull=True,
                                giveaway__opens_at__lte=now).exclude(lease_until__gt=now)
    if giveaway is not None:
        due = due.filter(giveaway=giveaway)
    with transaction.atomic():
        ids = list(due.values_list("id", flat=True)[:100])
        due.filter(id__in=ids).update(lease_owner=owner,
                                      lease_until=now + timedelta(seconds=settings.WATCH_LEASE_SECONDS))
    return list(Source.objects.filter(id__in=ids, lease_owner=owner).values_list("id", flat=True))


def collect(giveaway=None, *, policy: Policy | None = None, now=None) -> dict:
    """One pass over the due sources (of one giveaway, or all); returns what it did."""
    owner = uuid.uuid4().hex
    ids = claim(owner, now, giveaway)
    sources = {s.id: s for s in Source.objects.filter(id__in=ids).select_related("giveaway", "giveaway__placement__blog")}
    jobs = [Job(s.id, s.kind, s.url, s.etag, s.last_modified, s.resume_page) for s in sources.values()]
    outcomes = asyncio.run(_run(jobs, policy or Policy())) if jobs else []
    report = {"sources": len(jobs), "new": 0, "requests": 0, "errors": 0, "dropped": 0}
    for outcome in outcomes:
        source = sources[outcome.source_id]
        new = services.ingest(source.giveaway, source.kind, outcome.comments) if outcome.comments else 0
        report["new"] += new
        report["requests"] += outcome.requests
        report["dropped"] += outcome.dropped
        report["errors"] += outcome.failed
        checked = timezone.now()
        Source.objects.filter(id=source.id).update(
            etag=outcome.etag[:300], last_modified=outcome.last_modified[:100], resume_page=outcome.resume_page,
            checked_at=checked, requests=source.requests + outcome.requests, error=outcome.error[:500],
            next_check_at=checked + timedelta(seconds=settings.GIVEAWAY_CHECK_SECONDS), lease_owner="",
            lease_until=None)
    return report


async def _run(jobs: list[Job], policy: Policy) -> list[Outcome]:
    gate = HostGate({}, settings.WATCH_HOST_DELAY)
    async with make_session(policy) as session:
        await session.prepare([j.url for j in jobs])

        async def one(job: Job) -> Outcome:
            host = (urlsplit(job.url).hostname or "").lower()
            outcome = Outcome(job.source_id, etag=job.etag, last_modified=job.last_modified,
                              resume_page=job.resume_page)
            async with gate.lock(host):
                try:
                    if not await _allowed(session, gate, host, job.url, policy, outcome):
                        outcome.error, outcome.failed = "robots.txt interdit cette adresse", True
                    elif job.kind == SourceKind.WP_REST:
                        await _read_pages(session, gate, host, job, policy, outcome)
                    else:
                        await _read_feed(session, gate, host, job, policy, outcome)
                except FetchError as error:
                    if error.kind == "throttled":
                        gate.pause(host, error.retry_after)
                    outcome.error, outcome.failed = f"{error.kind} : {error}", True
                except Unreadable as error:
                    outcome.error, outcome.failed = str(error), True
            if outcome.dropped and not outcome.error:
                outcome.error = count(outcome.dropped, "commentaire illisible ignoré", "commentaires illisibles ignorés")
            return outcome

        return await asyncio.gather(*(one(job) for job in jobs))


async def _get(session, gate: HostGate, host: str, url: str, policy: Policy, outcome: Outcome, **conditional):
    await gate.turn(host)
    outcome.requests += 1
    return await fetch(session, url, policy, **conditional)


async def _allowed(session, gate: HostGate, host: str, url: str, policy: Policy, outcome: Outcome) -> bool:
    info: HostInfo = gate.info(host)
    if info.robots_txt is None:
        parts = urlsplit(url)
        try:
            result = await _get(session, gate, host, f"{parts.scheme}://{parts.netloc}/robots.txt", policy, outcome)
            info.robots_txt = decode_html(result.body, result.charset)[:100_000]
        except FetchError as error:
            if error.kind in ("throttled", "paused", "timeout", "connection"):
                raise
            info.robots_txt = ""
        robots = parse_robots(info.robots_txt)
        info.crawl_delay = robots.crawl_delay("AmbassadeBot")
    return parse_robots(info.robots_txt or "").can_fetch(url, "AmbassadeBot")


def page_url(url: str, page: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "page"] + [("page", str(page))]
    return urlunsplit(parts._replace(query=urlencode(query)))


async def _read_pages(session, gate, host: str, job: Job, policy: Policy, outcome: Outcome) -> None:
    """Oldest first, from the last incomplete page: the full pages before it cannot change order."""
    size = settings.GIVEAWAY_PAGE_SIZE
    page = max(1, job.resume_page)
    for _ in range(MAX_PAGES):
        first = page == job.resume_page
        try:
            result = await _get(session, gate, host, page_url(job.url, page), policy, outcome,
                                etag=job.etag if first else None,
                                last_modified=job.last_modified if first else None)
        except FetchError as error:
            if error.status == 400 and page > 1:  # WordPress: "page beyond the last" (a full last page)
                outcome.resume_page, outcome.etag, outcome.last_modified = page, "", ""
                return
            raise
        if result.not_modified:
            outcome.not_modified = True
            return
        comments, dropped = parse_wp_rest(result.body)
        outcome.comments += comments
        outcome.dropped += dropped
        if len(comments) + dropped < size:
            # The last page: next time starts here, conditionally (a 304 while nobody comments).
            outcome.resume_page = page
            outcome.etag, outcome.last_modified = result.etag or "", result.last_modified or ""
            return
        page += 1  # a full page never changes again (oldest first): the next one is where news lands
        outcome.resume_page, outcome.etag, outcome.last_modified = page, "", ""


async def _read_feed(session, gate, host: str, job: Job, policy: Policy, outcome: Outcome) -> None:
    result = await _get(session, gate, host, job.url, policy, outcome, etag=job.etag or None,
                        last_modified=job.last_modified or None)
    if result.not_modified:
        outcome.not_modified = True
        return
    comments, outcome.dropped = parse_comment_feed(result.body)
    outcome.comments = comments
    outcome.etag, outcome.last_modified = result.etag or "", result.last_modified or ""
