"""Checks settings.py runs on values read from the environment, so a bad one
stops the process at start with ImproperlyConfigured naming the variable,
rather than at the first send or the first reply.

Called while the settings module loads: Django's validators are used, but
their (lazily translated) messages are never formatted, as translation needs
the settings that are still loading.
"""

import ssl
from email.utils import parseaddr

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import DomainNameValidator, validate_email

# ASCII only: the domain goes into addresses and Message-IDs as it is written.
_domain_name = DomainNameValidator(accept_idna=False)


def cafile_check(*, variable: str, cafile: str) -> None:
    """The PEM bundle of CA certificates at `cafile` exists and loads."""
    try:
        ssl.create_default_context(cafile=cafile)
    except ssl.SSLError as exc:  # an OSError too: first
        raise ImproperlyConfigured(
            f"{variable}: cafile={cafile!r} holds no PEM CA certificates ({exc.reason or exc})."
        ) from None
    except OSError as exc:
        raise ImproperlyConfigured(
            f"{variable}: cafile={cafile!r} cannot be read ({exc.strerror or exc})."
        ) from None


def from_address_check(*, variable: str, value: str) -> None:
    """`value` is 'Name <address>' or a bare address, on one line."""
    if "\r" in value or "\n" in value:
        raise ImproperlyConfigured(f"{variable} must be on one line.")
    _name, address = parseaddr(value)
    try:
        validate_email(address)
    except ValidationError:
        raise ImproperlyConfigured(
            f"{variable}={value!r} has no valid email address; "
            "write 'Name <address@example.org>' or 'address@example.org'."
        ) from None


def domain_check(*, variable: str, value: str) -> None:
    """`value` is a plain DNS domain name (xn-- form for an international one)."""
    try:
        _domain_name(value)
    except ValidationError:
        raise ImproperlyConfigured(
            f"{variable}={value!r} is not a domain name (like in.example.org; "
            "no scheme, @, port or spaces; an international name in its xn-- form)."
        ) from None
