"""The retention rule (CNIL): three years after the last contact from the person, a request for
consent; a month later without an answer, erasure. Run daily by the loop; says what it did."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from ambassade.blogs.models import Blogger
from ambassade.privacy.gdpr import erase

from .mails import queue_consent_request

RETENTION = timedelta(days=3 * 365)
CONSENT_WAIT = timedelta(days=30)


def retention_pass(now=None, dry_run: bool = False) -> dict:
    """The CNIL rule, once a day: three years after the last contact from the person, ask for consent;
    a month later without an answer, erase."""
    now = now or timezone.now()
    report = {"asked": [], "erased": []}
    limit = now - RETENTION
    stale = (Blogger.objects.filter(erased_at__isnull=True)
             .filter(Q(last_heard_at__lt=limit) | Q(last_heard_at__isnull=True, created_at__lt=limit))
             .select_related("blog", "organisation"))
    for blogger in stale:
        if blogger.consent_requested_at is None:
            report["asked"].append(blogger.pk)
            if not dry_run:
                queue_consent_request(blogger)
                Blogger.objects.filter(pk=blogger.pk).update(consent_requested_at=now)
        elif blogger.consent_requested_at < now - CONSENT_WAIT:
            report["erased"].append(blogger.pk)
            if not dry_run:
                erase(blogger)
    return report
