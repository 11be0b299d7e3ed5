"""`/healthz`: what a load balancer or an orchestrator asks before sending traffic to a web process.

200 when the database answers and the task queue's storage does (the task table, or Redis for RQ),
503 with what failed otherwise. No login, no personal data, no detail beyond "ok" or the error's kind.
"""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _tasks() -> str:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()
    elif backend.startswith("django_tasks_rq"):
        import django_rq

        django_rq.get_connection("default").ping()
    return "ok"


@never_cache
@require_GET
def healthz(request):
    checks, healthy = {}, True
    for name, check in (("database", _database), ("tasks", _tasks)):
        try:
            checks[name] = check()
        except Exception as error:  # a health check reports every failure; it never raises
            checks[name], healthy = type(error).__name__, False
    return JsonResponse({"status": "ok" if healthy else "failing", **checks}, status=200 if healthy else 503)
