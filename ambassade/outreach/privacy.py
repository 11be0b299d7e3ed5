"""What the outbox and the inbox forget when a person is erased: every mail's words and addresses."""

from .models import Message


def forget(organisation_id: int, blog, addresses: list[str]) -> int:
    """Empties the person's mails (kept as dated rows for the statistics); nothing still queued leaves."""
    mine = Message.objects.filter(organisation_id=organisation_id)
    Message.objects.filter(organisation_id=organisation_id, status__in=["draft", "queued"],
                           placement__blog=blog).update(status="cancelled", error="données effacées")
    mails = mine.filter(placement__blog=blog) | mine.filter(to_address__in=addresses)
    return mails.update(to_address="", from_address="", body_text="", body_html="", subject="(effacé)",
                        in_reply_to="", references="")
