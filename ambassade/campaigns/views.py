from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ambassade.accounts.access import get_scoped_or_404, staff_view
from ambassade.blogs.models import Blog
from ambassade.logistics import ledger  # a move's stock effects (reserve, release, ship)
from ambassade.watch.models import CoverageStatus

from .forms import OperationForm
from .models import IllegalTransition, Operation, Placement
from .status import BOARD_COLUMNS, CLOSED, Status


@staff_view()
def operation_list(request):
    operations = (
        Operation.objects.for_membership(request.membership)
        .select_related("client")
        .annotate(placement_count=Count("placements"))
    )
    return render(request, "campaigns/operation_list.html", {"operations": operations})


@staff_view(edit=True)
def operation_create(request):
    form = OperationForm(request.POST or None, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        operation = form.save()
        messages.success(request, _("Opération créée. Ajoutez maintenant des blogs au tableau."))
        return redirect("operation_detail", pk=operation.pk)
    return render(request, "campaigns/operation_form.html", {"form": form})


def _board(operation):
    placements = list(
        operation.placements.select_related("blog").prefetch_related("blog__bloggers")
        .order_by("-status_changed_at")
    )
    columns = [
        {"status": s, "label": Status(s).label, "cards": [p for p in placements if p.status == s]}
        for s in BOARD_COLUMNS
    ]
    closed = [p for p in placements if p.status in CLOSED]
    from ambassade.reports.figures import funnel

    return {
        "operation": operation,
        "columns": columns,
        "closed": closed,
        "funnel": funnel(operation),
        "placement_count": len(placements),
    }


def _operation_page(request, operation) -> dict:
    """Everything the operation page shows; also used when a move is refused without htmx."""
    context = _board(operation)
    context["coverages"] = operation.coverages.exclude(status=CoverageStatus.REJECTED).select_related(
        "post", "post__blog", "placement")
    context["addable_blogs"] = (
        Blog.objects.for_membership(request.membership)
        .exclude(placements__operation=operation)
        .order_by("name")
        if request.membership.can_edit
        else []
    )
    return context


@staff_view()
def operation_detail(request, pk):
    operation = get_scoped_or_404(
        Operation.objects.for_membership(request.membership).select_related("client"), pk=pk
    )
    if request.membership.client_id:
        return redirect("operation_report", pk=operation.pk)  # the board is the agency's workbench
    return render(request, "campaigns/operation_detail.html", _operation_page(request, operation))


@staff_view(edit=True)
def placement_add(request, pk):
    operation = get_scoped_or_404(Operation.objects.for_membership(request.membership), pk=pk)
    if request.method == "POST":
        blog = get_scoped_or_404(
            Blog.objects.for_membership(request.membership), pk=request.POST.get("blog") or 0
        )
        placement, created = Placement.objects.get_or_create(operation=operation, blog=blog)
        if created:
            messages.success(request, _("%(blog)s ajouté aux candidats.") % {"blog": blog})
    return redirect("operation_detail", pk=operation.pk)


def _scoped_placement(request, pk):
    return get_scoped_or_404(
        Placement.objects.for_membership(request.membership).select_related(
            "operation", "blog", "operation__client"
        ),
        pk=pk,
    )


@staff_view(agency=True)
def placement_detail(request, pk):
    placement = _scoped_placement(request, pk)
    events = placement.events.select_related("user")
    coverages = placement.coverages.select_related("post")
    template = "campaigns/_placement_panel.html" if request.htmx else "campaigns/placement_detail.html"
    return render(request, template, {"placement": placement, "events": events, "coverages": coverages})


@staff_view(edit=True)
def placement_move(request, pk):
    placement = _scoped_placement(request, pk)
    if request.method != "POST":
        return redirect("operation_detail", pk=placement.operation_id)
    target = request.POST.get("status", "")
    try:
        ledger.move(placement, target, user=request.user, note=request.POST.get("note", "")[:500])
        moved = True
        messages.success(
            request, _("%(blog)s : %(status)s") % {"blog": placement.blog, "status": Status(target).label}
        )
    except IllegalTransition as error:
        moved = False
        messages.error(request, str(error))
    if request.htmx:
        # htmx does not swap 4xx responses by default: the board is re-rendered with the message.
        response = render(request, "campaigns/_board.html", _board(placement.operation))
        response["X-Ambassade-Result"] = "moved" if moved else "refused"
        return response
    if not moved:
        return render(request, "campaigns/operation_detail.html",
                      _operation_page(request, placement.operation), status=409)
    return redirect("operation_detail", pk=placement.operation_id)
