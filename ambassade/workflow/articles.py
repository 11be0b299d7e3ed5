"""An article was found → the placement is published → its pending mails stop.

The veille (`watch`) records coverage and the outbox (`outreach`) holds mails; neither knows the
other. This module, above both, says what an article does: a confirmed one that is not spontaneous
publishes its placement (through the stock-aware move) and holds back every mail still waiting; a
declared one that waits for the CM still stops the reminders, since the blogger did answer.
"""

from django.contrib.auth import get_user_model

from ambassade.campaigns.models import ActorKind
from ambassade.campaigns.status import Status, can_move
from ambassade.logistics import ledger
from ambassade.outreach.models import Message
from ambassade.watch.coverage import ARTICLE_DECLARED, ARTICLE_DETECTED, mark_confirmed, spontaneous
from ambassade.watch.cycle import CycleReport, run_cycle
from ambassade.watch.manual import read_article
from ambassade.watch.models import Coverage, CoverageStatus


def publish_placement(placement, url: str, *, actor=ActorKind.ARTICLE, user=None, reason: str = "") -> None:
    """The placement has its article: move it, and hold back every mail still waiting."""
    if can_move(placement.status, Status.PUBLISHED):
        ledger.move(placement, Status.PUBLISHED, actor=actor, user=user, note=url[:500])
    Message.objects.cancel_pending(placement, reason or ARTICLE_DETECTED)


def article_found(coverage: Coverage, *, declared: bool = False) -> None:
    placement = coverage.placement
    if placement is None:
        return
    reason = ARTICLE_DECLARED if declared else ARTICLE_DETECTED
    if coverage.status == CoverageStatus.CONFIRMED and not spontaneous(coverage.post, placement):
        # Whoever brought the article moved the card: the veille, or the blogger who declared it.
        publish_placement(placement, coverage.post.url, reason=reason,
                          actor=ActorKind.BLOGGER if declared else ActorKind.ARTICLE)
    elif declared:
        Message.objects.cancel_pending(placement, reason)


def confirm_article(coverage: Coverage, user) -> None:
    """A person of the agency vouches for the article: it counts, and it publishes the placement."""
    mark_confirmed(coverage, user)
    if coverage.placement and not spontaneous(coverage.post, coverage.placement):
        publish_placement(coverage.placement, coverage.post.url, actor=ActorKind.PERSON, user=user)


def add_article(operation_id: int, url: str, user_id: int | None, *, source: str = "manual") -> dict:
    """An article by its address: read and analysed by the veille; the CM's is confirmed by them, the
    blogger's is weighed like a detected one."""
    result = read_article(operation_id, url, source=source)
    if "coverage" not in result:
        return result
    coverage = Coverage.objects.select_related("post", "placement").get(pk=result["coverage"])
    if source == "declared":
        article_found(coverage, declared=True)
    else:
        confirm_article(coverage, get_user_model().objects.filter(pk=user_id).first() if user_id else None)
    return result


def veille_pass(batch_size: int | None = None, **options) -> CycleReport:
    """The veille's batches, then what each new article does to its placement and mails."""
    report = run_cycle(batch_size, **options)
    for coverage in Coverage.objects.filter(pk__in=report.coverage_ids).select_related("post", "placement"):
        article_found(coverage)
    return report
