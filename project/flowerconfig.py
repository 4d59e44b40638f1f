# Flower reads this file (celery flower --conf=...). Credentials come from
# FLOWER_BASIC_AUTH, generated into var/secrets.env for `make run`.
import os
from pathlib import Path

from project import local_secrets

_var = Path(os.environ.get("DONEMAIL_VAR_DIR", Path(__file__).resolve().parent.parent / "var"))
if os.environ.get("DONEMAIL_LOCAL_SECRETS", "true").lower() in ("1", "true", "yes", "on"):
    local_secrets.load(_var)

basic_auth = [os.environ["FLOWER_BASIC_AUTH"]]
port = int(os.environ.get("FLOWER_PORT", "5555"))
address = os.environ.get("FLOWER_ADDRESS", "127.0.0.1")
# Large installations: keep the dashboard responsive by bounding what it holds.
max_tasks = int(os.environ.get("FLOWER_MAX_TASKS", "10000"))
