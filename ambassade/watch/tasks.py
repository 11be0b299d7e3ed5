from django.tasks import task


@task()
def send_coverage_digest() -> dict:
    from .digest import send_digests

    return send_digests()


@task()
def purge_post_texts() -> dict:
    from .retention import purge_old_texts

    return {"cleared": purge_old_texts()}
