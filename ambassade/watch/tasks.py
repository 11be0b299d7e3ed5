from django.tasks import task

from .cycle import run_cycle


@task()
def check_due_blogs(batch_size: int = 0) -> dict:
    """One leased batch of due blogs. Enqueued by `ambassade watch`; any number of workers may run it."""
    report = run_cycle(batch_size or None, max_batches=1)
    return {"checked": report.checked, "new_posts": report.new_posts, "coverages": report.coverages,
            "statuses": dict(report.statuses)}


@task()
def send_coverage_digest() -> dict:
    from .digest import send_digests

    return send_digests()


@task()
def purge_post_texts() -> dict:
    from .retention import purge_old_texts

    return {"cleared": purge_old_texts()}
