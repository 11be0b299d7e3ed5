from django.db import transaction
from django.tasks import task

from .models import ImportJob, ImportStatus
from .plan import apply_plan, build_plan
from .readers import UnreadableFile, read_rows


@task()
def run_import(job_id: int) -> dict:
    """Validate again (the data may have changed since the preview), then write all or nothing."""
    # Claim the job with a conditional update so that two workers never run it twice.
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING
    )
    if not claimed:
        return {"skipped": True}
    job = ImportJob.objects.select_related("organisation").get(pk=job_id)
    try:
        rows = read_rows(job.filename, bytes(job.content))
        ImportJob.objects.filter(pk=job.pk).update(total=len(rows), processed=0)

        def progress(n: int) -> None:
            if n % 50 == 0 or n == len(rows):
                ImportJob.objects.filter(pk=job.pk).update(processed=n)

        plan = build_plan(job.organisation, job.filename, rows, progress=progress)
        result = apply_plan(job.organisation, plan, skip_invalid=job.skip_invalid)
    except (UnreadableFile, ValueError) as error:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, error=str(error))
        return {"error": str(error)}
    except Exception:
        # The transaction rolled back: say so on the job, then let the backend record the traceback.
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, error="erreur inattendue, rien n'a été importé"
        )
        raise
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.DONE, result=result, processed=len(rows)
        )
    return result
