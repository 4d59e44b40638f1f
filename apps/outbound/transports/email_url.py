"""EMAIL_URL, parsed by our own code.

django-environ's email_url knows no `sendgrid://` and silently drops options
it does not know, so a typo in production would go unnoticed until mail stops.
This parser knows exactly the forms the README lists and raises
ImproperlyConfigured naming the problem for anything else. settings.py calls
it at load, so a bad URL stops the process at start; `get_transport()` calls
it again at first use (which is what tests with override_settings exercise).

    smtp://host[:port]                    plain SMTP (port 25), e.g. a local relay
    smtp+tls://user:pass@host[:587]       STARTTLS, then AUTH
    smtp+ssl://user:pass@host[:465]       implicit TLS, then AUTH
    sendgrid://[api-host]?api_key=KEY     SendGrid Web API v3 (key may come from
                                          SENDGRID_API_KEY instead)

Credentials are URL-encoded (`p%40ss` for `p@ss`). Query options: `timeout`
(seconds, overrides EMAIL_TIMEOUT) for every scheme; `cafile` (a PEM bundle to
trust instead of the system's, for a private CA) and `local_hostname` (the
EHLO name) for SMTP; `api_key` and `http` (plain http to a loopback API host:
local fakes only) for SendGrid.
"""

import ipaddress
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

PLAIN, STARTTLS, IMPLICIT_TLS = "plain", "starttls", "implicit-tls"
_SMTP_SCHEMES = {"smtp": (PLAIN, 25), "smtp+tls": (STARTTLS, 587), "smtp+ssl": (IMPLICIT_TLS, 465)}
_SENDGRID_HOST = "api.sendgrid.com"
_OPTIONS = {
    "smtp": {"timeout", "cafile", "local_hostname"},
    "sendgrid": {"timeout", "api_key", "http"},
}
# Options whose values an error message may show; any other value is masked.
_SHOWN_OPTIONS = {"timeout", "cafile", "local_hostname", "http"}
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str  # PLAIN, STARTTLS or IMPLICIT_TLS
    username: str = ""
    password: str = ""
    timeout: float | None = None  # None: EMAIL_TIMEOUT
    cafile: str = ""
    local_hostname: str = ""


@dataclass(frozen=True)
class SendGridConfig:
    api_key: str
    api_host: str  # a base URL: https://api.sendgrid.com
    timeout: float | None = None


def _bad(url: str, problem: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"EMAIL_URL {_redacted(url)!r}: {problem}")


def _redacted(url: str) -> str:
    """The URL without anything that may be secret, fit for an error message:
    the whole userinfo (a SendGrid key may be written as the user name), the
    value of every query option but the harmless known ones (api_key, and a
    misspelt `apikey=` too) and any fragment (a key containing '#' spills there)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "(a URL that cannot be parsed)"
    host = parts.netloc.rpartition("@")[2]
    netloc = f"***@{host}" if "@" in parts.netloc else host
    query = "&".join(
        f"{key}={value if unquote(key) in _SHOWN_OPTIONS else '***'}"
        for key, value in (p.partition("=")[::2] for p in parts.query.split("&") if p)
    )
    return (
        f"{parts.scheme}://{netloc}{parts.path}" + (f"?{query}" if query else "")
        + ("#***" if parts.fragment else "")
    )


def _options(url: str, query: str, family: str) -> dict[str, str]:
    try:
        parsed = parse_qs(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise _bad(url, "its query string cannot be parsed") from None
    unknown = sorted(set(parsed) - _OPTIONS[family])
    if unknown:
        known = ", ".join(sorted(_OPTIONS[family]))
        raise _bad(url, f"unknown option {', '.join(unknown)} (known: {known})")
    repeated = sorted(key for key, values in parsed.items() if len(values) > 1)
    if repeated:
        raise _bad(url, f"option {', '.join(repeated)} given more than once")
    return {key: values[0] for key, values in parsed.items()}


def _timeout(url: str, options: dict[str, str]) -> float | None:
    if "timeout" not in options:
        return None
    try:
        timeout = float(options["timeout"])
    except ValueError:
        raise _bad(url, f"timeout={options['timeout']!r} is not a number of seconds") from None
    if not 0 < timeout <= 600:
        raise _bad(url, "timeout must be more than 0 and at most 600 seconds")
    return timeout


def _port(url: str, parts, default: int) -> int:
    try:
        port = parts.port
    except ValueError:
        raise _bad(url, "the port is not a number from 1 to 65535") from None
    if port == 0:
        raise _bad(url, "the port is not a number from 1 to 65535")
    return port or default


def _smtp(url: str, parts, scheme: str) -> SmtpConfig:
    security, default_port = _SMTP_SCHEMES[scheme]
    if not parts.hostname:
        raise _bad(url, "no host (write smtp://host:port)")
    if parts.path not in ("", "/"):
        raise _bad(url, f"an SMTP URL has no path, found {parts.path!r}")
    options = _options(url, parts.query, "smtp")
    username = unquote(parts.username or "")
    password = unquote(parts.password or "")
    if bool(username) != bool(password):
        raise _bad(url, "give both a user name and a password, or neither")
    return SmtpConfig(
        host=parts.hostname, port=_port(url, parts, default_port), security=security,
        username=username, password=password, timeout=_timeout(url, options),
        cafile=options.get("cafile", ""), local_hostname=options.get("local_hostname", ""),
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _sendgrid(url: str, parts, fallback_api_key: str) -> SendGridConfig:
    options = _options(url, parts.query, "sendgrid")
    if parts.username or parts.password:
        raise _bad(url, "the API key goes in ?api_key=…, not before the host")
    api_key = options.get("api_key") or fallback_api_key
    if not api_key:
        raise _bad(url, "no API key (add ?api_key=… or set SENDGRID_API_KEY)")
    plain_http = options.get("http", "false").lower()
    if plain_http not in _TRUE | _FALSE:
        raise _bad(url, f"http={options['http']!r} is not true or false")
    host = parts.hostname or _SENDGRID_HOST
    if plain_http in _TRUE and not _is_loopback(host):
        raise _bad(url, "http=true sends the API key in clear: allowed to loopback hosts only")
    scheme = "http" if plain_http in _TRUE else "https"
    port = _port(url, parts, 0)
    netloc = f"[{host}]" if ":" in host else host
    api_host = f"{scheme}://{netloc}" + (f":{port}" if port else "")
    return SendGridConfig(api_key=api_key, api_host=api_host, timeout=_timeout(url, options))


def email_url_parse(url: str, *, sendgrid_api_key: str = "") -> SmtpConfig | SendGridConfig:
    """The transport configuration `url` describes, or ImproperlyConfigured
    saying what is wrong with it (with secrets masked)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:  # e.g. an unclosed [ in the host
        raise _bad(url, f"it cannot be parsed ({exc})") from None
    if parts.fragment or url.strip().endswith("#"):
        # A '#' in a key or password would silently cut it short here.
        raise _bad(url, "a '#' ends the URL early; write it as %23 in a key or password")
    scheme = parts.scheme.lower()
    if scheme in _SMTP_SCHEMES:
        return _smtp(url, parts, scheme)
    if scheme == "sendgrid":
        return _sendgrid(url, parts, sendgrid_api_key)
    known = ", ".join(f"{name}://" for name in [*_SMTP_SCHEMES, "sendgrid"])
    raise _bad(url, f"unknown scheme {parts.scheme + '://' if scheme else '(none)'} "
                    f"(known: {known})")
