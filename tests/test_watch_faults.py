"""Every fault mode of the farm against the crawler: recorded on its feed, never a crash,
the rest of the batch unaffected, Retry-After and one-request-per-host respected."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ambassade.accounts.models import Organisation
from ambassade.blogs.models import Blog
from ambassade.farm.render import feed_path
from ambassade.farm.server import FarmThread
from ambassade.watch.cycle import run_cycle
from ambassade.watch.models import Feed, HostState, Post

pytestmark = pytest.mark.django_db(transaction=True)

EXPECTED_ERRORS = {
    "throttle": "throttled",
    "unavailable": "throttled",
    "hang": "timeout",
    "redirect_loop": "redirect_loop",
    "huge": "too_large",
    "gzip_bomb": "too_large",
}
RECOVERED = ["moved", "wrong_charset", "relative_links", "duplicate_guids", "undated", "future", "slow"]


@pytest.fixture
def farm(settings):
    settings.FARM_ALLOWED = True
    settings.WATCH_HOST_DELAY = 0.0
    # "timeout" is a server silent for WATCH_TIMEOUT seconds (the hang sleeps far longer);
    # every other fault keeps talking, so a busy machine cannot turn it into a timeout.
    settings.WATCH_TIMEOUT = 3
    settings.WATCH_MAX_BYTES = 2 * 1024 * 1024
    with FarmThread(count=40, seed=5) as running:
        running.farm.slow_seconds = 0.3
        running.farm.hang_seconds = 20
        yield running


def watch(org, farm, blog):
    return Blog.objects.create(organisation=org, url=farm.url(blog) + "/", name=blog.name,
                               platform=blog.platform, feed_url=farm.url(blog) + feed_path(blog))


def test_it_survives_every_fault_and_records_it_on_its_own_feed(world, farm):
    world.blog.delete()
    healthy = [b for b in farm.farm.blogs.values() if not b.faults]
    faulty = {}
    for fault, blog in zip([*EXPECTED_ERRORS, *RECOVERED], healthy, strict=False):
        # Full-content WordPress-style feeds are where undated/relative/duplicate items matter most.
        blog.faults.add(fault)
        faulty[fault] = watch(world.org_a, farm, blog)
    others = [watch(world.org_a, farm, b) for b in healthy[len(faulty):len(faulty) + 5]]

    report = run_cycle()
    assert report.checked == len(faulty) + len(others)
    feeds = {f.blog_id: f for f in Feed.objects.all()}
    for fault, kind in EXPECTED_ERRORS.items():
        feed = feeds[faulty[fault].id]
        assert feed.last_error_kind == kind, (fault, feed.last_error)
        assert feed.error_count == 1 and feed.next_check_at > timezone.now()
    for fault in RECOVERED:
        feed = feeds[faulty[fault].id]
        assert feed.last_error == "" and feed.last_success_at, (fault, feed.last_error)
    for blog in others:
        assert feeds[blog.id].last_success_at is not None

    moved = feeds[faulty["moved"].id]
    assert moved.url.endswith("/nouveau-flux.xml")  # the permanent redirect updated the stored URL
    assert all(p.url.startswith("http://") for p in Post.objects.filter(blog=faulty["relative_links"]))
    guids = list(Post.objects.filter(blog=faulty["duplicate_guids"]).values_list("guid", flat=True))
    assert guids and len(guids) == len(set(guids))
    future = Post.objects.filter(blog=faulty["future"])
    assert future and all(p.published_at <= timezone.now() + timedelta(minutes=1) for p in future)
    undated = Post.objects.filter(blog=faulty["undated"])
    assert undated and all(p.published_at is not None for p in undated)  # taken from the page
    latin = Post.objects.filter(blog=faulty["wrong_charset"]).exclude(text="")
    assert latin and all("Ã" not in p.text for p in latin)


def test_it_honours_retry_after_for_the_whole_host(world, farm):
    world.blog.delete()
    throttled = next(b for b in farm.farm.blogs.values() if not b.faults)
    throttled.faults.add("throttle")
    blog = watch(world.org_a, farm, throttled)
    run_cycle()
    first = len(farm.host_requests(throttled))
    assert first == 1  # the 429 stopped everything else on that host
    state = HostState.objects.get(host=throttled.host(farm.farm.domain))
    assert state.paused_until >= timezone.now() + timedelta(seconds=25)
    feed = Feed.objects.get(blog=blog)
    assert feed.next_check_at >= state.paused_until

    Feed.objects.update(next_check_at=timezone.now() - timedelta(seconds=1))  # due, but the host is paused
    run_cycle()
    assert len(farm.host_requests(throttled)) == first
    assert Feed.objects.get(blog=blog).last_error_kind == "paused"


def test_it_never_sends_two_requests_at_once_to_one_host(world, farm):
    world.blog.delete()
    slow = next(b for b in farm.farm.blogs.values() if not b.faults)
    slow.faults.add("slow")
    # Two organisations watch the same blog: two feeds, one host, one batch.
    other = Organisation.objects.create(name="Agence C", slug="agence-c")
    watch(world.org_a, farm, slow)
    watch(other, farm, slow)
    report = run_cycle()
    assert report.statuses["ok"] == 2
    assert farm.farm.max_inflight[slow.host(farm.farm.domain)] == 1


def test_it_backs_off_after_repeated_errors(world, farm):
    world.blog.delete()
    broken = next(b for b in farm.farm.blogs.values() if not b.faults)
    broken.faults.add("redirect_loop")
    blog = watch(world.org_a, farm, broken)
    delays = []
    for _ in range(4):
        before = timezone.now()
        run_cycle()
        feed = Feed.objects.get(blog=blog)
        delays.append((feed.next_check_at - before).total_seconds())
        Feed.objects.update(next_check_at=timezone.now() - timedelta(seconds=1))
    assert Feed.objects.get(blog=blog).error_count == 4
    assert max(delays) > min(delays)  # the ceiling grows with each failure (jittered)
