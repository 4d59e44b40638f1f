import secrets

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import weekdays
from .validators import validate_hour, validate_time_zone


def new_reply_token() -> str:
    """80 random bits, lowercase hex: safe in an address local part, which
    some mail systems lowercase on the way back."""
    return secrets.token_hex(10)


class Team(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    send_empty_digest = models.BooleanField(
        default=False,
        help_text=_("Send the morning digest even when nobody wrote anything the day before."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Member(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    time_zone = models.CharField(
        max_length=64, default="UTC", validators=[validate_time_zone],
        help_text=_("IANA name, e.g. Europe/Berlin. Reminders and digests follow it."),
    )
    reminder_hour = models.PositiveSmallIntegerField(
        default=17, validators=[validate_hour],
        help_text=_("Local hour (0-23) for the 'What did you get done today?' email."),
    )
    digest_hour = models.PositiveSmallIntegerField(
        default=8, validators=[validate_hour],
        help_text=_("Local hour (0-23) for the morning digest."),
    )
    weekdays = weekdays.WeekdaysField(
        default=weekdays.WORKWEEK,
        help_text=_("Days on which the reminder is sent."),
    )
    paused = models.BooleanField(default=False, help_text=_("No mail while paused."))
    paused_until = models.DateField(
        null=True, blank=True,
        help_text=_("No mail up to and including this local date (set by the member)."),
    )
    unsubscribed_reminders_at = models.DateTimeField(
        null=True, blank=True,
        help_text=_("Set when the member stopped reminders; empty = subscribed."),
    )
    unsubscribed_digests_at = models.DateTimeField(
        null=True, blank=True,
        help_text=_("Set when the member stopped digests; empty = subscribed."),
    )
    is_active = models.BooleanField(
        default=True, help_text=_("Inactive members left the team; kept for history."),
    )
    reply_token = models.CharField(
        max_length=32, unique=True, default=new_reply_token, editable=False,
        help_text=_("Identifies replies sent to reply+<token>@ the inbound domain."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["team", "name"]
        constraints = [
            models.UniqueConstraint(
                "team", Lower("email"), name="member_email_unique_in_team",
                violation_error_message=_("A member with this email is already in this team."),
            ),
            models.CheckConstraint(
                condition=models.Q(reminder_hour__gte=0, reminder_hour__lte=23),
                name="member_reminder_hour_0_23",
                violation_error_message=_("The reminder hour must be 0 to 23."),
            ),
            models.CheckConstraint(
                condition=models.Q(digest_hour__gte=0, digest_hour__lte=23),
                name="member_digest_hour_0_23",
                violation_error_message=_("The digest hour must be 0 to 23."),
            ),
            models.CheckConstraint(
                condition=models.Q(weekdays__gte=0, weekdays__lte=weekdays.ALL),
                name="member_weekdays_mask",
            ),
        ]
        indexes = [
            models.Index(Lower("email"), name="member_email_lower"),
            # Dispatch works zone by zone: the distinct zones of active members,
            # then each zone's active members (apps/outbound/selectors.py).
            models.Index(fields=["time_zone", "is_active"], name="member_zone_active"),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    def clean(self):
        super().clean()
        if self.email:
            self.email = self.email.strip()

    @property
    def weekdays_display(self) -> str:
        return weekdays.format_mask(self.weekdays)


class Stream(models.TextChoices):
    """The two mailing lists a member can leave separately (RFC 8058 one-click per list)."""

    REMINDERS = "reminders", _("Reminders")
    DIGESTS = "digests", _("Digests")


class ChangeSource(models.TextChoices):
    ONE_CLICK = "one_click", _("One-click unsubscribe")
    PREFERENCES = "preferences", _("Preferences page")
    MAILTO = "mailto", _("Unsubscribe email")
    ADMIN = "admin", _("Admin")


class SubscriptionChange(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    RESUBSCRIBED = "resubscribed", _("Resubscribed")


class SubscriptionEvent(models.Model):
    """One unsubscribe or resubscribe, with when and how it happened.

    The stamps on Member say the current state; this log is the evidence an
    operator (or a mailbox provider's complaint desk) asks for.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="subscription_events")
    stream = models.CharField(max_length=16, choices=Stream.choices)
    change = models.CharField(max_length=16, choices=SubscriptionChange.choices)
    source = models.CharField(max_length=16, choices=ChangeSource.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.change} {self.stream} via {self.source}"
