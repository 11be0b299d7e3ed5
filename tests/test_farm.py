"""The blog farm serves each platform as the real ones do, deterministically, broken ones included."""

import http.client
import json
import urllib.parse
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from ambassade.farm.catalog import build_catalog
from ambassade.farm.render import PLATFORM_PATHS, post_path
from ambassade.farm.server import FarmThread

TODAY = date(2026, 11, 21)


@pytest.fixture(scope="module")
def farm():
    with FarmThread(count=40, seed=7, today=TODAY) as running:
        yield running


def get(farm, blog, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", farm.port, timeout=5)
    connection.request("GET", path, headers={"Host": f"{blog.host(farm.farm.domain)}:{farm.port}", **(headers or {})})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def healthy(farm, platform):
    return next(b for b in farm.farm.blogs.values() if b.platform == platform and not b.faults)


@pytest.mark.parametrize("platform", sorted(PLATFORM_PATHS))
def test_it_serves_a_feed_whose_links_lead_to_real_articles(farm, platform):
    blog = healthy(farm, platform)
    feed = PLATFORM_PATHS[platform]["feeds"][0]
    response, body = get(farm, blog, feed)
    assert response.status == 200
    root = ET.fromstring(body)
    links = [e.text for e in root.iter("link") if e.text] + [
        e.get("href") for e in root.iter("{http://www.w3.org/2005/Atom}link") if e.get("rel") == "alternate"
    ]
    article_links = [link for link in links if link.rstrip("/") != f"http://{blog.host(farm.farm.domain)}:{farm.port}"]
    assert article_links, "the feed lists no article"
    page_response, page = get(farm, blog, urllib.parse.urlsplit(article_links[0]).path)
    assert page_response.status == 200
    text = page.decode(blog.charset)
    assert "Article précédent" in text or "Article suivant" in text  # boilerplate is there, on purpose
    assert 'rel="alternate"' in text


def test_it_answers_304_when_nothing_changed(farm):
    blog = healthy(farm, "wordpress")
    response, _ = get(farm, blog, "/feed/")
    etag, modified = response.getheader("ETag"), response.getheader("Last-Modified")
    assert etag and modified
    again, body = get(farm, blog, "/feed/", {"If-None-Match": etag})
    assert again.status == 304 and body == b""
    since, _ = get(farm, blog, "/feed/", {"If-Modified-Since": modified})
    assert since.status == 304


def test_it_publishes_on_request_and_the_feed_changes(farm):
    blog = healthy(farm, "blogger")
    before, _ = get(farm, blog, "/feeds/posts/default")
    connection = http.client.HTTPConnection("127.0.0.1", farm.port, timeout=5)
    connection.request("POST", "/_farm/publish", body=f"blog={blog.slug}&kind=gifted&brand=Laiterie+Delacour",
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    created = json.loads(connection.getresponse().read())
    after, body = get(farm, blog, "/feeds/posts/default", {"If-None-Match": before.getheader("ETag")})
    assert after.status == 200
    assert created["title"].encode() in body and "Laiterie Delacour" in created["title"]


def test_it_serves_latin1_blogs_with_their_declared_charset(farm):
    blog = next(b for b in farm.farm.blogs.values() if b.charset == "iso-8859-1" and not b.faults)
    response, body = get(farm, blog, "/")
    assert "iso-8859-1" in response.getheader("Content-Type").lower()
    assert "Propulsé".encode("iso-8859-1") in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_it_serves_wordpress_rest_and_sitemaps(farm):
    blog = healthy(farm, "wordpress")
    _, body = get(farm, blog, "/wp-json/wp/v2/posts")
    posts = json.loads(body)
    assert posts[0]["content"]["rendered"].startswith("<p>")
    _, index = get(farm, blog, "/wp-sitemap.xml")
    assert b"wp-sitemap-posts-post-1.xml" in index
    _, urls = get(farm, blog, "/wp-sitemap-posts-post-1.xml")
    assert post_path(blog, blog.posts[0]).encode() in urls
    _, robots = get(farm, blog, "/robots.txt")
    assert b"Sitemap:" in robots


def test_it_keeps_broken_blogs_broken():
    with FarmThread(count=40, seed=7, today=TODAY) as running:
        blogs = list(running.farm.blogs.values())
        gone = next(b for b in blogs if "gone" in b.faults)
        assert get(running, gone, "/")[0].status == 410
        malformed = next(b for b in blogs if "malformed_feed" in b.faults)
        _, body = get(running, malformed, PLATFORM_PATHS[malformed.platform]["feeds"][0])
        with pytest.raises(ET.ParseError):
            ET.fromstring(body)
        unknown_response, _ = get(running, blogs[0], "/nope")
        assert unknown_response.status == 404
        log = running.farm.requests
        assert any(r["status"] == 410 for r in log)


def test_it_is_deterministic_and_carries_ground_truth():
    first = build_catalog(60, seed=3, today=TODAY)
    second = build_catalog(60, seed=3, today=TODAY)
    assert [p.title for p in first[4].posts] == [p.title for p in second[4].posts]
    assert len({b.slug for b in first}) == 60
    assert {b.platform for b in first} == {"wordpress", "blogger", "overblog", "canalblog", "hautetfort"}
    kinds = {p.kind for b in first for p in b.posts}
    assert {"gifted", "sponsored", "giveaway", "passing", "trap", "unrelated", "self_bought"} <= kinds
    sandwich = [b for b in first if b.sponsored_share >= 0.6]
    assert sandwich
    for blog in first:
        paid = sum(p.kind in ("gifted", "sponsored", "giveaway") for p in blog.posts)
        assert paid == round(blog.sponsored_share * len(blog.posts)), blog.slug
