"""When to look at a blog again: from its own posting rhythm, within bounds, with jitter.

Pure functions; the clock and the randomness are parameters.
"""

import random
from datetime import datetime


def next_interval(post_dates: list[datetime], now: datetime, minimum: int, maximum: int,
                  rng: random.Random | None = None) -> int:
    """A quarter of the typical gap between recent posts, clamped, ±10 % jitter.

    A blog that posts daily is looked at every ~6 hours; one that posts
    monthly, once a day (the maximum). No history: the middle of the range.
    """
    rng = rng or random
    dates = sorted((d for d in post_dates if d and d <= now), reverse=True)[:10]
    if len(dates) >= 2:
        gaps = sorted((a - b).total_seconds() for a, b in zip(dates, dates[1:], strict=False))
        typical = gaps[len(gaps) // 2]
        base = typical / 4
    else:
        base = (minimum + maximum) / 2
    base = min(max(base, minimum), maximum)
    return int(base * rng.uniform(0.9, 1.1))


def backoff(errors: int, minimum: int, maximum: int, rng: random.Random | None = None) -> int:
    """Exponential backoff with full jitter after `errors` consecutive failures."""
    rng = rng or random
    ceiling = min(maximum, minimum * (2 ** min(errors, 16)))
    return int(rng.uniform(minimum, max(minimum, ceiling)))
