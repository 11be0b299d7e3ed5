from django.tasks import task

from .refresh import recount_all, refresh_profiles


@task()
def refresh_blog_profiles() -> dict:
    """Fold the posts the veille stored since the last run into the blogs' profiles."""
    return {"refreshed": refresh_profiles()}


@task()
def recount_blog_profiles() -> dict:
    """Once a day: the 90-day counts slide even when a blog publishes nothing."""
    return {"recounted": recount_all()}
