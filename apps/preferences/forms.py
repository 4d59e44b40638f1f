"""The preferences form: the Member fields a member may change, plus the two lists."""

import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.teams.models import Member
from apps.teams.validators import known_time_zones

HOUR_CHOICES = [(h, f"{h:02d}:00") for h in range(24)]
HOUR_ERRORS = {"invalid_choice": _("%(value)s is not an hour of the day; use 0 to 23.")}


def zone_names() -> list[str]:
    """Every IANA zone, for the searchable <datalist>; validation uses the same set."""
    return sorted(known_time_zones())


class PreferencesForm(forms.ModelForm):
    reminder_hour = forms.TypedChoiceField(
        label=_("Reminder at"), choices=HOUR_CHOICES, coerce=int, error_messages=HOUR_ERRORS,
        help_text=_("Local time of the “What did you get done today?” email."),
    )
    digest_hour = forms.TypedChoiceField(
        label=_("Digest at"), choices=HOUR_CHOICES, coerce=int, error_messages=HOUR_ERRORS,
        help_text=_("Local time of the morning digest of what the team did."),
    )
    reminders = forms.BooleanField(required=False, label=_("Send me the daily reminder"))
    digests = forms.BooleanField(required=False, label=_("Send me the morning digest"))

    class Meta:
        model = Member
        fields = ["reminder_hour", "digest_hour", "time_zone", "weekdays", "paused_until"]
        labels = {
            "time_zone": _("Time zone"),
            "weekdays": _("Reminder days"),
            "paused_until": _("Pause all mail through"),
        }
        help_texts = {
            "time_zone": _("Start typing a city, e.g. Europe/Berlin or America/New_York."),
            "weekdays": _("Days on which you get the reminder."),
            "paused_until": _("No mail up to and including this date. Leave empty for none."),
        }
        error_messages = {"weekdays": {"required": _("Choose at least one weekday.")}}
        widgets = {
            "time_zone": forms.TextInput(attrs={
                "list": "time-zones", "autocomplete": "off", "spellcheck": "false",
                "autocapitalize": "none",
            }),
            "paused_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        member = self.instance
        self.fields["reminders"].initial = member.unsubscribed_reminders_at is None
        self.fields["digests"].initial = member.unsubscribed_digests_at is None
        self.fields["time_zone"].strip = True

    def clean_paused_until(self):
        """A pause that ended before today in the member's zone is a typo."""
        value = self.cleaned_data.get("paused_until")
        if value is None:
            return None
        zone = self.cleaned_data.get("time_zone")
        if zone not in known_time_zones():  # its own error is reported on the field
            zone = "UTC"
        today = timezone.now().astimezone(zoneinfo.ZoneInfo(zone)).date()
        if value < today:
            raise forms.ValidationError(
                _("%(date)s has passed; choose today or a later date, or leave it empty."),
                code="past", params={"date": value.isoformat()},
            )
        return value
