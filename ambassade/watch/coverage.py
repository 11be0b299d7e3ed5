"""Turning a verdict into a coverage record, with the evidence and, when it is weak, the reason.

What the record then does to the placement and its mails is the workflow's (`ambassade.workflow`,
on the top layer): the veille neither moves cards nor touches the outbox.

An article counts only once it is confirmed: by a person of the agency, or at once
when the evidence is strong — the operation's product is the post's subject, named
in its text — and the organisation lets the veille confirm those
(`Organisation.auto_confirm_articles`). Every other article waits, with the reason
a person must look, and moves nothing; a follow-up still never goes while it waits.
"""

from django.utils import timezone

from ambassade.campaigns.models import Placement

from .models import Coverage, CoverageStatus, Post

ARTICLE_DETECTED = "article détecté"
ARTICLE_DECLARED = "article déclaré"
NOT_NAMED = "la marque n'est pas nommée dans le texte du billet"
ONLY_AROUND = "la marque n'apparaît qu'autour du billet (menu, barre latérale, commentaires…), pas dans son texte"
IN_PASSING = "la marque n'est citée qu'en passant : le produit n'est pas le sujet du billet"
BRAND_ONLY = "la marque est nommée, pas le produit de l'opération"
UNREADABLE = "page illisible : {error}"
BY_HAND = "à confirmer par l'agence (la veille ne confirme rien seule pour cette organisation)"


def names_product(operation, verdict: dict) -> bool:
    return not operation.product_names or any(m["kind"] in ("product", "alias") for m in verdict["mentions"])


def evidence_gap(operation, verdict: dict) -> str:
    """'' when the verdict is strong evidence of an article about the product; else why it is not."""
    if not [m for m in verdict["mentions"] if m["kind"] != "domain"]:
        return NOT_NAMED
    if not verdict["subject"]:
        return IN_PASSING
    if not names_product(operation, verdict):
        return BRAND_ONLY
    return ""


def record_coverage(post: Post, operation, verdict: dict, *, source: str = "watch",
                    gap: str | None = None) -> Coverage | None:
    """Create the coverage once per (post, operation); confirm it only on strong evidence.

    `gap` overrides the reason found from the verdict (a declaration knows more: the brand only
    in the sidebar, a page that cannot be read). Returns None if the coverage already existed.
    """
    gap = evidence_gap(operation, verdict) if gap is None else gap
    automatic = not gap and operation.organisation.auto_confirm_articles
    now = timezone.now()
    coverage, created = Coverage.objects.get_or_create(
        post=post,
        operation=operation,
        defaults={
            "placement": Placement.objects.filter(operation=operation, blog_id=post.blog_id).first(),
            "status": CoverageStatus.CONFIRMED if automatic else CoverageStatus.DETECTED,
            "reviewed_at": now if automatic else None,
            "review_reason": "" if automatic else (gap or BY_HAND),
            "subject": verdict["subject"],
            "about_product": names_product(operation, verdict),
            "mentions": verdict["mentions"],
            "disclosure": verdict["disclosure"]["label"],
            "disclosure_cue": (verdict["disclosure"]["cue"] or "")[:300],
            "giveaway": verdict["giveaway"]["present"],
            "giveaway_cue": (verdict["giveaway"]["cue"] or "")[:300],
            "giveaway_deadline": verdict["giveaway"]["deadline"],
            "source": source,
            "detected_at": now,
        },
    )
    return coverage if created else None


def spontaneous(post: Post, placement) -> bool:
    """Published before the day we first wrote to the blog (or we never did): not the operation's doing,
    so it publishes nothing and stops nothing (the same rule as `Coverage.objects.spontaneous`)."""
    contacted = placement.first_contact_at()
    published = post.published_at or post.found_at
    return contacted is None or timezone.localdate(published) < timezone.localdate(contacted)


def mark_confirmed(coverage: Coverage, user) -> None:
    """A person of the agency vouches for the article (the workflow then publishes the placement)."""
    coverage.status, coverage.reviewed_by, coverage.reviewed_at = CoverageStatus.CONFIRMED, user, timezone.now()
    coverage.review_reason = ""
    coverage.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reason"])
