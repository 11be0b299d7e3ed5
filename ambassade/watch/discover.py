"""Where a blog publishes its posts: feed candidates from its home page and its platform.

Pure: HTML in, an ordered list of (url, kind) out. The crawler tries them in
order and keeps the first that yields entries; it rediscovers when that
feed breaks.
"""

import re
from urllib.parse import urljoin, urlsplit

_LINK_TAG = re.compile(r"<link\b[^>]*>", re.I)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")

# Each platform's conventions, tried when the page does not announce a feed.
CONVENTIONS = {
    "wordpress": [("/feed/", "rss"), ("/wp-json/wp/v2/posts", "wp_json")],
    "blogger": [("/feeds/posts/default", "atom"), ("/feeds/posts/default?alt=rss", "rss")],
    "overblog": [("/rss", "rss")],
    "canalblog": [("/rss.xml", "rss")],
    "hautetfort": [("/atom.xml", "atom"), ("/index.rss", "rss")],
    "ghost": [("/rss/", "rss")],
    "substack": [("/feed", "rss")],
    "other": [("/feed/", "rss"), ("/rss.xml", "rss"), ("/atom.xml", "atom"), ("/feed", "rss")],
}
GENERATORS = {
    "wordpress": "wordpress", "blogger": "blogger", "over-blog": "overblog", "overblog": "overblog",
    "canalblog": "canalblog", "hautetfort": "hautetfort", "ghost": "ghost", "substack": "substack",
}


def _attrs(tag: str) -> dict[str, str]:
    return {m.group(1).lower(): (m.group(2) or m.group(3) or m.group(4) or "") for m in _ATTR.finditer(tag)}


def guess_platform(html: str, url: str) -> str:
    host = urlsplit(url).hostname or ""
    if host.endswith(".blogspot.com"):
        return "blogger"
    for suffix, platform in ((".over-blog.com", "overblog"), (".canalblog.com", "canalblog"),
                             (".hautetfort.com", "hautetfort"), (".substack.com", "substack")):
        if host.endswith(suffix):
            return platform
    match = re.search(r"""<meta[^>]+name=["']generator["'][^>]+content=["']([^"']+)""", html, re.I)
    if match:
        generator = match.group(1).lower()
        for key, platform in GENERATORS.items():
            if key in generator:
                return platform
    if "/wp-content/" in html or "api.w.org" in html:
        return "wordpress"
    return "other"


def feed_candidates(html: str, page_url: str, platform: str = "") -> list[tuple[str, str]]:
    platform = platform if platform in CONVENTIONS else guess_platform(html, page_url)
    found: list[tuple[str, str]] = []
    for tag in _LINK_TAG.findall(html[:200_000]):
        attrs = _attrs(tag)
        if "alternate" not in attrs.get("rel", "").lower().split():
            continue
        kind = {"application/rss+xml": "rss", "application/atom+xml": "atom"}.get(attrs.get("type", "").lower())
        href = attrs.get("href")
        if not kind or not href or "comment" in href.lower():
            continue  # a comments feed is not the posts feed
        found.append((urljoin(page_url, href), kind))
    root = f"{urlsplit(page_url).scheme}://{urlsplit(page_url).netloc}"
    for path, kind in CONVENTIONS[platform]:
        found.append((root + path, kind))
    unique, seen = [], set()
    for url, kind in found:
        if url not in seen:
            seen.add(url)
            unique.append((url, kind))
    return unique


def sitemap_candidates(robots_txt: str, page_url: str) -> list[str]:
    root = f"{urlsplit(page_url).scheme}://{urlsplit(page_url).netloc}"
    listed = [line.split(":", 1)[1].strip() for line in robots_txt.splitlines()
              if line.lower().startswith("sitemap:")]
    return list(dict.fromkeys([*listed, root + "/wp-sitemap.xml", root + "/sitemap.xml"]))
