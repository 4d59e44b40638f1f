from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.teams.models import Member


class Entry(models.Model):
    """One done item: what a member got done on one of their local dates.

    `local_date` is the day the reminder asked about, in the member's zone, so
    a reply written after midnight still lands on the day it describes. The
    digest for a member's "yesterday" reads exactly these rows.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="entries")
    local_date = models.DateField(help_text=_("The member's local date the item belongs to."))
    text = models.TextField()
    position = models.PositiveSmallIntegerField(
        default=0, help_text=_("Order of the item within the reply it came from."),
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
