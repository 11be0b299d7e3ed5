"""What each blog platform serves: article pages, home, feeds, REST API, sitemaps.

Paths follow each platform's real conventions, so that discovery code
written against the farm works on the real blogs.
"""

import json
import re
from email.utils import format_datetime
from html import escape
from xml.sax.saxutils import escape as xml_escape

from .catalog import FarmBlog, FarmPost

# Per platform: article path, feed paths and the class of the article body.
PLATFORM_PATHS = {
    "wordpress": {"feeds": ["/feed/", "/comments/feed/"], "body": "entry-content"},
    "blogger": {"feeds": ["/feeds/posts/default", "/feeds/posts/default?alt=rss"], "body": "post-body entry-content"},
    "overblog": {"feeds": ["/rss"], "body": "ob-section ob-section-text"},
    "canalblog": {"feeds": ["/rss.xml"], "body": "articlebody"},
    "hautetfort": {"feeds": ["/atom.xml", "/index.rss"], "body": "posttext"},
}


def post_path(blog: FarmBlog, post: FarmPost) -> str:
    d = post.published
    match blog.platform:
        case "wordpress":
            return f"/{d:%Y/%m/%d}/{post.slug}/"
        case "blogger" | "overblog":
            return f"/{d:%Y/%m}/{post.slug}.html"
        case "canalblog":
            return f"/archives/{d:%Y/%m/%d}/{post.id}.html"
        case "hautetfort":
            return f"/archive/{d:%Y/%m/%d}/{post.slug}.html"
    raise ValueError(blog.platform)


def find_post(blog: FarmBlog, path: str) -> FarmPost | None:
    for post in blog.posts:
        if post_path(blog, post) == path:
            return post
    return None


def rss_guid(blog: FarmBlog, base: str, post: FarmPost) -> str:
    return f"{base}/?p={post.id}" if blog.platform == "wordpress" else base + post_path(blog, post)


def atom_id(blog: FarmBlog, base: str, post: FarmPost) -> str:
    if blog.platform == "blogger":
        return f"tag:blogger.com,1999:blog-{blog.index}.post-{post.id}"
    return base + post_path(blog, post)


def feed_guid(blog: FarmBlog, base: str, post: FarmPost) -> str:
    """The id a reader of the blog's main feed sees for `post`."""
    feed = feed_path(blog)
    return atom_id(blog, base, post) if feed.endswith(("atom.xml", "default")) else rss_guid(blog, base, post)


def feed_path(blog: FarmBlog) -> str:
    return PLATFORM_PATHS[blog.platform]["feeds"][0]


def _head(blog: FarmBlog, base: str, title: str) -> str:
    feed = feed_path(blog)
    kind = "application/atom+xml" if feed.endswith(("atom.xml", "default")) else "application/rss+xml"
    charset = "utf-8" if "wrong_charset" in blog.faults else blog.charset
    return (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="{charset}">'
        f"<title>{escape(title)}</title>"
        f'<link rel="alternate" type="{kind}" title="{escape(blog.name)} » Flux" href="{base}{feed}">'
        + ('<link rel="https://api.w.org/" href="' + base + '/wp-json/">' if blog.platform == "wordpress" else "")
        + f'<meta name="generator" content="{_generator(blog)}"></head><body class="{blog.platform}">'
    )


def _generator(blog: FarmBlog) -> str:
    return {
        "wordpress": "WordPress 6.8", "blogger": "blogger", "overblog": "Over-blog",
        "canalblog": "Canalblog", "hautetfort": "Hautetfort",
    }[blog.platform]


def _chrome_top(blog: FarmBlog, base: str) -> str:
    # The navigation and the sidebar name brands on purpose: boilerplate that
    # the veille must never count as coverage.
    menu = "".join(
        f'<li><a href="{base}/categorie/{t}/">{t.replace("_", " ").title()}</a></li>' for t in blog.topics
    )
    return (
        f'<header id="masthead"><h1 class="site-title"><a href="{base}/">{escape(blog.name)}</a></h1>'
        f'<nav class="main-navigation" aria-label="Menu"><ul><li><a href="{base}/">Accueil</a></li>{menu}'
        f'<li><a href="{base}/partenaires/">Mes partenaires : Maison Azur, Laiterie Delacour</a></li>'
        f'<li><a href="{base}/contact/">Contact</a></li></ul></nav></header>'
    )


def _sidebar(blog: FarmBlog, base: str) -> str:
    recent = "".join(
        f'<li><a href="{base}{post_path(blog, p)}">{escape(p.title)}</a></li>' for p in blog.posts[:5]
    )
    return (
        f'<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries">'
        f"<h2>Articles récents</h2><ul>{recent}</ul></section>"
        f'<section class="widget"><h2>À propos</h2><p>Je m\'appelle {escape(blog.first_name)}, '
        f"j'écris ici depuis des années. {escape(blog.about)}</p></section></aside>"
    )


def _footer(blog: FarmBlog) -> str:
    return f'<footer id="colophon"><p>© {escape(blog.name)} — Propulsé par {_generator(blog)}</p></footer></body></html>'


def article_html(blog: FarmBlog, post: FarmPost, base: str) -> str:
    posts = blog.posts
    index = posts.index(post)
    newer = posts[index - 1] if index > 0 else None
    older = posts[index + 1] if index + 1 < len(posts) else None
    nav = '<nav class="post-navigation">'
    if older:
        nav += f'<a rel="prev" href="{base}{post_path(blog, older)}">Article précédent : {escape(older.title)}</a>'
    if newer:
        nav += f'<a rel="next" href="{base}{post_path(blog, newer)}">Article suivant : {escape(newer.title)}</a>'
    nav += "</nav>"
    comments = "".join(
        f'<li class="comment"><cite>{escape(name)}</cite><p>{escape(text)}</p></li>'
        for name, text in post.comments
    )
    date_html = "" if post.undated else (
        f'<time class="entry-date published" datetime="{post.published.isoformat()}">'
        f"{post.published:%d/%m/%Y}</time>"
    )
    body = _full_html(post)
    related = ""
    if post.related:
        items = "".join(f'<li><a href="{base}/">{escape(t)}</a></li>' for t in post.related)
        related = f'<section class="related-posts jp-relatedposts"><h3>Vous aimerez aussi</h3><ul>{items}</ul></section>'
    return (
        _head(blog, base, f"{post.title} - {blog.name}")
        + _chrome_top(blog, base)
        + f'<main id="main"><article class="post hentry"><h1 class="entry-title">{escape(post.title)}</h1>'
        + f'<div class="entry-meta">Publié par {escape(blog.first_name)} {date_html}</div>'
        + f'<div class="{PLATFORM_PATHS[blog.platform]["body"]}">{body}</div>{related}</article>'
        + nav
        + f'<section id="comments" class="comments-area"><h2>{len(post.comments)} commentaires</h2>'
        + f'<ol class="comment-list">{comments}</ol></section></main>'
        + _sidebar(blog, base)
        + _footer(blog)
    )


def home_html(blog: FarmBlog, base: str) -> str:
    items = "".join(
        f'<article class="post"><h2><a href="{base}{post_path(blog, p)}">{escape(p.title)}</a></h2>'
        f"<p>{escape(p.summary)}</p></article>"
        for p in blog.posts[:10]
    )
    return _head(blog, base, blog.name) + _chrome_top(blog, base) + f'<main id="main">{items}</main>' + _sidebar(blog, base) + _footer(blog)


_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")


def paragraph_html(text: str) -> str:
    """A paragraph of post text; `[words](https://…)` becomes a link, as bloggers write them."""
    return "<p>" + _LINK.sub(lambda m: f'<a href="{m.group(2)}">{m.group(1)}</a>', escape(text)) + "</p>"


def _full_html(post: FarmPost) -> str:
    return "".join(paragraph_html(p) for p in post.paragraphs)


def rss(blog: FarmBlog, base: str, *, full: bool, faults: frozenset | set = frozenset()) -> str:
    items = []
    posts = blog.posts[:20]
    if "duplicate_guids" in faults:
        posts = posts[:5] + posts[:5]  # the same items twice, as broken plugins do
    for post in posts:
        path = post_path(blog, post)
        url = path if "relative_links" in faults else base + path
        guid = rss_guid(blog, base, post)
        when = post.published
        if "future" in faults:
            when = when.replace(year=when.year + 1)
        date = "" if post.undated or "undated" in faults else f"<pubDate>{format_datetime(when)}</pubDate>"
        encoded = f"<content:encoded><![CDATA[{_full_html(post)}]]></content:encoded>" if full else ""
        comments = f"<slash:comments>{len(post.comments)}</slash:comments>" if blog.platform == "wordpress" else ""
        items.append(
            f"<item><title>{xml_escape(post.title)}</title><link>{url}</link>"
            f'<guid isPermaLink="false">{guid}</guid>{date}'
            f"<description>{xml_escape(post.summary)}</description>{encoded}{comments}</item>"
        )
    return (
        f'<?xml version="1.0" encoding="{blog.charset}"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:slash="http://purl.org/rss/1.0/modules/slash/">'
        f"<channel><title>{xml_escape(blog.name)}</title><link>{base}/</link>"
        f"<language>fr-FR</language><description>Le blog de {xml_escape(blog.first_name)}</description>"
        + "".join(items)
        + "</channel></rss>"
    )


def atom(blog: FarmBlog, base: str) -> str:
    entries = []
    for post in blog.posts[:25]:
        url = base + post_path(blog, post)
        entry_id = atom_id(blog, base, post)
        updated = "" if post.undated else f"<published>{post.published.isoformat()}</published><updated>{post.published.isoformat()}</updated>"
        entries.append(
            f"<entry><id>{entry_id}</id><title>{xml_escape(post.title)}</title>{updated}"
            f'<link rel="alternate" type="text/html" href="{url}"/>'
            f'<content type="html">{xml_escape(_full_html(post))}</content>'
            f"<author><name>{xml_escape(blog.first_name)}</name></author></entry>"
        )
    latest = blog.posts[0].published.isoformat() if blog.posts else ""
    return (
        f'<?xml version="1.0" encoding="{blog.charset}"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<id>{base}/</id><title>{xml_escape(blog.name)}</title><updated>{latest}</updated>"
        f'<link rel="alternate" href="{base}/"/>' + "".join(entries) + "</feed>"
    )


def wp_posts_json(blog: FarmBlog, base: str) -> str:
    return json.dumps(
        [
            {
                "id": post.id,
                "date_gmt": post.published.strftime("%Y-%m-%dT%H:%M:%S"),
                "link": base + post_path(blog, post),
                "title": {"rendered": escape(post.title)},
                "excerpt": {"rendered": f"<p>{escape(post.summary)}</p>"},
                "content": {"rendered": _full_html(post)},
            }
            for post in blog.posts[:10]
        ],
        ensure_ascii=False,
    )


def sitemap_index(base: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{base}/wp-sitemap-posts-post-1.xml</loc></sitemap>"
        f"<sitemap><loc>{base}/wp-sitemap-taxonomies-category-1.xml</loc></sitemap>"
        "</sitemapindex>"
    )


def sitemap_urls(blog: FarmBlog, base: str) -> str:
    urls = "".join(
        f"<url><loc>{base}{post_path(blog, p)}</loc><lastmod>{p.published:%Y-%m-%d}</lastmod></url>"
        for p in blog.posts
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )


def robots_txt(blog: FarmBlog, base: str) -> str:
    sitemap = "/wp-sitemap.xml" if blog.platform == "wordpress" else "/sitemap.xml"
    return f"User-agent: *\nDisallow: /wp-admin/\nDisallow: /search\n\nSitemap: {base}{sitemap}\n"
