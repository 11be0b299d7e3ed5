from django.tasks import task


@task()
def collect_entries(giveaway_id: int = 0) -> dict:
    """One pass over the due comment sources (of one giveaway when named): the web page never fetches."""
    from .collect import collect
    from .models import Giveaway

    giveaway = Giveaway.objects.filter(pk=giveaway_id).first() if giveaway_id else None
    return collect(giveaway)


@task()
def close_due_giveaways() -> dict:
    from .services import close_due

    return close_due()


@task()
def erase_giveaway_data() -> dict:
    from .services import erase_due

    return erase_due()
