"""Test settings: the real settings, with test-only state kept out of var/.

DATABASE_URL and CELERY_BROKER_URL are read exactly as in production, so CI
runs the suite on PostgreSQL and RabbitMQ and a bare `make test` on the
embedded SQLite and filesystem broker.
"""

import os
import tempfile
import uuid

os.environ.setdefault("DONEMAIL_VAR_DIR", tempfile.mkdtemp(prefix="donemail-test-"))

from project.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A queue of our own, so a test worker never takes another run's messages
# (a worker subprocess a test starts is handed the test's queue).
CELERY_TASK_DEFAULT_QUEUE = (
    os.environ.get("DONEMAIL_TEST_QUEUE") or f"donemail-test-{uuid.uuid4().hex[:12]}"
)
# The test worker runs in this process: results can live in memory.
CELERY_RESULT_BACKEND = "cache+memory://"
CELERY_TASK_IGNORE_RESULT = False
STORAGES = {  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Sessions die with each task and each request, as with Django's default: a
# pool thread of the in-process test worker would otherwise keep its own
# session past the test, and the test database could not be dropped. The test
# of a real worker keeping its session sets CONN_MAX_AGE for that worker.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "0"))  # noqa: F405

# SQLite: test in a file, as production runs, not in Django's default shared-cache
# memory database. A real worker's threads use their own connections; shared-cache
# memory databases answer their concurrent writes with "database table is locked"
# at once, ignoring the busy timeout that a file database honours.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(os.environ["DONEMAIL_VAR_DIR"], "test.sqlite3"),
    }
