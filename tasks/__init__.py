"""Celery tasks: thin, idempotent, take ids, call services in apps/.

Every task module is imported here so the worker registers it.
"""

from . import ops  # noqa: F401
from . import delivery  # noqa: F401
from . import inbound  # noqa: F401
from . import outbound  # noqa: F401
from . import sending  # noqa: F401
