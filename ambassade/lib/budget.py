"""Counting requests per window in the shared cache (the database by default, Redis when configured),
so every web process sees the same counts: the portal's brute-force limits, the giveaway form's budget."""

from django.core.cache import cache


def spend(key: str, window: int) -> int:
    """Add one to `key`'s count for the current window of `window` seconds; returns the new count."""
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # the entry expired between add and incr
        cache.set(key, 1, window)
        return 1
