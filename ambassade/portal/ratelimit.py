"""Brute force on links: each address gets a budget of requests and of invalid links per window.
Counted in Django's cache (configure a shared one when several web processes run)."""

from django.core.cache import cache

WINDOW = 600  # seconds
REQUESTS = 120  # portal requests per address per window
FAILURES = 20  # invalid or expired links per address per window


def _count(key: str) -> int:
    cache.add(key, 0, WINDOW)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW)
        return 1


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def blocked(request) -> bool:
    address = client_address(request)
    if (cache.get(f"portal:fail:{address}") or 0) >= FAILURES:
        return True
    return _count(f"portal:req:{address}") > REQUESTS


def failed(request) -> None:
    _count(f"portal:fail:{client_address(request)}")
