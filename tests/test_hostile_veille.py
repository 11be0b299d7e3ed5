"""Hostile feeds (issue 13, rows 3 and 8): a NUL byte or an odd value in one item drops
that value, never the blog, and never the batch it shares with other blogs.

The blogs are self-hosted on 127.0.0.1, allowed by AMBASSADE_FETCH_ALLOW (row 12's way).
On PostgreSQL a NUL in a title used to raise DataError in the batch's one transaction.
"""

import ipaddress
import json

import pytest

from ambassade.blogs.models import Blog
from ambassade.watch.models import Feed, Post
from ambassade.workflow.articles import veille_pass

from .static_server import StaticServer

pytestmark = pytest.mark.django_db(transaction=True)

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:slash="http://purl.org/rss/1.0/modules/slash/"><channel><title>B</title>
{items}
</channel></rss>"""


def item(link: str, title: str, extra: str = "") -> str:
    return (f"<item><title>{title}</title><link>{link}</link><pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate>"
            f"<description>Un billet sur la cuisine.</description>{extra}</item>")


@pytest.fixture
def self_hosted(settings):
    settings.FETCH_ALLOW_NETWORKS = [ipaddress.ip_network("127.0.0.1/32")]
    settings.FARM_ALLOWED = False
    settings.WATCH_HOST_DELAY = 0.0
    settings.WATCH_TIMEOUT = 5
    with StaticServer() as server:
        yield server


def blog(world, server, path: str, feed: str) -> Blog:
    return Blog.objects.create(organisation=world.org_a, url=f"{server.root}{path}", name=path,
                               feed_url=f"{server.root}{feed}")


def test_row3_a_nul_byte_in_a_title_neither_stops_the_batch_nor_reaches_the_database(world, self_hosted):
    world.blog.delete()
    server = self_hosted
    posts = [{"id": 7, "link": f"{server.root}/a/nul", "date_gmt": "2026-11-23T10:00:00",
              "title": {"rendered": "Go\u0000ûter\u0001 de Léa"},
              "content": {"rendered": "<p>Un goûter\u0000 maison, bien sûr.</p>"}}]
    server.routes["/a/wp-json/wp/v2/posts"] = ("application/json", json.dumps(posts).encode())
    server.routes["/b/feed"] = ("application/rss+xml", RSS.format(
        items=item(f"{server.root}/b/crepes", "Crêpes\u0000 du dimanche")).encode())
    poisoned = blog(world, server, "/a/", "/a/wp-json/wp/v2/posts")
    neighbour = blog(world, server, "/b/", "/b/feed")

    report = veille_pass()

    assert report.checked == 2
    assert Post.objects.get(blog=poisoned).title == "Goûter de Léa"
    assert "\x00" not in Post.objects.get(blog=poisoned).text
    assert Post.objects.get(blog=neighbour).title == "Crêpes du dimanche"
    for feed in Feed.objects.all():
        assert (feed.lease_owner, feed.last_error) == ("", "")


def test_row8_an_odd_value_drops_that_field_not_the_blog(world, self_hosted):
    world.blog.delete()
    server = self_hosted
    server.routes["/c/feed"] = ("application/rss+xml", RSS.format(items="".join([
        item(f"{server.root}/c/exposant", "Exposant", "<slash:comments>²</slash:comments>"),
        "<item><title>Sans lien</title><guid isPermaLink='true'>http://[</guid></item>",
        item("http://[", "Lien cassé"),
        item(f"{server.root}/c/normal", "Normal", "<slash:comments>12</slash:comments>"),
    ])).encode())
    server.routes["/d/wp-json/wp/v2/posts"] = ("application/json", json.dumps([
        {"id": 1, "link": f"{server.root}/d/un", "title": "pas un objet", "content": None, "date_gmt": 5},
        {"id": 2, "link": ["pas", "une", "chaîne"]},
    ]).encode())
    odd = blog(world, server, "/c/", "/c/feed")
    wordpress = blog(world, server, "/d/", "/d/wp-json/wp/v2/posts")

    veille_pass()

    assert Feed.objects.get(blog=odd).last_error == ""
    assert Feed.objects.get(blog=wordpress).last_error == ""
    stored = {p.url.rsplit("/", 1)[-1]: p for p in Post.objects.filter(blog=odd)}
    assert set(stored) == {"exposant", "normal"}
    assert stored["exposant"].comment_count is None
    assert stored["normal"].comment_count == 12
    assert Post.objects.filter(blog=wordpress).count() == 1
