"""The tasks the loop enqueues that cross apps."""

from django.tasks import task

from .articles import veille_pass


@task()
def check_due_blogs(batch_size: int = 0) -> dict:
    """One leased batch of due blogs, then its articles' effects. Enqueued by `ambassade watch`; any
    number of workers may run it."""
    report = veille_pass(batch_size or None, max_batches=1)
    return {"checked": report.checked, "new_posts": report.new_posts, "coverages": report.coverages,
            "statuses": dict(report.statuses)}
