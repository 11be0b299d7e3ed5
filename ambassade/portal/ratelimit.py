"""Brute force on links: each address gets a budget of requests and of invalid links per window.

Counted in the shared cache (the database by default, Redis when configured), so every web
process sees the same counts; the address is the client's, read through the trusted proxies
(behind a proxy, REMOTE_ADDR is the proxy for everyone)."""

from django.core.cache import cache

from ambassade.accounts.client_ip import client_ip
from ambassade.lib.budget import spend

WINDOW = 600  # seconds
REQUESTS = 120  # portal requests per address per window
FAILURES = 20  # invalid or expired links per address per window


def _count(key: str) -> int:
    return spend(key, WINDOW)


def client_address(request) -> str:
    return client_ip(request)


def blocked(request) -> bool:
    address = client_address(request)
    if (cache.get(f"portal:fail:{address}") or 0) >= FAILURES:
        return True
    return _count(f"portal:req:{address}") > REQUESTS


def failed(request) -> None:
    _count(f"portal:fail:{client_address(request)}")
