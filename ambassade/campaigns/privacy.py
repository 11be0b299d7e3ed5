"""What campaigns forget when a person is erased: the words in the history, kept as dates and statuses."""

from .models import PlacementEvent


def forget_blog(blog) -> None:
    PlacementEvent.objects.filter(placement__blog=blog).update(note="")
    blog.placements.update(reason="", selection_reason="")
