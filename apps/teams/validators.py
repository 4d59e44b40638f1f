import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@cache
def known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in known_time_zones():
        raise ValidationError(
            _("%(value)s is not an IANA time zone (for example Europe/Berlin)."),
            code="invalid_time_zone",
            params={"value": value},
        )


def validate_hour(value: int) -> None:
    if value is None or not 0 <= value <= 23:
        raise ValidationError(
            _("%(value)s is not an hour of the day; use 0 to 23."),
            code="invalid_hour",
            params={"value": value},
        )
