"""The blog farm's HTTP server: many blogs, one loopback port, one host name each.

`<slug>.farm.localhost:8100` serves the blog `slug`. Browsers resolve
`*.localhost` to loopback by themselves; our own HTTP client maps the farm's
domain to the farm's address (and only when the farm is explicitly allowed).
Control endpoints live under `/_farm/` on any host.
"""

import asyncio
import functools
import gzip
import hashlib
import random
import threading
import time
from collections import defaultdict, deque
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from . import render
from .catalog import FarmBlog, build_catalog


class Farm:
    def __init__(self, blogs: list[FarmBlog], domain: str = "farm.localhost"):
        self.domain = domain
        self.blogs = {b.slug: b for b in blogs}
        self.requests: deque[dict] = deque(maxlen=200_000)
        # Politeness evidence: requests in flight per host now, and the most ever seen.
        self.inflight: dict[str, int] = defaultdict(int)
        self.max_inflight: dict[str, int] = defaultdict(int)
        self.slow_seconds = 1.0
        self.hang_seconds = 30.0

    def blog_for_host(self, host: str) -> FarmBlog | None:
        name = host.split(":")[0].lower()
        suffix = "." + self.domain
        if not name.endswith(suffix):
            return None
        return self.blogs.get(name[: -len(suffix)])

    def base_url(self, blog: FarmBlog, port: int) -> str:
        return f"http://{blog.host(self.domain)}:{port}"


BODIES = web.AppKey("bodies", dict)


def _respond(request: web.Request, blog: FarmBlog, text, content_type: str, *, last_modified=None):
    """`text` may be a callable, rendered only when this version of the page is not cached.

    One cache entry per page (host with its port, path): it holds the version it
    was rendered for (the blog's number of published posts and its faults), so a
    change to the blog renders the page anew and replaces the stale entry.
    """
    cache = request.app[BODIES]
    key = (request.host, request.path_qs)
    version = (len(blog.extra_posts), frozenset(blog.faults))
    cached = cache.get(key)
    if cached is None or cached[2] != version:
        encoding = "iso-8859-1" if "wrong_charset" in blog.faults else blog.charset
        body = (text() if callable(text) else text).encode(encoding, errors="xmlcharrefreplace")
        if len(cache) > 100_000:
            cache.clear()
        cached = cache[key] = (body, '"' + hashlib.blake2b(body, digest_size=10).hexdigest() + '"', version)
    body, etag, _version = cached
    headers = {"ETag": etag}
    if last_modified:
        headers["Last-Modified"] = format_datetime(last_modified.astimezone(UTC), usegmt=True)
    if request.headers.get("If-None-Match") == etag:
        return web.Response(status=304, headers=headers)
    since = request.headers.get("If-Modified-Since")
    if since and last_modified and "If-None-Match" not in request.headers:
        try:
            if last_modified.replace(microsecond=0) <= parsedate_to_datetime(since):
                return web.Response(status=304, headers=headers)
        except (TypeError, ValueError):
            pass
    declared = "utf-8" if "wrong_charset" in blog.faults else blog.charset
    return web.Response(body=body, headers=headers, content_type=content_type, charset=declared)


def make_app(farm: Farm) -> web.Application:
    app = web.Application()
    app[BODIES] = {}

    @web.middleware
    async def log_requests(request, handler):
        started = time.monotonic()
        host = request.host.split(":")[0]
        farm.inflight[host] += 1
        farm.max_inflight[host] = max(farm.max_inflight[host], farm.inflight[host])
        try:
            response = await handler(request)
        except web.HTTPException as error:
            response = error
        finally:
            farm.inflight[host] -= 1
        farm.requests.append(
            {"host": request.host.split(":")[0], "path": request.path_qs, "status": response.status,
             "at": time.time(), "ms": round(1000 * (time.monotonic() - started), 2)}
        )
        if isinstance(response, web.HTTPException):
            raise response
        return response

    app.middlewares.append(log_requests)

    async def control(request: web.Request):
        action = request.match_info["action"]
        if action == "blogs":
            port = request.url.port or 80
            return web.json_response([
                {"slug": b.slug, "name": b.name, "url": farm.base_url(b, port) + "/",
                 "feed_url": farm.base_url(b, port) + render.feed_path(b), "platform": b.platform,
                 "charset": b.charset, "topics": b.topics, "sponsored_share": b.sponsored_share,
                 "never_topics": b.never_topics, "first_name": b.first_name, "last_name": b.last_name,
                 "email": b.email, "faults": sorted(b.faults)}
                for b in farm.blogs.values()
            ])
        if action == "publish" and request.method == "POST":
            data = await request.post()
            blog = farm.blogs.get(data.get("blog", ""))
            if blog is None:
                return web.json_response({"error": "unknown blog"}, status=404)
            post = blog.publish(kind=data.get("kind", "gifted"), brand=data.get("brand") or None,
                                product=data.get("product") or None)
            port = request.url.port or 80
            return web.json_response({"url": farm.base_url(blog, port) + render.post_path(blog, post), "title": post.title})
        if action == "requests":
            return web.json_response(list(farm.requests))
        if action == "stats":
            statuses: dict[str, int] = defaultdict(int)
            for r in farm.requests:
                statuses[str(r["status"])] += 1
            return web.json_response({"requests": len(farm.requests), "statuses": statuses,
                                      "max_inflight_per_host": max(farm.max_inflight.values(), default=0)})
        if action == "reset" and request.method == "POST":
            farm.requests.clear()
            farm.max_inflight.clear()
            return web.json_response({"ok": True})
        if action == "bump" and request.method == "POST":
            # A new post on the first N blogs (all by default): the benchmark's "changed" path.
            data = await request.post()
            blogs = list(farm.blogs.values())[: int(data.get("count") or len(farm.blogs))]
            port = request.url.port or 80
            for blog in blogs:
                post = blog.publish(kind=data.get("kind", "gifted"), brand=data.get("brand") or None)
                if not blog.faults:
                    await warm(blog, f"{blog.host(farm.domain)}:{port}", post)
            return web.json_response({"bumped": len(blogs)})
        if action == "fault" and request.method == "POST":
            data = await request.post()
            blog = farm.blogs.get(data.get("blog", ""))
            if blog is None or data.get("fault") not in FAULTS:
                return web.json_response({"error": "unknown blog or fault", "faults": sorted(FAULTS)}, status=400)
            (blog.faults.discard if data.get("off") else blog.faults.add)(data["fault"])
            return web.json_response({"blog": blog.slug, "faults": sorted(blog.faults)})
        raise web.HTTPNotFound()

    async def blog_page(request: web.Request):
        blog = farm.blog_for_host(request.host)
        if blog is None:
            raise web.HTTPNotFound(text="Ce blog n'existe pas sur la ferme.")
        if "gone" in blog.faults:
            raise web.HTTPGone(text="Ce blog a été supprimé.")
        base = f"http://{request.host}"
        path = request.path
        faulted = await _fault(farm, blog, request, base)
        if faulted is not None:
            return faulted
        latest = blog.posts[0].published if blog.posts else None
        if path == "/":
            return _respond(request, blog, lambda: render.home_html(blog, base), "text/html", last_modified=latest)
        if path == "/robots.txt":
            return _respond(request, blog, lambda: render.robots_txt(blog, base), "text/plain")
        feeds = render.PLATFORM_PATHS[blog.platform]["feeds"]
        if path in [f.split("?")[0] for f in feeds]:
            if "malformed_feed" in blog.faults:
                return _respond(request, blog, render.rss(blog, base, full=False)[:-40], "application/rss+xml")
            if path.endswith(("atom.xml", "/default")) and request.query.get("alt") != "rss":
                return _respond(request, blog, lambda: render.atom(blog, base), "application/atom+xml",
                                last_modified=latest)
            full = blog.platform in ("wordpress", "blogger")
            return _respond(request, blog, lambda: render.rss(blog, base, full=full), "application/rss+xml",
                            last_modified=latest)
        if blog.platform == "wordpress":
            if path in ("/wp-json/wp/v2/posts", "/wp-json/wp/v2/posts/"):
                return _respond(request, blog, lambda: render.wp_posts_json(blog, base), "application/json",
                                last_modified=latest)
            if path == "/wp-sitemap.xml":
                return _respond(request, blog, lambda: render.sitemap_index(base), "application/xml")
            if path == "/wp-sitemap-posts-post-1.xml":
                return _respond(request, blog, lambda: render.sitemap_urls(blog, base), "application/xml")
        elif path == "/sitemap.xml":
            return _respond(request, blog, lambda: render.sitemap_urls(blog, base), "application/xml")
        post = render.find_post(blog, path)
        if post is None:
            raise web.HTTPNotFound(text="Page introuvable.")
        return _respond(request, blog, lambda: render.article_html(blog, post, base), "text/html",
                        last_modified=post.published)

    async def warm(blog: FarmBlog, host: str, post) -> None:
        """Render a blog's feed and new post when it publishes, as a blog with a page cache does,
        so that serving them costs the farm what serving any cached page costs."""
        for path in (render.feed_path(blog), render.post_path(blog, post)):
            try:
                await blog_page(make_mocked_request("GET", path, headers={"Host": host}, app=app))
            except web.HTTPException:
                pass

    app.router.add_route("*", "/_farm/{action}", control)
    app.router.add_route("GET", "/{tail:.*}", blog_page)
    return app


# Thousands of blogs share this one listening socket, where real blogs each have their own:
# a crawler's burst of new connections (256 at once) would overflow aiohttp's default
# backlog of 128 and cost a SYN retransmission (one second) to every connection past it.
BACKLOG = 4096

FAULTS = {
    "gone", "malformed_feed", "wrong_charset", "throttle", "unavailable", "slow", "hang", "redirect_loop",
    "moved", "huge", "gzip_bomb", "relative_links", "duplicate_guids", "undated", "future", "no_feed",
}
FEED_PATHS = {p.split("?")[0] for spec in render.PLATFORM_PATHS.values() for p in spec["feeds"]}


@functools.cache
def _gzip_bomb() -> bytes:
    """About 100 KB on the wire, 100 MB once decompressed."""
    return gzip.compress(b"\0" * (100 * 1024 * 1024), compresslevel=9)


async def _fault(farm: Farm, blog: FarmBlog, request: web.Request, base: str):
    """Misbehave as real blogs do, when the blog is set to. None: behave."""
    faults = blog.faults
    if "throttle" in faults:
        return web.Response(status=429, headers={"Retry-After": "30"}, text="Trop de requêtes")
    if "unavailable" in faults:
        return web.Response(status=503, headers={"Retry-After": "45"}, text="Maintenance")
    if "slow" in faults:
        await asyncio.sleep(farm.slow_seconds)
    if "hang" in faults:
        await asyncio.sleep(farm.hang_seconds)
    is_feed = request.path in FEED_PATHS
    if "no_feed" in faults and (is_feed or request.path.startswith("/wp-json")):
        raise web.HTTPNotFound(text="Pas de flux ici.")
    if "redirect_loop" in faults and (is_feed or request.path.startswith("/boucle")):
        target = "/boucle-b" if request.path != "/boucle-b" else "/boucle-a"
        raise web.HTTPMovedPermanently(location=base + target)
    if "moved" in faults and is_feed:
        raise web.HTTPMovedPermanently(location=base + "/nouveau-flux.xml")
    if "moved" in faults and request.path == "/nouveau-flux.xml":
        return _respond(request, blog, render.rss(blog, base, full=True), "application/rss+xml")
    if "huge" in faults and is_feed:
        filler = "<!-- " + "x" * (10 * 1024 * 1024) + " -->"
        return web.Response(body=(render.rss(blog, base, full=False) + filler).encode(),
                            content_type="application/rss+xml")
    if "gzip_bomb" in faults and is_feed:
        return web.Response(body=_gzip_bomb(), headers={"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"})
    if faults & {"relative_links", "duplicate_guids", "undated", "future"} and is_feed:
        return _respond(request, blog, render.rss(blog, base, full=True, faults=faults), "application/rss+xml")
    return None


async def publish_on_timer(farm: Farm, every: float, seed: int = 0) -> None:
    """Publish a new post on a random blog every `every` seconds (the demo's living farm)."""
    rng = random.Random(seed)
    blogs = [b for b in farm.blogs.values() if not b.faults]
    while True:
        await asyncio.sleep(every)
        blog = rng.choice(blogs)
        blog.publish(kind=rng.choice(["gifted", "sponsored", "giveaway", "passing"]),
                     when=datetime.now(UTC))


async def serve(farm: Farm, host: str, port: int, publish_every: float = 0) -> None:
    runner = web.AppRunner(make_app(farm), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port, backlog=BACKLOG).start()
    if publish_every:
        await publish_on_timer(farm, publish_every)
    else:
        await asyncio.Event().wait()


class FarmThread:
    """The farm on a background thread, for tests and benchmarks: `with FarmThread(...) as farm:`."""

    def __init__(self, count: int = 60, seed: int = 42, host: str = "127.0.0.1", port: int = 0,
                 domain: str = "farm.localhost", today=None):
        self.farm = Farm(build_catalog(count, seed, today=today), domain)
        self.host, self.port = host, port
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        asyncio.set_event_loop(self._loop)
        self._runner = web.AppRunner(make_app(self.farm), access_log=None)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, self.host, self.port, backlog=BACKLOG)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self._runner.cleanup())

    def __enter__(self) -> "FarmThread":
        # Built once per process, before any request: built on the first request, its 0.3 s
        # of CPU (seconds on a busy machine) made the bomb look like a server that hangs.
        _gzip_bomb()
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def url(self, blog: FarmBlog) -> str:
        return self.farm.base_url(blog, self.port)

    def host_requests(self, blog: FarmBlog) -> list[dict]:
        host = blog.host(self.farm.domain)
        return [r for r in list(self.farm.requests) if r["host"] == host]


