"""'Aujourd'hui': what needs the CM today, and each running operation's funnel (the report's figures)."""

from django.shortcuts import render
from django.utils import timezone

from ambassade.accounts.access import staff_view
from ambassade.campaigns.models import Operation, OperationStatus
from ambassade.reports.figures import funnel
from ambassade.watch.models import Coverage

from .today import what_needs_me


@staff_view()
def dashboard(request):
    membership = request.membership
    operations = (
        Operation.objects.for_membership(membership)
        .exclude(status=OperationStatus.CLOSED)
        .select_related("client")
    )
    cards = [{"operation": op, "funnel": funnel(op)} for op in operations]
    if membership.client_id:
        # A client reads its operations' figures and reports: never the agency's to-do lists or
        # the articles nobody has confirmed yet.
        return render(request, "dashboard/dashboard.html", {"cards": cards, "todo": [], "detected": []})
    pending = Coverage.objects.for_membership(membership).awaiting_review()
    detected = pending.select_related("post", "post__blog", "operation", "placement")[:5]
    return render(
        request,
        "dashboard/dashboard.html",
        {"cards": cards, "todo": what_needs_me(membership, timezone.now()), "detected": detected,
         "detected_count": pending.count()},
    )
