"""One tick of Ambassade's loop: what is handed to the task workers, and when.

The loop itself (`ambassade watch`) only sleeps between ticks and stops on SIGTERM; what a tick
enqueues is decided here, from the clock and the loop's small state, so it can be tested without
a loop: veille batches for the blogs that are due (a few per tick, each claimed with a lease by
whichever worker runs it), the profiles of blogs with new posts, the mailboxes (replies first: they
hold follow-ups back), the follow-up rules every ten minutes, the outbox; once a day after 8:00,
the CM's digest, the purge of old post texts, the profiles' recount and the retention rule.
"""

import math
from dataclasses import dataclass, field

from django.utils import timezone

from ambassade.lib.french import count
from ambassade.outreach.tasks import plan_followups, poll_replies, send_due_messages
from ambassade.portal.tasks import apply_retention
from ambassade.targeting.tasks import recount_blog_profiles, refresh_blog_profiles
from ambassade.watch.cycle import ensure_feeds
from ambassade.watch.models import Feed
from ambassade.watch.tasks import purge_post_texts, send_coverage_digest
from ambassade.workflow.tasks import check_due_blogs

DIGEST_HOUR = 8  # the CM's daily summary goes out with the first tick after 8:00, local time
FOLLOWUPS_EVERY = 600  # seconds between two passes of the follow-up rules


@dataclass
class LoopState:
    batch_size: int
    max_tasks: int = 8
    daily_done_on: object = None  # the local date the daily work was last enqueued
    next_followups: float = 0.0  # monotonic time of the next pass of the follow-up rules
    enqueued: list = field(default_factory=list)  # names of the tasks the last tick enqueued


def veille_batches(due: int, batch_size: int, max_tasks: int) -> int:
    """How many leased batches to hand out for `due` blogs this tick."""
    return min(max_tasks, math.ceil(due / batch_size)) if due > 0 and batch_size > 0 else 0


def tick(state: LoopState, now=None, monotonic: float = 0.0) -> str:
    """Enqueue this tick's work; returns a line for the log ('' when there is nothing to say)."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    state.enqueued = []

    def enqueue(task, *args):
        task.enqueue(*args)
        state.enqueued.append(task.name)

    if local.hour >= DIGEST_HOUR and state.daily_done_on != local.date():
        for daily in (send_coverage_digest, purge_post_texts, recount_blog_profiles, apply_retention):
            enqueue(daily)
        state.daily_done_on = local.date()
    ensure_feeds()
    due = Feed.objects.due(now).count()
    batches = veille_batches(due, state.batch_size, state.max_tasks)
    for _ in range(batches):
        enqueue(check_due_blogs, state.batch_size)
    # The posts stored by the previous tick's batches, folded into the blogs' profiles (ciblage).
    enqueue(refresh_blog_profiles)
    # Outreach: replies first (they hold follow-ups back), then the rules, then the outbox.
    enqueue(poll_replies)
    if monotonic >= state.next_followups:
        enqueue(plan_followups)
        state.next_followups = monotonic + FOLLOWUPS_EVERY
    enqueue(send_due_messages)
    if not batches:
        return ""
    return (f"{count(due, 'blog à vérifier', 'blogs à vérifier')} : "
            f"{count(batches, 'lot confié', 'lots confiés')} aux workers.")
