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


def record_coverage(post: Post, operation, verdict: dict, *, source: str = "watch") -> Coverage | None:
    """Create the coverage once per (post, operation); publish the placement; cancel pending mails."""
    with transaction.atomic():
        placement = Placement.objects.filter(operation=operation, blog_id=post.blog_id).first()
        coverage, created = Coverage.objects.get_or_create(
            post=post,
            operation=operation,
            defaults={
                "placement": placement,
                "subject": verdict["subject"],
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
        if not created or placement is None:
            return coverage if created else None
        if can_move(placement.status, Status.PUBLISHED):
            placement.move(Status.PUBLISHED, actor=ActorKind.ARTICLE, note=post.url[:500])
        Message.objects.cancel_pending(placement, ARTICLE_DETECTED)
    return coverage
