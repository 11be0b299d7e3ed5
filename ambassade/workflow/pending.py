"""An article added by its address, analysed by the task worker while the page waits.

The fetch never happens in the web request: a crash in a native library (a
segmentation fault was seen in `_pyreqwest` under the demo's threaded server)
then takes down a worker that is restarted, never the web server. The page
polls a small status endpoint (htmx) until the result lands.

The state travels through the shared cache (the database by default), which
the web processes and the workers all see; the result itself (post, coverage)
is in the database whatever happens to the cache entry.
"""

import logging
import secrets

from django.core.cache import cache
from django.tasks import task

logger = logging.getLogger(__name__)
KEEP_SECONDS = 24 * 3600
QUEUED, RUNNING, DONE = "queued", "running", "done"


def _key(token: str) -> str:
    return f"article-request:{token}"


def load(token: str) -> dict | None:
    return cache.get(_key(token)) if token and len(token) < 100 else None


def _save(token: str, state: dict) -> None:
    cache.set(_key(token), state, KEEP_SECONDS)


def queue_article(operation, url: str, user_id: int | None, *, source: str = "manual",
                  blogger_id: int | None = None) -> str:
    """Queue the fetch and analysis of `url` for `operation`; returns the token to poll."""
    token = secrets.token_urlsafe(18)
    _save(token, {"state": QUEUED, "organisation": operation.organisation_id, "operation": operation.pk,
                  "blogger": blogger_id, "url": url, "source": source, "result": None})
    add_article_later.enqueue(token, operation.pk, url, user_id, source)
    return token


@task()
def add_article_later(token: str, operation_id: int, url: str, user_id: int | None, source: str = "manual") -> dict:
    from .articles import add_article

    state = load(token) or {"organisation": None, "operation": operation_id, "blogger": None, "url": url,
                            "source": source}
    _save(token, {**state, "state": RUNNING})
    try:
        result = add_article(operation_id, url, user_id, source=source)
    except Exception:  # the page must hear back whatever happened; the details go to the log
        logger.exception("article %s for operation %s", url, operation_id)
        result = {"error": "L'article n'a pas pu être analysé (erreur interne, consignée). Réessayez plus tard."}
    _save(token, {**state, "state": DONE, "result": result})
    return result
