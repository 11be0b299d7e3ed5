"""The CM's daily e-mail: articles the veille found since the last digest."""

from collections import defaultdict

from django.core import mail
from django.template.loader import render_to_string
from django.utils import timezone

from ambassade.accounts.models import Membership, Role
from ambassade.lib.french import count

from .models import Coverage


def send_digests() -> dict:
    pending = Coverage.objects.filter(notified_at__isnull=True).select_related(
        "post", "post__blog", "operation", "operation__organisation")
    by_org = defaultdict(list)
    for coverage in pending:
        by_org[coverage.operation.organisation].append(coverage)
    sent = 0
    for organisation, coverages in by_org.items():
        recipients = [m.user.email for m in Membership.objects.filter(
            organisation=organisation, role__in=[Role.OWNER, Role.MANAGER, Role.MEMBER]).select_related("user")
            if m.user.email]
        if recipients:
            body = render_to_string("watch/digest.txt", {"organisation": organisation, "coverages": coverages})
            subject = "Veille : " + count(len(coverages), "nouvel article détecté", "nouveaux articles détectés")
            sent += mail.send_mail(subject, body, None, recipients)
        Coverage.objects.filter(pk__in=[c.pk for c in coverages]).update(notified_at=timezone.now())
    return {"organisations": len(by_org), "mails": sent}
