import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.teams.models import Member


class Kind(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    DIGEST = "digest", _("Digest")


class State(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    DEFERRED = "deferred", _("Deferred")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    BOUNCED = "bounced", _("Bounced")


def new_message_id() -> str:
    """An RFC 5322 Message-ID, made once with the row so every resend keeps it."""
    domain = settings.INBOUND_DOMAIN
    return f"<{uuid.uuid4().hex}@{domain}>"


class OutboundMessage(models.Model):
    """One email to one member: a kind, for one local date, moving through State.

    The unique (member, kind, local_date) makes creating a day's messages
    idempotent, whoever runs it and however often.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    local_date = models.DateField(help_text=_("The member's local date the message is about."))
    scheduled_for = models.DateTimeField(help_text=_("UTC instant the message fell due."))
    state = models.CharField(max_length=16, choices=State.choices, default=State.SCHEDULED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=255, unique=True, default=new_message_id)
    provider_id = models.CharField(max_length=255, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "kind", "local_date"], name="one_message_per_member_kind_day",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "scheduled_for"], name="outbound_state_due"),
            models.Index(fields=["state", "next_attempt_at"], name="outbound_state_retry"),
            models.Index(fields=["state", "lease_until"], name="outbound_state_lease"),
        ]

    def __str__(self):
        return f"{self.kind} for {self.member_id} on {self.local_date} ({self.state})"


class MessageEvent(models.Model):
    """One state move that happened: the audit trail an operator reads."""

    message = models.ForeignKey(OutboundMessage, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=State.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_state or '∅'} → {self.to_state}"


class DispatchRun(models.Model):
    """One run of dispatch: the instant it dispatched for and what it did.

    The next run looks for missed messages only after the latest run's
    instant, so an ordinary beat looks back minutes instead of a day; and an
    operator reads here when dispatch last ran and what each run did.
    """

    now = models.DateTimeField(db_index=True, help_text=_("The instant dispatched for (UTC)."))
    created = models.JSONField(default=dict, help_text=_("Messages created, per kind."))
    missed = models.PositiveIntegerField(
        default=0, help_text=_("Fell due before the catch-up window: recorded, not sent."),
    )
    queued = models.PositiveIntegerField(default=0)
    batches = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-now", "-id"]

    def __str__(self):
        return f"dispatch for {self.now:%Y-%m-%d %H:%M} UTC"
