"""The operator's console for outbound mail: it reads everything and changes
states only through the state machine, so it cannot corrupt them.

Every field is read-only and the message page is view-only (a Save there
would write back a state a worker may have changed meanwhile). The two
actions are the only writes, and they go through `transition()`, which logs
an event for each message that moved.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.utils.text import Truncator

from apps.ops.view_only_admin import ViewOnlyAdmin

from .models import DispatchRun, MessageEvent, OutboundMessage, State
from .publishing import batches_publish
from .states import PENDING, transition

RETRYABLE = (State.FAILED, State.DEFERRED)
# Ids per transition(): "select all" of a big table must stay under the
# database's limit on query parameters (999 on SQLite builds before 3.32).
ACTION_CHUNK = 500


def transition_in_chunks(ids: list[int], to: str, **kwargs) -> list[int]:
    """transition() over `ids`, ACTION_CHUNK at a time; the ids that moved, in order."""
    moved = []
    for start in range(0, len(ids), ACTION_CHUNK):
        moved.extend(transition(ids[start:start + ACTION_CHUNK], to, **kwargs))
    return moved


class MessageEventInline(admin.TabularInline):
    model = MessageEvent
    fields = ("at", "from_state", "to_state", "detail")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("at", "id")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = (
        "id", "state", "kind", "member", "team", "local_date", "scheduled_for", "attempts",
        "error",
    )
    list_filter = ("state", "kind", "member__team", "local_date")
    search_fields = ("member__email", "=message_id", "=provider_id")
    search_help_text = "Member email (part of it), or an exact Message-ID or provider id."
    list_select_related = ("member", "member__team")
    # Millions of rows: no COUNT(*) of the whole table on every filtered page.
    show_full_result_count = False
    list_per_page = 100
    ordering = ("-id",)
    raw_id_fields = ("member",)
    readonly_fields = [field.name for field in OutboundMessage._meta.fields]
    inlines = [MessageEventInline]
    actions = ["retry_now", "cancel"]

    @admin.display(description="team", ordering="member__team__name")
    def team(self, message):
        return message.member.team

    @admin.display(description="last error")
    def error(self, message):
        return Truncator(message.last_error).chars(80)

    def has_add_permission(self, request):
        return False  # dispatch creates messages

    def has_delete_permission(self, request, obj=None):
        return False  # a deleted row would be created again, and its history lost

    def has_change_permission(self, request, obj=None):
        # The list (obj None) needs it for the actions; a message page is view-only.
        return obj is None and super().has_change_permission(request)

    def _report(self, request, *, moved: int, selected: int, verb: str, eligible: str):
        self.message_user(request, f"{verb} {moved} of {selected} selected messages.",
                          messages.SUCCESS if moved else messages.WARNING)
        if moved < selected:
            self.message_user(
                request, f"{selected - moved} were not {eligible} and were left as they are.",
                messages.INFO,
            )

    @admin.action(description="Retry now (failed or deferred → queued)",
                  permissions=["change"])
    def retry_now(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        moved = transition_in_chunks(
            ids, State.QUEUED, from_states=RETRYABLE, next_attempt_at=None,
            detail=f"retry requested in the admin by {request.user.get_username()}",
        )
        size = settings.DISPATCH_BATCH_SIZE
        batches_publish([moved[i:i + size] for i in range(0, len(moved), size)])
        self._report(request, moved=len(moved), selected=len(ids), verb="Queued",
                     eligible="failed or deferred")

    @admin.action(description="Cancel (scheduled, queued or deferred → cancelled)",
                  permissions=["change"])
    def cancel(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        moved = transition_in_chunks(
            ids, State.CANCELLED, from_states=PENDING, lease_until=None, next_attempt_at=None,
            detail=f"cancelled in the admin by {request.user.get_username()}",
        )
        self._report(request, moved=len(moved), selected=len(ids), verb="Cancelled",
                     eligible="waiting to be sent")


@admin.register(DispatchRun)
class DispatchRunAdmin(ViewOnlyAdmin):
    """When dispatch last ran and what each run did: read-only."""

    list_display = ("now", "created", "missed", "queued", "batches", "finished_at")
    list_filter = ("now",)
    show_full_result_count = False
    readonly_fields = [field.name for field in DispatchRun._meta.fields]
