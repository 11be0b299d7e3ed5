"""Scale-out for real: task workers in separate processes on PostgreSQL (and RQ on Redis)
sharing the veille. Every blog is checked exactly once per cycle, and a worker killed with
SIGKILL mid-batch loses nothing: its blogs come back when the lease runs out."""

import math
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.utils import timezone

from ambassade.accounts.models import Organisation
from ambassade.blogs.models import Blog
from ambassade.farm.render import feed_path
from ambassade.farm.server import FarmThread
from ambassade.watch.cycle import ensure_feeds
from ambassade.watch.models import Feed
from ambassade.workflow.tasks import check_due_blogs

from .conftest import ROOT, require_service, worker_env  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def start_worker(env: dict, name: str, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ambassade", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def watched(farm: FarmThread, count: int) -> Organisation:
    org = Organisation.objects.create(name="Agence Scale", slug="agence-scale")
    Blog.objects.bulk_create(
        Blog(organisation=org, url=farm.url(b) + "/", url_key=f"{b.slug}.farm", name=b.name,
             platform=b.platform, feed_url=farm.url(b) + feed_path(b))
        for b in list(farm.farm.blogs.values())[:count]
    )
    ensure_feeds()
    return org


def feed_fetches(farm: FarmThread) -> Counter:
    feed_paths = {"/feed/", "/feeds/posts/default", "/rss", "/rss.xml", "/atom.xml"}
    return Counter(r["host"] for r in list(farm.farm.requests) if r["path"] in feed_paths)


def wait_until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def test_two_workers_check_each_of_1000_blogs_exactly_once(postgres, settings):
    settings.TASKS = DB_TASKS
    settings.FARM_ALLOWED = True
    with FarmThread(count=1000, seed=21) as farm:
        for blog in farm.farm.blogs.values():
            blog.faults.clear()
        watched(farm, 1000)
        batch = 50
        for _ in range(math.ceil(1000 / batch) + 4):  # more tasks than batches: the extra ones find nothing due
            check_due_blogs.enqueue(batch)
        env = worker_env(postgres)
        workers = [start_worker(env, f"w{i}", "db_worker", "--batch", "--worker-id", f"worker-{i}", "--interval", "0.2")
                   for i in range(2)]
        try:
            for worker in workers:
                worker.wait(timeout=300)
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.kill()
        for worker in workers:
            assert worker.returncode == 0, worker.stderr.read().decode()[-2000:]

        counts = Counter(Feed.objects.values_list("check_count", flat=True))
        assert counts == {1: 1000}, counts
        fetched = feed_fetches(farm)
        assert len(fetched) == 1000 and set(fetched.values()) == {1}
        from django_tasks_db.models import DBTaskResult

        ran_on = {w for ids in DBTaskResult.objects.values_list("worker_ids", flat=True) for w in ids}
        assert ran_on == {"worker-0", "worker-1"}  # both workers took batches
        assert not Feed.objects.filter(lease_until__isnull=False).exists()


def test_a_worker_killed_mid_batch_loses_nothing(postgres, settings):
    settings.TASKS = DB_TASKS
    settings.FARM_ALLOWED = True
    with FarmThread(count=120, seed=22) as farm:
        farm.farm.slow_seconds = 3.0
        for blog in farm.farm.blogs.values():
            blog.faults = {"slow"}
        watched(farm, 120)
        check_due_blogs.enqueue(200)
        env = worker_env(postgres, AMBASSADE_WATCH_LEASE_SECONDS="6")
        doomed = start_worker(env, "doomed", "db_worker", "--worker-id", "doomed", "--interval", "0.2")
        try:
            wait_until(lambda: Feed.objects.exclude(lease_owner="").count() == 120, 60, "the batch to be leased")
            time.sleep(1.0)  # mid-batch: the farm answers in 3 s
            doomed.send_signal(signal.SIGKILL)
            doomed.wait(10)
        finally:
            if doomed.poll() is None:
                doomed.kill()
        assert set(Feed.objects.values_list("check_count", flat=True)) == {0}  # nothing half-written
        leased_until = Feed.objects.order_by("lease_until").first().lease_until
        assert leased_until > timezone.now()

        check_due_blogs.enqueue(200)  # the watch loop's next tick
        wait_until(lambda: timezone.now() > leased_until, 30, "the lease to expire")
        rescuer = start_worker(env, "rescuer", "db_worker", "--batch", "--worker-id", "rescuer", "--interval", "0.2")
        rescuer.wait(timeout=120)
        assert rescuer.returncode == 0, rescuer.stderr.read().decode()[-2000:]
        assert Counter(Feed.objects.values_list("check_count", flat=True)) == {1: 120}


def test_the_same_veille_runs_on_rq_and_redis(postgres, settings):
    require_service("Redis", "127.0.0.1", 6379)
    redis_url = "redis://127.0.0.1:6379/15"
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    settings.FARM_ALLOWED = True
    env = worker_env(postgres, AMBASSADE_TASKS="rq", REDIS_URL=redis_url)
    with FarmThread(count=200, seed=23) as farm:
        for blog in farm.farm.blogs.values():
            blog.faults.clear()
        watched(farm, 200)
        enqueue = subprocess.run(
            [sys.executable, "-c", "import django; django.setup(); from ambassade.workflow.tasks import check_due_blogs; "
             "[check_due_blogs.enqueue(25) for _ in range(10)]"],
            cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "ambassade.settings"}, capture_output=True, text=True)
        assert enqueue.returncode == 0, enqueue.stderr
        workers = [start_worker(env, f"rq{i}", "rqworker", "default", "--burst", "--job-class", "django_tasks_rq.Job")
                   for i in range(2)]
        for worker in workers:
            worker.wait(timeout=300)
            assert worker.returncode == 0, worker.stderr.read().decode()[-2000:]
        assert Counter(Feed.objects.values_list("check_count", flat=True)) == {1: 200}
        assert set(feed_fetches(farm).values()) == {1}
