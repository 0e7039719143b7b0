from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connections
from django.db.utils import load_backend
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from polesocial.casework.views.dashboard import morning_context
from polesocial.core import jobs
from polesocial.privacy.features import can_use, feature_required


@feature_required("account")
def home(request):
    """Tableau de bord: each role's morning screen (the worker's dashboard, the counsellor's
    queue figures, the senders' "Adresser un agent"). On an installation with no operator
    yet, the administrator is sent to record it first."""
    if can_use(request.user, "organisation_admin"):
        from polesocial.organisations.services import operator_current

        if operator_current() is None:
            return redirect("organisations:operator_edit")
    return render(request, "core/home.html", morning_context(request))


def _check(alias: str) -> dict[str, bool]:
    """Whether a new connection to `alias` answers, and whether the background jobs' queue
    (django-tasks' database backend) on it is worked: down when a task ready to run has
    waited longer than BACKGROUND_JOB_STALE_SECONDS, since no worker takes it (stopped,
    or never started). A new connection, closed after: it proves that the service can
    connect now, not that an old connection still lives."""
    from django_tasks_db.models import DBTaskResult

    settings_dict = connections.settings[alias]
    # Its own alias: a probe beside the service's connections, never one of them.
    connection = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
        settings_dict, alias=f"{alias}-health"
    )
    cutoff = timezone.now() - jobs.stale_after()
    waiting = DBTaskResult.objects.ready().filter(enqueued_at__lt=cutoff).values("pk")[:1]
    checks = {"database": False, "task_queue": False}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            checks["database"] = True
            sql, params = waiting.query.get_compiler(connection=connection).as_sql()
            cursor.execute(sql, params)
            checks["task_queue"] = cursor.fetchone() is None
    except DatabaseError:
        pass
    finally:
        connection.close()
    return checks


@login_not_required
def health(request):
    """For the load balancer and monitoring: 200 when the database and the task queue
    answer, 503 otherwise (never any detail beyond which check failed)."""
    checks = _check(settings.HEALTH_CHECK_DATABASE)
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "indisponible",
        "checks": {name: "ok" if ok else "en panne" for name, ok in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)
