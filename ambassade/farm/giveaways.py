"""Giveaway posts and their comments, served the way WordPress and Blogger serve them.

A giveaway post grows comments as a real one does: people entering ("je participe !"), the same person
twice, the same text under two names, spam with links, gibberish, the author's replies, comments after
the closing time, a NUL byte, an emoji-only name, a 20,000-character comment and one unreadable item.
WordPress serves them through its REST API (oldest first, paginated, 400 past the last page) and the
post's comment feed (RSS); Blogger through the post's comment feed (Atom). Each response carries an
ETag and answers If-None-Match with a 304, so a collector that asks conditionally costs nothing.
"""

import hashlib
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from email.utils import format_datetime
from html import escape
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

from aiohttp import web

from . import render
from .catalog import FarmBlog, FarmPost

FIRST = ["Camille", "Julie", "Sophie", "Nathalie", "Isabelle", "Claire", "Manon", "Élodie", "Aurélie",
         "Sandrine", "Émilie", "Laura", "Pauline", "Céline", "Audrey", "Marine", "Hélène", "Inès", "Chloé", "Anaïs"]
LAST = ["Martin", "Bernard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Michel", "Garcia",
        "Roux", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller"]
ENTRIES = ["Je participe !", "Je tente ma chance, merci pour ce concours !", "Coucou, je participe avec plaisir.",
           "Super concours, je croise les doigts !", "Je participe, j'adore cette marque.",
           "Merci pour la découverte, je tente ma chance.", "Participation ! Bonne journée à toi.",
           "Oh je participe, ça a l'air délicieux.", "Je joue, merci beaucoup !", "Je participe 🤞"]


@dataclass
class FarmComment:
    id: int
    author: str
    text: str
    date: datetime
    url: str = ""
    email: str = ""
    parent: int = 0
    by_author: bool = False
    broken: bool = False  # an unreadable item in the API's answer (no date): the collector drops it alone


@dataclass
class Thread:
    post: FarmPost
    closes_at: datetime
    comments: list[FarmComment] = field(default_factory=list)
    live: bool = False  # the demo's thread: a comment appears when its time comes

    def add(self, author: str, text: str, date: datetime, **extra) -> FarmComment:
        comment = FarmComment(len(self.comments) + 1, author, text, date, **extra)
        self.comments.append(comment)
        return comment


def threads(farm) -> dict:
    if not hasattr(farm, "giveaway_threads"):
        farm.giveaway_threads = {}
    return farm.giveaway_threads


def grow(farm, blog: FarmBlog, *, brand: str, product: str, opens_at: datetime, closes_at: datetime,
         participants: int = 30, seed: int = 0) -> Thread:
    """A giveaway post on `blog` and its comments until the closing time (late ones come with `late`)."""
    post = blog.publish(kind="giveaway", brand=brand, product=product, when=opens_at)
    thread = threads(farm)[(blog.slug, post.id)] = Thread(post, closes_at)
    rng = random.Random(f"{seed}:{blog.slug}")
    span = (closes_at - opens_at).total_seconds()
    names = [f"{f} {ln}" for f in FIRST for ln in LAST]
    rng.shuffle(names)
    people = names[:participants]
    for i, name in enumerate(people):
        at = opens_at + timedelta(seconds=span * (i + 1) / (participants + 8))
        site = f"https://{name.split()[0].lower()}-{i}.example/" if i % 3 == 0 else ""
        comment = thread.add(name, rng.choice(ENTRIES), at, url=site)
        if i % 7 == 3:  # the author thanks some of them
            thread.add(blog.first_name, f"Merci {name.split()[0]}, bonne chance !", at + timedelta(minutes=30),
                       url=f"http://{blog.host('farm.localhost')}/", parent=comment.id, by_author=True)
    at = opens_at + timedelta(seconds=span * 0.9)
    thread.add(people[0], "Je participe encore, on ne sait jamais !", at)  # the same person twice
    thread.add(people[1] + " bis", "Je tente ma chance, merci pour ce concours génial, vraiment top !", at,
               url="https://double.example/")
    thread.add(people[1] + " ter", "Je tente ma chance, merci pour ce concours génial, vraiment top !!", at,
               url="https://double.example/")  # near-duplicate from one site under two names
    thread.add("Cheap Pills", "Buy cheap pills now at http://spam.example/pills", at)
    thread.add("xkqzv", "Lorem qwrtp zxcvbnm plkjhg mnbvcx trewq asdfgh zxcvb", at)
    thread.add("🎉🎉🎉", "Je participe avec joie", at)  # an emoji-only name
    thread.add("Nadia\x00Null", "Je parti\x00cipe !", at)  # a NUL byte, as some plugins let through
    thread.add("Roman Fleuve", "Je participe ! " + "Ce produit est formidable. " * 800, at)  # 20 000 characters
    thread.add("Cassé", "", at, broken=True)
    return thread


def late(thread: Thread, name: str = "Retard Tardif") -> FarmComment:
    return thread.add(name, "Je participe, j'espère ne pas être trop en retard !", thread.closes_at + timedelta(hours=2))


def _wp_item(blog: FarmBlog, post: FarmPost, c: FarmComment, base: str) -> dict:
    if c.broken:
        return {"id": c.id, "post": post.id, "author_name": c.author, "date_gmt": "pas une date",
                "content": "pas un objet"}
    return {"id": c.id, "post": post.id, "parent": c.parent, "author": 1 if c.by_author else 0,
            "author_name": c.author, "author_url": c.url, "date": c.date.strftime("%Y-%m-%dT%H:%M:%S"),
            "date_gmt": c.date.strftime("%Y-%m-%dT%H:%M:%S"), "status": "approved", "type": "comment",
            "link": f"{base}{render.post_path(blog, post)}#comment-{c.id}",
            "content": {"rendered": "<p>" + escape(c.text) + "</p>\n"}}


def _visible(thread: Thread) -> list[FarmComment]:
    if not thread.live:
        return thread.comments
    now = datetime.now(UTC)
    return [c for c in thread.comments if c.date <= now]


def _conditional(request: web.Request, body: bytes, content_type: str, headers=None) -> web.Response:
    etag = '"' + hashlib.blake2b(body, digest_size=10).hexdigest() + '"'
    headers = {"ETag": etag, **(headers or {})}
    if request.headers.get("If-None-Match") == etag:
        return web.Response(status=304, headers=headers)
    return web.Response(body=body, headers=headers, content_type=content_type, charset="utf-8")


def _find(farm, blog: FarmBlog, post_id) -> Thread | None:
    try:
        return threads(farm).get((blog.slug, int(post_id)))
    except (TypeError, ValueError):
        return None


def respond(farm, blog: FarmBlog, request: web.Request, base: str) -> web.Response | None:
    """The comment endpoints of a giveaway post, or None when the path is not one."""
    path = request.path
    if blog.platform == "wordpress" and path.rstrip("/") == "/wp-json/wp/v2/comments":
        query = parse_qs(request.query_string)
        thread = _find(farm, blog, (query.get("post") or [""])[0])
        comments = _visible(thread) if thread else []
        try:
            page = max(1, int((query.get("page") or ["1"])[0]))
            per_page = min(100, max(1, int((query.get("per_page") or ["10"])[0])))
        except ValueError:
            return web.json_response({"code": "rest_invalid_param"}, status=400)
        pages = max(1, -(-len(comments) // per_page))
        if page > pages:
            return web.json_response({"code": "rest_comment_invalid_page_number",
                                      "message": "Le numéro de page demandé est plus grand que le nombre de pages "
                                                 "disponibles."}, status=400)
        items = [_wp_item(blog, thread.post, c, base) for c in comments[(page - 1) * per_page:page * per_page]]
        body = json.dumps(items, ensure_ascii=False).encode("utf-8")
        return _conditional(request, body, "application/json",
                            {"X-WP-Total": str(len(comments)), "X-WP-TotalPages": str(pages)})
    if blog.platform == "wordpress" and path.endswith("/feed/") and path != "/feed/":
        post = render.find_post(blog, path[: -len("feed/")])
        thread = _find(farm, blog, post.id) if post else None
        if thread is None:
            return None
        return _conditional(request, _wp_feed(blog, thread, base, _visible(thread)).encode("utf-8"),
                            "application/rss+xml")
    if blog.platform == "blogger" and path.startswith("/feeds/") and path.endswith("/comments/default"):
        thread = _find(farm, blog, path.split("/")[2])
        if thread is None:
            return None
        return _conditional(request, _blogger_feed(blog, thread, base, _visible(thread)).encode("utf-8"),
                            "application/atom+xml")
    return None


def _xml_text(text: str) -> str:
    return escape("".join(ch for ch in text if ch >= " " or ch in "\n\t"))


def _wp_feed(blog: FarmBlog, thread: Thread, base: str, comments: list[FarmComment]) -> str:
    link = base + render.post_path(blog, thread.post)
    items = "".join(
        f"<item><title>Par : {_xml_text(c.author)}</title><link>{link}#comment-{c.id}</link>"
        f"<dc:creator><![CDATA[{_xml_text(c.author)}]]></dc:creator>"
        f"<pubDate>{format_datetime(c.date, usegmt=True)}</pubDate>"
        f'<guid isPermaLink="false">{base}/?p={thread.post.id}#comment-{c.id}</guid>'
        f"<description>{_xml_text(c.text[:200])}</description>"
        f"<content:encoded><![CDATA[<p>{_xml_text(c.text)}</p>]]></content:encoded></item>"
        for c in comments if not c.broken)
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<channel><title>Commentaires sur : {_xml_text(thread.post.title)}</title><link>{link}</link>"
            f"<description>{_xml_text(blog.name)}</description>{items}</channel></rss>")


def _blogger_feed(blog: FarmBlog, thread: Thread, base: str, comments: list[FarmComment]) -> str:
    post = thread.post
    entries = []
    for c in comments:
        if c.broken:
            entries.append(f"<entry><id>tag:blogger.com,1999:blog-{blog.index}.post-{c.id}</id>"
                           "<published>jamais</published><author><name>Cassé</name></author></entry>")
            continue
        reply = (f'<thr:in-reply-to href="{base}{render.post_path(blog, post)}#c{c.parent}" '
                 f'ref="tag:blogger.com,1999:blog-{blog.index}.post-{c.parent}" type="text/html"/>' if c.parent else "")
        entries.append(
            f"<entry><id>tag:blogger.com,1999:blog-{blog.index}.post-{c.id}</id>"
            f"<published>{c.date.isoformat()}</published><updated>{c.date.isoformat()}</updated>"
            f"<title type='text'>{_xml_text(c.text[:40])}</title>"
            f"<content type='html'>{escape(_xml_text(c.text))}</content>"
            f"<author><name>{_xml_text(c.author)}</name>" + (f"<uri>{escape(c.url)}</uri>" if c.url else "")
            + "<email>noreply@blogger.com</email></author>" + reply + "</entry>")
    return ("<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom' "
            "xmlns:thr='http://purl.org/syndication/thread/1.0'>"
            f"<id>tag:blogger.com,1999:blog-{blog.index}.post{post.id}.comments</id>"
            f"<title>{_xml_text(post.title)}</title>{''.join(entries)}</feed>")


# The demo: one giveaway on a beauty blog of the farm, open since six days, closing in two; its comments
# appear as their time comes, so the demo's loop collects them as a real one would.
DEMO_BRAND, DEMO_PRODUCT = "Maison Azur", "Sérum Éclat de Nuit"


def demo_blog(blogs) -> FarmBlog:
    healthy = [b for b in blogs if b.platform == "wordpress" and not b.faults]
    return next((b for b in healthy if "beaute" in b.topics), healthy[0])


def demo_dates(today: date) -> tuple[datetime, datetime]:
    paris = ZoneInfo("Europe/Paris")
    return (datetime.combine(today - timedelta(days=6), time(10), paris),
            datetime.combine(today + timedelta(days=2), time(20), paris))


def demo_post(blog: FarmBlog, today: date) -> FarmPost:
    """The same post the farm grows (its catalogue is deterministic): what load_demo points the giveaway at."""
    return blog.publish(kind="giveaway", brand=DEMO_BRAND, product=DEMO_PRODUCT, when=demo_dates(today)[0])


def grow_demo(farm, today: date) -> Thread:
    opens, closes = demo_dates(today)
    thread = grow(farm, demo_blog(farm.blogs.values()), brand=DEMO_BRAND, product=DEMO_PRODUCT, opens_at=opens,
                  closes_at=closes, participants=40, seed=1)
    thread.live = True
    return thread
