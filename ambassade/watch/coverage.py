"""Turning a verdict into coverage: the record, the placement, the follow-ups held back.

Called explicitly by the veille (and later by the blogger's declaration);
no signals between apps.
"""

from django.db import transaction
from django.utils import timezone

from ambassade.campaigns.models import ActorKind, Placement
from ambassade.campaigns.status import Status, can_move
from ambassade.outreach.models import Message

from .models import Coverage, Post

ARTICLE_DETECTED = "article détecté"
ARTICLE_DECLARED = "article déclaré"


def record_coverage(post: Post, operation, verdict: dict, *, source: str = "watch") -> Coverage | None:
    """Create the coverage once per (post, operation); publish the placement; cancel pending mails.

    Only an article that names the operation's product (or an alias) moves the
    placement by itself; one about another product of the brand waits for the CM.
    """
    about_product = not operation.product_names or any(
        m["kind"] in ("product", "alias") for m in verdict["mentions"]
    )
    with transaction.atomic():
        placement = Placement.objects.filter(operation=operation, blog_id=post.blog_id).first()
        coverage, created = Coverage.objects.get_or_create(
            post=post,
            operation=operation,
            defaults={
                "placement": placement,
                "subject": verdict["subject"],
                "about_product": about_product,
                "mentions": verdict["mentions"],
                "disclosure": verdict["disclosure"]["label"],
                "disclosure_cue": (verdict["disclosure"]["cue"] or "")[:300],
                "giveaway": verdict["giveaway"]["present"],
                "giveaway_cue": (verdict["giveaway"]["cue"] or "")[:300],
                "giveaway_deadline": verdict["giveaway"]["deadline"],
                "source": source,
                "detected_at": timezone.now(),
            },
        )
        if not created:
            return None
        if placement is not None and about_product:
            # Whoever brought the article moved the card: the veille, or the blogger who declared it.
            actor = ActorKind.BLOGGER if source == "declared" else ActorKind.ARTICLE
            publish_placement(placement, post.url, actor=actor,
                              reason=ARTICLE_DECLARED if source == "declared" else ARTICLE_DETECTED)
    return coverage


def publish_placement(placement, url: str, *, actor=ActorKind.ARTICLE, user=None, reason: str = "") -> None:
    """The placement has its article: move it, and hold back every mail still waiting."""
    if can_move(placement.status, Status.PUBLISHED):
        placement.move(Status.PUBLISHED, actor=actor, user=user, note=url[:500])
    Message.objects.cancel_pending(placement, reason or ARTICLE_DETECTED)
