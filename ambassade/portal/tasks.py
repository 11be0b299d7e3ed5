from django.tasks import task


@task()
def apply_retention() -> dict:
    from ambassade.portal.retention import retention_pass

    report = retention_pass()
    return {"asked": len(report["asked"]), "erased": len(report["erased"])}
