"""Weekdays as a 7-bit mask (Monday = bit 0), so dispatch can test a member's
day in SQL with one bitwise AND instead of parsing text per row."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LABELS = (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))
ALL = 0b1111111
WORKWEEK = 0b0011111


def bit(weekday: int) -> int:
    """The mask bit of a `date.weekday()` value (0 = Monday)."""
    return 1 << weekday


def parse(text: str) -> int:
    """'mon,wed,fri' or 'all' to a mask; raises ValueError naming the bad day."""
    text = text.strip().lower()
    if text == "all":
        return ALL
    mask = 0
    for part in filter(None, (p.strip() for p in text.split(","))):
        if part not in NAMES:
            raise ValueError(f"{part!r} is not a weekday; use {','.join(NAMES)} or all")
        mask |= bit(NAMES.index(part))
    if not mask:
        raise ValueError("name at least one weekday")
    return mask


def format_mask(mask: int) -> str:
    if mask == ALL:
        return "all"
    return ",".join(name for i, name in enumerate(NAMES) if mask & bit(i))


class WeekdaysFormField(forms.TypedMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        for key in ("max_length", "min_value", "max_value"):
            kwargs.pop(key, None)
        kwargs["choices"] = [(str(i), label) for i, label in enumerate(LABELS)]
        kwargs["coerce"] = int
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return [str(i) for i in range(7) if value & bit(i)]
        return value

    def clean(self, value):
        days = super().clean(value)
        mask = 0
        for day in days:
            mask |= bit(day)
        if not mask and self.required:
            raise ValidationError(_("Choose at least one weekday."), code="required")
        return mask

    def has_changed(self, initial, data):
        return self.prepare_value(initial) != list(data or [])


class WeekdaysField(models.PositiveSmallIntegerField):
    description = "A set of weekdays stored as a bit mask"

    def formfield(self, **kwargs):
        kwargs["form_class"] = WeekdaysFormField
        # The admin offers a number box for integer fields; a mask wants checkboxes.
        kwargs["widget"] = forms.CheckboxSelectMultiple
        kwargs.pop("choices_form_class", None)
        return super().formfield(**kwargs)
