import os

from celery import Celery, signals
from django.db import close_old_connections

from project import kombu_filesystem

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

# The embedded broker publishes each message atomically (see the module).
kombu_filesystem.install()

app = Celery("donemail")
# Every Celery setting lives in Django's settings as CELERY_<NAME>.
app.config_from_object("django.conf:settings", namespace="CELERY")
# Tasks live in the top-level tasks/ package, not in each app (DESIGN.md).
app.conf.imports = ("tasks",)

# Celery's Django fixup closes every database connection before and after
# each task, whatever CONN_MAX_AGE says (celery#9824 restored that in 5.5):
# a new PostgreSQL session — a forked backend, authentication, the outcome
# statement prepared again — for every batch a worker sends. Connections
# here live as Django lets them live between two requests instead: up to
# CONN_MAX_AGE, health-checked, closed when unusable. A forked worker still
# drops what it inherited (the fixup does that at process init regardless).
app.conf.CELERY_DB_REUSE_MAX = 2**62


@signals.task_prerun.connect
@signals.task_postrun.connect
def _close_old_connections(task=None, **kwargs) -> None:
    if task is not None and getattr(task.request, "is_eager", False):
        return  # in the caller's thread, inside the caller's transaction
    close_old_connections()
