from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassade.accounts.access import get_scoped_or_404, staff_view

from .models import ImportJob, ImportStatus
from .plan import build_plan
from .readers import UnreadableFile, read_rows
from .tasks import run_import


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier"),
        help_text=gettext_lazy("CSV ou XLSX (blogs et blogueurs), OPML (flux)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("Fichier trop volumineux (%(size)d Mo au plus).")
                % {"size": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload


@staff_view(edit=True, agency=True)
def import_start(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            rows = read_rows(upload.name, data)
        except UnreadableFile as error:
            form.add_error("file", str(error))
        else:
            plan = build_plan(request.membership.organisation, upload.name, rows)
            job = ImportJob.objects.create(
                organisation=request.membership.organisation,
                user=request.user,
                filename=upload.name[:255],
                content=data,
                total=len(rows),
                preview={
                    "summary": plan.summary(),
                    "errors": [{"line": r.line, "errors": r.errors} for r in plan.errors][:500],
                    "sample": [
                        {"line": r.line, "blog": r.blog_key, "blog_action": r.blog_action,
                         "blogger_action": r.blogger_action, "email": r.values.get("email_key", "")}
                        for r in plan.valid[:30]
                    ],
                },
            )
            return redirect("import_detail", pk=job.pk)
    jobs = ImportJob.objects.for_membership(request.membership)[:10]
    return render(request, "imports/import_start.html", {"form": form, "jobs": jobs})


@staff_view(agency=True)
def import_detail(request, pk):
    job = get_scoped_or_404(ImportJob.objects.for_membership(request.membership), pk=pk)
    if request.method == "POST" and job.status == ImportStatus.PREVIEWED:
        job.skip_invalid = bool(request.POST.get("skip_invalid"))
        if job.preview["summary"]["errors"] and not job.skip_invalid:
            messages.error(request, _("Le fichier contient des lignes en erreur : corrigez-le, "
                                      "ou cochez « importer seulement les lignes valides »."))
            return redirect("import_detail", pk=job.pk)
        job.status = ImportStatus.QUEUED
        job.save(update_fields=["skip_invalid", "status"])
        run_import.enqueue(job.pk)
        return redirect("import_detail", pk=job.pk)
    return render(request, "imports/import_detail.html", {"job": job})


@staff_view(agency=True)
def import_progress(request, pk):
    job = get_scoped_or_404(ImportJob.objects.for_membership(request.membership), pk=pk)
    return render(request, "imports/_progress.html", {"job": job})
