from django.tasks import task


@task()
def send_due_messages() -> dict:
    """One pass of the outbox. Enqueued by the loop each tick; any number of workers may run it."""
    from .sender import send_due

    report = send_due()
    return {"sent": report.sent, "held": report.held, "waiting": report.waiting, "retried": report.retried,
            "failed": report.failed}


@task()
def poll_replies() -> dict:
    from .inbox import poll_all

    return poll_all()


@task()
def plan_followups() -> dict:
    from .followups import apply, plan

    return apply(plan())
