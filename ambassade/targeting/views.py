"""The shortlist builder: ranked blogs for an operation's brief, weights the CM adjusts, one-click add."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassade.accounts.access import get_scoped_or_404, staff_view
from ambassade.blogs.models import Blog
from ambassade.campaigns.models import Operation, Placement
from ambassade.campaigns.status import Status
from ambassade.logistics import ledger

from .candidates import EXCLUSION_LABELS, Proposal, assess_blog, shortlist
from .rank import Weights
from .refresh import stale_blog_ids
from .tasks import refresh_blog_profiles

WEIGHT_LABELS = {
    "relevance": gettext_lazy("Pertinence des billets"), "topics": gettext_lazy("Thèmes visés"),
    "wanted": gettext_lazy("Souhaits du blogueur"), "saturation": gettext_lazy("Pénalité : trop sponsorisé"),
    "overexposure": gettext_lazy("Pénalité : déjà très sollicité"), "reliability": gettext_lazy("Pénalité : n'a pas publié"),
    "diversity": gettext_lazy("Diversité de la sélection"),
}
LIMITS = (20, 50, 100)


def _weights(data) -> Weights:
    """Weights from the form, each clamped to [0, 1]; a missing or malformed one keeps its default."""
    defaults = Weights()
    values = {}
    for name in Weights.FIELDS:
        try:
            values[name] = min(max(float(data.get(name, getattr(defaults, name))), 0.0), 1.0)
        except (TypeError, ValueError):
            values[name] = getattr(defaults, name)
    return Weights(**values)


def _operation(request, pk):
    return get_scoped_or_404(Operation.objects.for_membership(request.membership).select_related("client"), pk=pk)


@staff_view(agency=True)
def targeting(request, pk):
    operation = _operation(request, pk)
    # A GET writes nothing: blogs with new posts are folded into their profiles by a worker (the loop
    # enqueues it every tick too); the page says the ranking may still move until it is done.
    stale = stale_blog_ids(operation.organisation_id)
    if stale:
        refresh_blog_profiles.enqueue()
    refreshing = bool(stale)
    weights = _weights(request.GET)
    limit = int(request.GET.get("limit")) if request.GET.get("limit") in {str(n) for n in LIMITS} else LIMITS[0]
    without_contact = request.GET.get("sans_contact") == "1"
    result = shortlist(operation, weights, limit, include_without_contact=without_contact)
    context = {
        "operation": operation, "result": result, "weights": weights, "limit": limit, "limits": LIMITS,
        "weight_fields": [(name, WEIGHT_LABELS[name], getattr(weights, name)) for name in Weights.FIELDS],
        "excluded": [(EXCLUSION_LABELS[k], v, result.excluded_blogs[k]) for k, v in result.excluded.items()],
        "without_contact": without_contact,
        "query": request.GET.urlencode(), "refreshing": len(stale) if refreshing else 0,
    }
    template = "targeting/_candidates.html" if request.htmx else "targeting/targeting.html"
    return render(request, template, context)


@staff_view(edit=True, agency=True)
def shortlist_add(request, pk):
    """Adds one blog to the operation's selection, with the reasons it was chosen, checked again here."""
    operation = _operation(request, pk)
    if request.method != "POST":
        return redirect("targeting", pk=operation.pk)
    blog = get_scoped_or_404(Blog.objects.for_membership(request.membership), pk=request.POST.get("blog") or 0)
    weights = _weights(request.POST)
    proposal = assess_blog(operation, blog.pk, weights,
                           include_without_contact=request.POST.get("sans_contact") == "1")
    added = isinstance(proposal, Proposal)
    if added:
        with transaction.atomic():
            placement, created = Placement.objects.get_or_create(
                operation=operation, blog=blog,
                defaults={"selection_reason": proposal.sentence,
                          "selection_score": {**proposal.as_json(), "weights": weights.__dict__}})
            if created:
                ledger.move(placement, Status.SHORTLISTED, user=request.user, note=_("choisi au ciblage"))
    else:
        messages.error(request, _("%(blog)s ne peut pas être proposé : %(reason)s.") % {"blog": blog, "reason": proposal})
    if request.htmx:
        return render(request, "targeting/_added.html", {"blog": blog, "added": added, "reason": proposal})
    if added:
        messages.success(request, _("%(blog)s ajouté à la sélection.") % {"blog": blog})
    return redirect("targeting", pk=operation.pk)
