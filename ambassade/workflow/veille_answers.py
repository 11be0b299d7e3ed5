"""The veille's answers to the outbox's questions (see `outreach.veille`), read from the veille's records."""

from ambassade.lib.folding import fold
from ambassade.outreach import veille as outbox_port
from ambassade.watch.coverage import ARTICLE_DECLARED, ARTICLE_DETECTED
from ambassade.watch.detect.analyze import lexicon_for
from ambassade.watch.models import Coverage, CoverageStatus, Post, veille_blind_reason


def article_reason(placement) -> str:
    coverage = Coverage.objects.filter(placement=placement).exclude(status=CoverageStatus.REJECTED).first()
    if coverage is None:
        return ""
    return ARTICLE_DECLARED if coverage.source == "declared" else ARTICLE_DETECTED


def recent_posts(blog, since) -> list:
    return list(Post.objects.filter(blog=blog, published_at__gte=since).order_by("-published_at")[:30])


def names_brand(operation, text: str) -> bool:
    return bool(lexicon_for(operation.brand, operation.product_names, operation.aliases).find(fold(text)))


def plug_veille_into_outbox() -> None:
    outbox_port.plug(outbox_port.Answers(article_reason=article_reason, blind_reason=veille_blind_reason,
                                         recent_posts=recent_posts, names_brand=names_brand))
