import os

from celery import Celery

from project import kombu_filesystem

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

# The embedded broker publishes each message atomically (see the module).
kombu_filesystem.install()

app = Celery("donemail")
# Every Celery setting lives in Django's settings as CELERY_<NAME>.
app.config_from_object("django.conf:settings", namespace="CELERY")
# Tasks live in the top-level tasks/ package, not in each app (DESIGN.md).
app.conf.imports = ("tasks",)
