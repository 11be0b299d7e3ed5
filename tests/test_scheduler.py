"""The loop's tick: what it hands to the task workers, and when (table-driven; no loop, no sleep)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from ambassade.scheduler.loop import FOLLOWUPS_EVERY, LoopState, tick, veille_batches
from ambassade.watch.models import Feed

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(("due", "batch", "most", "expected"), [
    (0, 200, 8, 0), (1, 200, 8, 1), (200, 200, 8, 1), (201, 200, 8, 2), (10_000, 200, 8, 8), (5, 0, 8, 0),
    (-3, 200, 8, 0), (1_000, 1_000, 1, 1),
])
def test_veille_batches(due, batch, most, expected):
    assert veille_batches(due, batch, most) == expected


@pytest.fixture
def dummy_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def test_the_daily_work_goes_once_a_day_after_eight_and_the_rules_every_ten_minutes(db, world, dummy_tasks):
    state = LoopState(batch_size=2)
    early = datetime(2026, 12, 1, 7, 30, tzinfo=PARIS)
    tick(state, now=early, monotonic=0)
    assert "send_coverage_digest" not in state.enqueued and "plan_followups" in state.enqueued
    assert state.enqueued.index("poll_replies") < state.enqueued.index("plan_followups") < state.enqueued.index(
        "send_due_messages")  # replies first: they hold follow-ups back
    tick(state, now=early.replace(hour=8, minute=1), monotonic=60)
    assert {"send_coverage_digest", "purge_post_texts", "recount_blog_profiles", "apply_retention"} <= set(
        state.enqueued) and "plan_followups" not in state.enqueued
    tick(state, now=early.replace(hour=15), monotonic=FOLLOWUPS_EVERY + 1)
    assert "send_coverage_digest" not in state.enqueued and "plan_followups" in state.enqueued
    tick(state, now=datetime(2026, 12, 2, 8, 0, tzinfo=PARIS), monotonic=FOLLOWUPS_EVERY + 2)
    assert "send_coverage_digest" in state.enqueued  # the next day


def test_due_blogs_are_handed_out_in_leased_batches(db, world, dummy_tasks):
    from ambassade.blogs.models import Blog

    for i in range(5):
        Blog.objects.create(organisation=world.org_a, url=f"https://blog{i}.example/", name=f"Blog {i}")
    state = LoopState(batch_size=2, max_tasks=8)
    line = tick(state, now=datetime(2026, 12, 1, 10, tzinfo=PARIS))
    assert Feed.objects.count() == 6  # every active blog got its feed row
    assert state.enqueued.count("check_due_blogs") == 3 and line == "6 blogs à vérifier : 3 lots confiés aux workers."


def test_the_outbox_refuses_to_guess_when_the_veilles_answers_are_not_plugged(monkeypatch):
    """A follow-up must never leave because nobody was there to say "an article was found"."""
    from ambassade.outreach import veille

    monkeypatch.setattr(veille, "_answers", None)
    with pytest.raises(veille.NotPlugged):
        veille.ask()


def test_healthz_says_whether_the_database_and_the_task_queue_answer(client, db, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok", "tasks": "ok"}
    from ambassade.dashboard import health

    def broken():
        raise ConnectionError("down")

    monkeypatch.setattr(health, "_database", broken)
    failing = client.get("/healthz")
    assert failing.status_code == 503 and failing.json()["database"] == "ConnectionError"
