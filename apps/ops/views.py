from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from project.celery import app

from .health import check_broker, check_database


@never_cache
@require_GET
def healthz(request):
    """200 when the database and the broker answer; 503 naming what failed."""
    checks = {"database": check_database(), "broker": check_broker(app)}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)
