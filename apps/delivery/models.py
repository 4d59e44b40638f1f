from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from apps.outbound.models import OutboundMessage


class Suppression(models.Model):
    """An address we must not mail, and why. Removal keeps the row (and who
    removed it), so the history of an address stays readable in the admin."""

    class Reason(models.TextChoices):
        HARD_BOUNCE = "hard_bounce", _("Hard bounce")
        SOFT_BOUNCES = "soft_bounces", _("Repeated soft bounces")
        SPAM_REPORT = "spam_report", _("Spam report")
        UNSUBSCRIBE = "unsubscribe", _("Unsubscribed at the provider")
        DROPPED = "dropped", _("Dropped by the provider")
        MANUAL = "manual", _("Added by an operator")

    address = models.EmailField(max_length=254, help_text=_("Stored lowercased."))
    reason = models.CharField(max_length=20, choices=Reason.choices)
    source = models.CharField(max_length=255, help_text=_("What put it here, e.g. an event id."))
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.CharField(max_length=150, blank=True)
    removal_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("address"), condition=models.Q(removed_at__isnull=True),
                name="one_active_suppression_per_address",
            ),
        ]

    def __str__(self):
        return f"{self.address} ({self.get_reason_display()})"

    @property
    def active(self) -> bool:
        return self.removed_at is None


class DeliveryEvent(models.Model):
    """What a provider or a returning DSN told us about a message, stored once."""

    class Source(models.TextChoices):
        SENDGRID = "sendgrid", "SendGrid event webhook"
        DSN = "dsn", "Delivery status notification"

    class Severity(models.TextChoices):
        NONE = "", "-"
        SOFT = "soft", _("Soft (4.x.x)")
        HARD = "hard", _("Hard (5.x.x)")

    source = models.CharField(max_length=16, choices=Source.choices)
    provider_event_id = models.CharField(
        max_length=128, unique=True,
        help_text=_("sg_event_id for SendGrid; derived for DSNs. Repeats are stored once."),
    )
    event = models.CharField(max_length=32, db_index=True)
    email = models.CharField(max_length=254, blank=True, db_index=True)
    message = models.ForeignKey(
        OutboundMessage, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="delivery_events",
    )
    matched = models.BooleanField(
        default=False, help_text=_("False: no message of ours was found for this event."),
    )
    severity = models.CharField(max_length=4, choices=Severity.choices, blank=True)
    status = models.CharField(max_length=32, blank=True, help_text=_("e.g. 5.1.1"))
    reason = models.TextField(blank=True)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    payload = models.JSONField(default=dict)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(Lower("email"), "occurred_at", name="delivery_event_email_time"),
            models.Index(fields=["processed_at"], name="delivery_event_unprocessed",
                         condition=models.Q(processed_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.event} {self.email}"
