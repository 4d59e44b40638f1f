"""Liveness checks for /healthz: can we reach the database and the broker?"""

from django.conf import settings
from django.db import connections


def _failure(exc: Exception) -> str:
    return f"error: {exc.__class__.__name__}: {exc}".strip()


def check_database(alias: str = "default") -> str:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure is the answer, not a crash
        return _failure(exc)
    return "ok"


def check_broker(app) -> str:
    """Open (and close) a real connection to the configured broker, with the
    app's transport options."""
    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=3)
    except Exception as exc:
        return _failure(exc)
    return "ok"
