"""The veille's timing decisions, table-driven (as reader tests `next_update_after`): when to look at a
blog again, how long to back off after failures, how to read Retry-After. Pure functions, fixed dice."""

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from ambassade.lib.http import parse_retry_after
from ambassade.watch.crawler import FeedStatus
from ambassade.watch.schedule import backoff, next_interval

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)
H, D = 3600, 86400


class Fixed(random.Random):
    """A die that always lands on `fraction` of the range: 0 the low end, 1 the high end."""

    def __init__(self, fraction: float):
        super().__init__(0)
        self.fraction = fraction

    def uniform(self, a, b):
        return a + (b - a) * self.fraction


def every(gap: timedelta, n: int = 6) -> list[datetime]:
    return [NOW - gap * i for i in range(1, n + 1)]


@pytest.mark.parametrize(("dates", "expected"), [
    (every(timedelta(days=1)), 6 * H),  # daily blog: a quarter of a day
    (every(timedelta(hours=8)), 2 * H),
    (every(timedelta(hours=2)), 1 * H),  # very busy: never below the minimum
    (every(timedelta(days=5)), 30 * H),
    (every(timedelta(days=7)), 36 * H),  # a quarter of a week is past the maximum
    (every(timedelta(days=30)), 1 * D + 12 * H),  # monthly: the maximum
    (every(timedelta(days=400)), 1 * D + 12 * H),
    ([], (1 * H + 36 * H) // 2),  # no history: the middle of the range
    ([NOW - timedelta(days=3)], (1 * H + 36 * H) // 2),  # one post is no rhythm
    ([NOW + timedelta(days=1), NOW + timedelta(days=2)], (1 * H + 36 * H) // 2),  # future dates are not trusted
    (every(timedelta(days=1)) + [NOW + timedelta(days=3)], 6 * H),
    ([None, NOW - timedelta(days=1), NOW - timedelta(days=2), NOW - timedelta(days=3)], 6 * H),
    # Irregular: the median gap counts, not the mean (one long silence does not slow a busy blog).
    ([NOW - timedelta(days=d) for d in (1, 2, 3, 4, 60)], 6 * H),
])
def test_next_interval(dates, expected):
    assert next_interval(dates, NOW, 1 * H, 36 * H, rng=Fixed(0.5)) == expected


@pytest.mark.parametrize(("fraction", "expected"), [(0.0, int(6 * H * 0.9)), (1.0, int(6 * H * 1.1))])
def test_next_interval_jitter_is_ten_percent(fraction, expected):
    assert next_interval(every(timedelta(days=1)), NOW, 1 * H, 36 * H, rng=Fixed(fraction)) == expected


@pytest.mark.parametrize(("errors", "fraction", "expected"), [
    (0, 1.0, 600), (1, 1.0, 1200), (2, 1.0, 2400), (3, 1.0, 4800), (5, 1.0, 19200),
    (8, 1.0, D),  # capped at the maximum
    (40, 1.0, D),  # no overflow however long it fails
    (3, 0.0, 600),  # full jitter: anywhere from the minimum
    (3, 0.5, 2700),
])
def test_backoff(errors, fraction, expected):
    assert backoff(errors, 600, D, rng=Fixed(fraction)) == expected


@pytest.mark.parametrize(("header", "expected"), [
    (None, None), ("", None), ("120", 120.0), (" 30 ", 30.0), ("0", 0.0),
    ("soon", None), ("-5", None), ("1.5", None),
    (format_datetime(datetime(2026, 11, 29, 12, 2, tzinfo=UTC), usegmt=True), 120.0),
    (format_datetime(datetime(2026, 11, 29, 11, 0, tzinfo=UTC), usegmt=True), 0.0),  # a date past: no wait
    ("Sun, 99 Nov 2026 12:00:00 GMT", None),
])
def test_parse_retry_after(header, expected):
    assert parse_retry_after(header, now=NOW.timestamp()) == expected


def test_the_eight_feed_statuses_are_named_once():
    assert {s.value for s in FeedStatus} == {"ok", "not_modified", "unchanged", "error", "gone", "throttled",
                                             "paused", "robots_denied"}
    assert FeedStatus.NOT_MODIFIED == "not_modified"  # stored and counted as plain strings
