from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.teams.models import Member


class Entry(models.Model):
    """One done item: what a member got done on one of their local dates.

    `local_date` is the day the reminder asked about, in the member's zone, so
    a reply written after midnight still lands on the day it describes. The
    digest for a member's "yesterday" reads exactly these rows.

    `source` is PROTECT, not SET_NULL: an inbound email is the evidence for
    its entries, and inbound mail is never deleted; a delete that tries
    should fail loudly rather than orphan the items.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="entries")
    local_date = models.DateField(help_text=_("The member's local date the item belongs to."))
    text = models.TextField()
    position = models.PositiveSmallIntegerField(
        default=0, help_text=_("Order of the item within the reply it came from."),
    )
    source = models.ForeignKey(
        "inbound.InboundEmail", null=True, blank=True, on_delete=models.PROTECT,
        related_name="entries",
        help_text=_("The reply the item came from; parsing it again replaces its items."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["local_date", "member", "position", "id"]
        verbose_name_plural = "entries"
        indexes = [
            models.Index(fields=["member", "local_date"], name="entry_member_day"),
            models.Index(fields=["local_date"], name="entry_day"),
        ]

    def __str__(self):
        return f"{self.local_date} {self.member_id}: {self.text[:60]}"
