"""The transport of this process, built from settings.EMAIL_URL.

`get_transport()` builds it on first use and keeps it, so the SMTP pool's
connections outlive a batch. The cache is keyed by process id: a Celery
prefork child that inherited a parent's transport builds its own instead of
writing on the parent's sockets. `reset_transport()` closes and forgets it
(tests; a changed EMAIL_* setting does it too).
"""

import os
import ssl
import threading

from django.conf import settings
from django.core.signals import setting_changed

from .base import PERMANENT, SENT, TEMPORARY, Outcome, Transport
from .email_url import SendGridConfig, SmtpConfig, email_url_parse

__all__ = [
    "PERMANENT", "SENT", "TEMPORARY", "Outcome", "Transport",
    "get_transport", "reset_transport", "transport_build",
]

_cached: tuple[int, Transport] | None = None
_lock = threading.Lock()


def transport_build(url: str | None = None) -> Transport:
    """A new transport for `url` (default settings.EMAIL_URL), with the pool
    and timeout settings. Raises ImproperlyConfigured for a bad URL."""
    config = email_url_parse(
        settings.EMAIL_URL if url is None else url,
        sendgrid_api_key=getattr(settings, "SENDGRID_API_KEY", ""),
    )
    timeout = config.timeout or settings.EMAIL_TIMEOUT
    if isinstance(config, SendGridConfig):
        from .sendgrid import SendGridTransport

        return SendGridTransport(api_key=config.api_key, host=config.api_host, timeout=timeout)
    assert isinstance(config, SmtpConfig)
    from .smtp import SmtpTransport

    context = None
    if config.cafile:
        context = ssl.create_default_context(cafile=config.cafile)
    return SmtpTransport(
        host=config.host, port=config.port, security=config.security,
        username=config.username, password=config.password, timeout=timeout,
        pool_size=settings.EMAIL_POOL_SIZE,
        max_messages_per_connection=settings.EMAIL_MAX_MESSAGES_PER_CONNECTION,
        noop_after=settings.EMAIL_NOOP_AFTER_SECONDS,
        ssl_context=context, local_hostname=config.local_hostname,
    )


def get_transport() -> Transport:
    """This process's transport, built once (thread-safe)."""
    global _cached
    cached, pid = _cached, os.getpid()
    if cached is not None and cached[0] == pid:
        return cached[1]
    with _lock:
        if _cached is None or _cached[0] != pid:
            _cached = (pid, transport_build())
        return _cached[1]


def reset_transport() -> None:
    """Close this process's transport and forget it; the next
    get_transport() builds a new one from the settings of that moment."""
    global _cached
    with _lock:
        cached, _cached = _cached, None
    if cached is not None and cached[0] == os.getpid():
        cached[1].close()


def _after_fork_in_child() -> None:
    """The parent's lock may have been held at the fork; the pid check
    already keeps the child off the parent's transport."""
    global _lock, _cached
    _lock = threading.Lock()
    _cached = None


os.register_at_fork(after_in_child=_after_fork_in_child)


def _on_setting_changed(*, setting, **kwargs) -> None:
    if setting.startswith("EMAIL_") or setting == "SENDGRID_API_KEY":
        reset_transport()


setting_changed.connect(_on_setting_changed, dispatch_uid="donemail-transport-reset")
