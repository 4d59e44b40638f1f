"""The operator's console for inbound mail: read everything, change nothing by hand.

Raw bytes and states are written only by the webhook and the parser; the one
thing an operator can do is parse again (after a parser fix, or after adding
the member an unmatched mail was from), which is idempotent.
"""

import json
from collections import Counter

from django.contrib import admin, messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.urls import path, reverse
from django.utils.html import format_html

from apps.entries.models import Entry
from apps.ops.view_only_admin import ViewOnlyAdmin

from .models import InboundEmail
from .services import inbound_parse

# Characters of the raw message shown on the page; the download has it all.
RAW_SHOWN = 200_000


class EntryInline(admin.TabularInline):
    model = Entry
    fk_name = "source"
    fields = ("position", "local_date", "member", "text")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "entries written from this email"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def parse_again(ids) -> Counter:
    """Run the parser now on each email; a count of the states they ended in."""
    outcome = Counter()
    for pk in ids:
        try:
            outcome[inbound_parse(inbound_id=pk, again=True)] += 1
        except Exception:  # noqa: BLE001 - recorded on the row as failed, with the reason
            outcome[InboundEmail.State.FAILED] += 1
    return outcome


@admin.register(InboundEmail)
class InboundEmailAdmin(ViewOnlyAdmin):
    list_display = ("received_at", "state", "from_addr", "member", "short_subject",
                    "human_size", "mode")
    list_filter = ("state", "mode", "received_at")
    search_fields = ("from_addr", "subject", "message_id")
    list_select_related = ("member",)
    show_full_result_count = False
    inlines = [EntryInline]
    actions = ["parse_again_action"]
    fieldsets = [
        (None, {"fields": ("received_at", "state", "state_reason", "member", "local_date",
                           "reply_text_display")}),
        ("Message", {"fields": ("from_addr", "subject", "message_id", "mode", "human_size",
                                "truncated", "sha256", "raw_display")}),
        ("SendGrid", {"fields": ("envelope_display", "spf", "dkim", "spam_score")}),
        ("Parser", {"fields": ("attempts", "parsed_at")}),
    ]
    readonly_fields = ("received_at", "state", "state_reason", "member", "local_date",
                       "reply_text_display", "from_addr", "subject", "message_id", "mode",
                       "human_size", "truncated", "sha256", "raw_display", "envelope_display",
                       "spf", "dkim", "spam_score", "attempts", "parsed_at")

    def render_change_form(self, request, context, *args, **kwargs):
        context["can_parse"] = self.has_parse_permission(request)
        return super().render_change_form(request, context, *args, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("raw")  # lists never load the bytes

    @admin.display(description="subject")
    def short_subject(self, obj):
        return obj.subject[:80]

    @admin.display(description="size", ordering="size")
    def human_size(self, obj):
        return filesizeformat(obj.size)

    @admin.display(description="extracted reply")
    def reply_text_display(self, obj):
        return linebreaksbr(obj.reply_text) or "-"  # linebreaksbr escapes

    @admin.display(description="envelope")
    def envelope_display(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.envelope, indent=2, ensure_ascii=False))

    @admin.display(description="raw message")
    def raw_display(self, obj):
        raw = bytes(obj.raw)
        text = raw.decode("utf-8", errors="replace")  # display only; the bytes stay as they are
        more = len(text) - RAW_SHOWN
        download = reverse("admin:inbound_inboundemail_raw", args=[obj.pk])
        return format_html(
            '<p><a href="{}">Download the .eml ({})</a></p>'
            '<pre style="white-space: pre-wrap; max-height: 40em; overflow: auto">{}{}</pre>',
            download, filesizeformat(len(raw)), text[:RAW_SHOWN],
            f"\n… {more} more characters in the download" if more > 0 else "",
        )

    def has_parse_permission(self, request):
        """Parsing again writes (states, entries): it needs the change permission,
        which the page itself never uses."""
        return request.user.has_perm("inbound.change_inboundemail")

    @admin.action(description="Parse again (replaces the entries of each email)",
                  permissions=["parse"])
    def parse_again_action(self, request, queryset):
        outcome = parse_again(list(queryset.values_list("pk", flat=True)))
        summary = ", ".join(f"{count} {state}" for state, count in sorted(outcome.items()))
        level = messages.WARNING if outcome[InboundEmail.State.FAILED] else messages.SUCCESS
        self.message_user(request, f"Parsed again: {summary or 'nothing selected'}.", level)

    # --- per-email pages: download the raw bytes, parse one again -------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/raw/", view(self.raw_view), name="inbound_inboundemail_raw"),
            path("<int:pk>/parse-again/", view(self.parse_again_view),
                 name="inbound_inboundemail_parse_again"),
        ] + super().get_urls()

    def raw_view(self, request, pk):
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        email = get_object_or_404(InboundEmail, pk=pk)
        # An attachment, never rendered: the bytes are whatever a stranger sent.
        response = HttpResponse(bytes(email.raw), content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="inbound-{email.pk}.eml"'
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def parse_again_view(self, request, pk):
        if request.method != "POST":
            return HttpResponse(status=405)
        if not self.has_parse_permission(request):
            return HttpResponse(status=403)
        outcome = parse_again([get_object_or_404(InboundEmail, pk=pk).pk])
        state = next(iter(outcome))
        level = messages.WARNING if state == InboundEmail.State.FAILED else messages.SUCCESS
        self.message_user(request, f"Parsed again: now {state}.", level)
        return HttpResponseRedirect(reverse("admin:inbound_inboundemail_change", args=[pk]))
