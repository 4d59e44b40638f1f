from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.teams.models import Member


class InboundEmail(models.Model):
    """One POST of SendGrid's Inbound Parse webhook, kept for good.

    `raw` (the RFC 5322 bytes, rebuilt from the fields in SendGrid's parsed
    mode) is the source of truth: parsing can always be run again from it, so
    a bug in the parser never loses a reply. Nothing here is ever deleted; a
    mail we cannot use keeps a state and a reason an operator can act on.
    """

    class State(models.TextChoices):
        RECEIVED = "received", _("Received (waiting for the parser)")
        PARSED = "parsed", _("Parsed (entries written)")
        IGNORED = "ignored", _("Ignored (auto-reply, bounce, empty, duplicate)")
        UNMATCHED = "unmatched", _("Unmatched (no member found)")
        REJECTED = "rejected", _("Rejected (too large, forged sender)")
        FAILED = "failed", _("Failed (our bug: see the reason)")

    class Mode(models.TextChoices):
        RAW = "raw", _("Raw MIME (Send Raw on)")
        PARSED = "parsed", _("Parsed fields (rebuilt here)")

    raw = models.BinaryField(
        default=bytes, editable=False,
        help_text=_("The message as received; for a rejected post only its headers."),
    )
    size = models.PositiveBigIntegerField(
        default=0, help_text=_("Bytes of the message (of the whole POST when rejected)."),
    )
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    truncated = models.BooleanField(
        default=False, editable=False,
        help_text=_("Only the headers were kept (the post was too large or unreadable)."),
    )
    envelope = models.JSONField(default=dict, blank=True, help_text=_("SendGrid's SMTP envelope."))
    spf = models.CharField(max_length=64, blank=True, help_text=_("SendGrid's SPF verdict."))
    dkim = models.TextField(blank=True, help_text=_("SendGrid's DKIM verdicts, as posted."))
    spam_score = models.FloatField(null=True, blank=True)
    mode = models.CharField(max_length=8, choices=Mode.choices)
    received_at = models.DateTimeField(default=timezone.now)

    state = models.CharField(max_length=16, choices=State.choices, default=State.RECEIVED)
    state_reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text=_("How often the parser ran on this email."),
    )
    parsed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(
        null=True, blank=True,
        help_text=_("When the sweep last handed inbound.parse to the broker."),
    )

    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound_emails",
    )
    local_date = models.DateField(
        null=True, blank=True, help_text=_("The member's local date the entries were written for."),
    )
    message_id = models.CharField(max_length=998, blank=True)
    from_addr = models.CharField(max_length=254, blank=True)
    subject = models.TextField(blank=True)
    reply_text = models.TextField(blank=True, help_text=_("What the member wrote this time."))

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inbound email")
        indexes = [
            models.Index(fields=["state", "received_at"], name="inbound_state_received"),
            models.Index(fields=["received_at"], name="inbound_received"),
            models.Index(fields=["sha256"], name="inbound_sha256"),
            models.Index(fields=["message_id", "from_addr"], name="inbound_message_sender"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.from_addr or '?'}: {self.subject[:60]} ({self.state})"
