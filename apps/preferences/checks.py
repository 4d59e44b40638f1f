"""System checks: catch a PUBLIC_URL that would make every email's links useless."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


@register()
def public_url_check(app_configs, **kwargs):
    url = settings.PUBLIC_URL
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(
        c.isspace() or c in '<>",' for c in url
    ):
        return [Error(
            f"PUBLIC_URL={url!r} is not an absolute http(s) URL without spaces or <>\",",
            hint="Set PUBLIC_URL to the address people open, e.g. https://donemail.example.com",
            id="preferences.E001",
        )]
    if parts.scheme != "https" and parts.hostname not in LOCAL_HOSTS:
        return [Warning(
            f"PUBLIC_URL={url!r} is not https: mailbox providers ignore one-click "
            "unsubscribe (RFC 8058) on plain http links",
            id="preferences.W001",
        )]
    return []
