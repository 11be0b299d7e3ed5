"""Client reports: for the agency, for client viewers, and through a client's signed link."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ambassade.accounts.access import get_scoped_or_404, staff_view
from ambassade.accounts.links import create_link, resolve
from ambassade.accounts.models import ClientLink
from ambassade.campaigns.models import Client, Operation

from .data import AGENCY, CLIENT, client_report, operation_report
from .exports import FORMATS, ExportUnavailable, context
from .exports import render as render_file

LINK_DAYS = (7, 30, 90)


def _download(report, fmt: str) -> HttpResponse:
    data = render_file(report, fmt)
    response = HttpResponse(data, content_type=FORMATS[fmt])
    name = f"compte-rendu-{slugify(report.operation.name)}-{report.generated_at:%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _operation_page(request, operation, *, base: str, token: str = "", agency: bool = False):
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        try:
            # A file leaves the agency: it says what the client may read, whoever downloads it.
            return _download(operation_report(operation), fmt)
        except ExportUnavailable as error:
            messages.error(request, _("Export impossible : %(e)s") % {"e": error})
    report = operation_report(operation, audience=AGENCY if agency else CLIENT)
    return render(request, "reports/operation_report.html", {**context(report), "formats": FORMATS, "base": base,
                                                             "token": token})


@staff_view()
def operation_report_view(request, pk):
    operation = get_scoped_or_404(Operation.objects.for_membership(request.membership)
                                  .select_related("client", "organisation"), pk=pk)
    return _operation_page(request, operation, base="base.html", agency=not request.membership.client_id)


@staff_view()
def client_report_view(request, pk):
    client = get_scoped_or_404(Client.objects.for_membership(request.membership), pk=pk)
    links = client.links.all() if request.membership.can_edit and not request.membership.client_id else []
    new_link = request.session.pop("new_client_link", "")
    return render(request, "reports/client_report.html", {
        "report": client_report(client), "base": "base.html", "links": links, "link_days": LINK_DAYS,
        "new_link": new_link, "now": timezone.now()})


@staff_view(edit=True, agency=True)
def client_links(request, pk):
    """Create a read-only link for the client (shown once), or revoke one."""
    client = get_scoped_or_404(Client.objects.for_membership(request.membership), pk=pk)
    if request.method != "POST":
        return redirect("client_report", pk=client.pk)
    if request.POST.get("revoke"):
        link = get_scoped_or_404(client.links.all(), pk=request.POST["revoke"])
        ClientLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
        messages.success(request, _("Lien révoqué : il ne donne plus accès à rien."))
    else:
        try:
            days = int(request.POST.get("days", 30))
        except ValueError:
            days = 30
        _link, token = create_link(client, days=days if days in LINK_DAYS else 30,
                                   label=request.POST.get("label", ""), user=request.user)
        request.session["new_client_link"] = request.build_absolute_uri(reverse("shared_client_report", args=[token]))
    return redirect("client_report", pk=client.pk)


def _link_or_404(token):
    link = resolve(token)
    if link is None:
        raise Http404("Ce lien n'est pas valide, a expiré ou a été révoqué.")
    return link


def shared_client_report(request, token):
    link = _link_or_404(token)
    with translation.override(link.client.organisation.language):  # the agency's language, not the browser's
        return render(request, "reports/client_report.html", {
            "report": client_report(link.client), "base": "reports/shared_base.html", "token": token, "links": [],
            "link": link})


def shared_operation_report(request, token, pk):
    link = _link_or_404(token)
    operation = Operation.objects.filter(pk=pk, client=link.client).select_related("client", "organisation").first()
    if operation is None:
        raise Http404("Cette opération n'est pas celle de ce client.")
    with translation.override(operation.organisation.language):
        return _operation_page(request, operation, base="reports/shared_base.html", token=token)
