"""Where a blog publishes: feed candidates from pages and platform conventions, sitemaps as a
last resort, and the watch loop's clean stop."""

import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ambassade.watch.discover import feed_candidates, guess_platform, sitemap_candidates
from ambassade.watch.feeds import parse_feed, parse_sitemap

ROOT = Path(__file__).resolve().parent.parent


def test_it_prefers_the_announced_feed_and_skips_comment_feeds():
    html = """<html><head>
      <link rel="alternate" type="application/rss+xml" title="Commentaires" href="/comments/feed/">
      <link rel='alternate' type='application/rss+xml' href='https://lea.example/feed/'>
      <meta name="generator" content="WordPress 6.8"></head></html>"""
    candidates = feed_candidates(html, "https://lea.example/")
    assert candidates[0] == ("https://lea.example/feed/", "rss")
    assert all("comment" not in url for url, _ in candidates)
    assert ("https://lea.example/wp-json/wp/v2/posts", "wp_json") in candidates


@pytest.mark.parametrize("url, html, platform, first", [
    ("https://lea.blogspot.com/", "", "blogger", "https://lea.blogspot.com/feeds/posts/default"),
    ("http://lea.over-blog.com/", "", "overblog", "http://lea.over-blog.com/rss"),
    ("http://lea.canalblog.com/", "", "canalblog", "http://lea.canalblog.com/rss.xml"),
    ("http://lea.hautetfort.com/", "", "hautetfort", "http://lea.hautetfort.com/atom.xml"),
    ("https://lea.substack.com/", "", "substack", "https://lea.substack.com/feed"),
    ("https://lea.example/", '<meta name="generator" content="Ghost 5.1">', "ghost", "https://lea.example/rss/"),
])
def test_it_knows_each_platforms_conventions(url, html, platform, first):
    assert guess_platform(html, url) == platform
    assert feed_candidates(html, url)[0][0] == first


def test_it_reads_sitemaps_index_and_nested_and_uses_robots_lines():
    index = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://lea.example/post-sitemap.xml</loc></sitemap></sitemapindex>"""
    nested, pages = parse_sitemap(index)
    assert nested == ["https://lea.example/post-sitemap.xml"] and pages == []
    urlset = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>https://lea.example/a</loc><lastmod>2026-10-01</lastmod></url>
      <url><loc>https://lea.example/b</loc><lastmod>2026-11-01</lastmod></url></urlset>"""
    entries = parse_feed(urlset, "https://lea.example/", "sitemap")
    assert [e.url for e in entries] == ["https://lea.example/b", "https://lea.example/a"]
    assert not entries[0].full  # each page is read when new
    robots = "User-agent: *\nSitemap: https://lea.example/sitemap_index.xml\n"
    assert sitemap_candidates(robots, "https://lea.example/")[0] == "https://lea.example/sitemap_index.xml"


def test_summary_only_rss_is_not_taken_for_full_content():
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
      <item><title>Un billet</title><link>https://lea.example/1</link><guid>1</guid>
      <description>Le d\xc3\xa9but du billet</description></item></channel></rss>"""
    [entry] = parse_feed(rss, "https://lea.example/")
    assert entry.full is False and entry.url == "https://lea.example/1"


@pytest.mark.django_db(transaction=True)
def test_a_blog_without_feeds_is_watched_through_its_sitemap(world, settings):
    from ambassade.blogs.models import Blog
    from ambassade.farm.server import FarmThread
    from ambassade.watch.models import Feed, Post
    from ambassade.workflow.articles import veille_pass

    settings.FARM_ALLOWED, settings.WATCH_HOST_DELAY = True, 0.0
    world.blog.delete()
    with FarmThread(count=20, seed=9) as farm:
        blog = next(b for b in farm.farm.blogs.values() if b.platform == "wordpress" and not b.faults)
        blog.faults.add("no_feed")
        watched = Blog.objects.create(organisation=world.org_a, url=farm.url(blog) + "/", name=blog.name,
                                      platform="wordpress")
        veille_pass()
        feed = Feed.objects.get(blog=watched)
        assert feed.kind == "sitemap" and feed.url.endswith("wp-sitemap-posts-post-1.xml"), feed.last_error
        posts = Post.objects.filter(blog=watched)
        assert posts.exists() and all(p.title for p in posts)


def test_the_watch_loop_stops_cleanly_on_sigterm(tmp_path):
    env = {"AMBASSADE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "AMBASSADE_TASKS": "immediate",
           "AMBASSADE_ALLOW_DEV_SECRET": "1", "PYTHONUNBUFFERED": "1"}
    subprocess.run([sys.executable, "-m", "ambassade", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    loop = subprocess.Popen([sys.executable, "-m", "ambassade", "watch", "--tick", "0.2"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, text=True)
    # The signal is sent once the loop says it listens for it (its first line), not after a
    # fixed sleep: on a busy machine Django may take longer than that just to start.
    assert select.select([loop.stdout], [], [], 120)[0], "the watch loop never started"
    first = loop.stdout.readline()
    assert "SIGTERM" in first
    time.sleep(0.5)  # at least one tick
    loop.send_signal(signal.SIGTERM)
    out, _ = loop.communicate(timeout=60)
    assert loop.returncode == 0 and "Veille arrêtée." in out


def test_feed_items_with_non_web_links_are_dropped():
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
      <item><title>Pi\xc3\xa8ge</title><link>javascript:alert(document.cookie)</link><guid>x</guid></item>
      <item><title>Vrai billet</title><link>https://lea.example/vrai</link><guid>y</guid></item>
      </channel></rss>"""
    assert [e.url for e in parse_feed(rss, "https://lea.example/")] == ["https://lea.example/vrai"]
