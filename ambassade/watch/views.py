from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassade.accounts.access import get_scoped_or_404, staff_view
from ambassade.campaigns.models import Operation
from ambassade.workflow import pending
from ambassade.workflow.articles import confirm_article
from ambassade.workflow.pending import queue_article

from .manual import blog_for_url
from .models import Coverage, CoverageStatus


class ArticleURLForm(forms.Form):
    url = forms.URLField(label=gettext_lazy("Adresse de l'article"), max_length=500,
                         assume_scheme="https")


@staff_view(edit=True)
def coverage_review(request, pk):
    coverage = get_scoped_or_404(Coverage.objects.for_membership(request.membership).select_related("placement", "post"), pk=pk)
    action = request.POST.get("action")
    if action not in ("confirm", "reject"):
        return _back(request)
    if action == "confirm":
        confirm_article(coverage, request.user)
    else:
        coverage.status, coverage.reviewed_by, coverage.reviewed_at = (CoverageStatus.REJECTED, request.user,
                                                                       timezone.now())
        coverage.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    messages.success(request, _("Merci : article confirmé.") if action == "confirm"
                     else _("Noté : ce n'est pas un article sur le produit."))
    return _back(request)


def _back(request):
    """Back to the page the form came from, never to another site."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure())
    return redirect(target if safe and target else "dashboard")


@staff_view(edit=True)
def article_add(request, pk):
    operation = get_scoped_or_404(Operation.objects.for_membership(request.membership), pk=pk)
    form = ArticleURLForm(request.POST)
    if form.is_valid() and blog_for_url(request.membership.organisation, form.cleaned_data["url"]) is None:
        messages.error(request, _("Ce blog n'est pas dans votre base : importez-le d'abord, puis ajoutez l'article."))
    elif form.is_valid():
        # Never fetched in the web request: the task worker fetches and analyses (the same
        # add_article), and this page waits for the result, polling its status.
        token = queue_article(operation, form.cleaned_data["url"], request.user.pk)
        if request.htmx:
            return article_status(request, token)
        return redirect("article_status", token=token)
    else:
        messages.error(request, _("Adresse invalide : %(e)s") % {"e": " ".join(form.errors.get("url", []))})
    return redirect("operation_detail", pk=operation.pk)


def _outcome(result: dict) -> tuple[str, str]:
    """(level, French sentence) for what add_article answered."""
    if "error" in result:
        return "error", result["error"]
    if result.get("is_coverage"):
        return "success", _("Article ajouté et analysé : il parle bien du produit.")
    return "warning", _("Article ajouté, mais il ne parle pas du produit comme sujet : vérifiez l'adresse.")


@staff_view(agency=True)
def article_status(request, token):
    """Where an article added by its address stands: a fragment that polls itself until done."""
    state = pending.load(token)
    if state is None or state["organisation"] != request.membership.organisation_id or state["blogger"]:
        raise Http404
    operation = get_scoped_or_404(Operation.objects.for_membership(request.membership), pk=state["operation"])
    level, sentence = _outcome(state["result"]) if state["state"] == pending.DONE else ("", "")
    context = {"state": state, "token": token, "operation": operation, "level": level, "sentence": sentence,
               "done": state["state"] == pending.DONE}
    template = "watch/_article_status.html" if request.htmx else "watch/article_status.html"
    return render(request, template, context)
