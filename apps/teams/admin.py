from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from apps.outbound.models import Kind
from apps.preferences.services import (
    member_resubscribe, member_unsubscribe, messages_cancel_for_member,
)

from .models import ChangeSource, Member, Team


class MemberInline(admin.TabularInline):
    model = Member
    fields = ("name", "email", "time_zone", "reminder_hour", "digest_hour", "paused", "is_active")
    extra = 0
    show_change_link = True
    # Big teams: the team page lists the first members; the member list has the rest.
    max_num = None
    classes = ("collapse",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "member_count", "created_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MemberInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_member_count=Count("members"))

    @admin.display(description="members", ordering="_member_count")
    def member_count(self, team):
        return team._member_count


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = (
        "name", "email", "team", "time_zone", "reminder_hour", "digest_hour",
        "weekdays_display", "paused", "is_active",
    )
    list_filter = (
        "paused", "is_active", "team", "reminder_hour", "time_zone",
        ("unsubscribed_reminders_at", admin.EmptyFieldListFilter),
        ("unsubscribed_digests_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("name", "email", "team__name", "reply_token")
    list_select_related = ("team",)
    autocomplete_fields = ("team",)
    # The unsubscribe stamps change only through the actions, which log a source.
    readonly_fields = (
        "reply_token", "unsubscribed_reminders_at", "unsubscribed_digests_at",
        "subscription_history", "created_at", "updated_at",
    )
    list_per_page = 100
    # 100,000 members: don't count the whole table for every filtered page.
    show_full_result_count = False
    actions = ["pause", "resume", "unsubscribe_all", "resubscribe_all"]

    @admin.display(description="subscription history")
    def subscription_history(self, member):
        """Read-only (not an inline, so saving a member never touches it): the
        log is written by the unsubscribe services with their source."""
        events = member.subscription_events.all()[:20]
        if not events:
            return "—"
        return format_html_join(
            mark_safe("<br>"), "{}: {} {} ({})",
            ((localtime(e.at).strftime("%Y-%m-%d %H:%M %Z"), e.get_change_display(),
              e.get_stream_display().lower(), e.get_source_display()) for e in events),
        )

    @admin.display(description="weekdays")
    def weekdays_display(self, member):
        return member.weekdays_display

    @admin.action(description="Pause selected members")
    def pause(self, request, queryset):
        # A paused member gets no mail, including what is already scheduled.
        ids = list(queryset.values_list("pk", flat=True))
        paused = queryset.update(paused=True)
        cancelled = sum(
            messages_cancel_for_member(
                member_id=pk, kinds=list(Kind), reason="member paused (admin)",
            )
            for pk in ids
        )
        self.message_user(
            request, f"Paused {paused} members; cancelled {cancelled} pending messages.",
        )

    @admin.action(description="Resume selected members")
    def resume(self, request, queryset):
        self.message_user(request, f"Resumed {queryset.update(paused=False)} members.")

    @admin.action(description="Unsubscribe selected members from all mail")
    def unsubscribe_all(self, request, queryset):
        for member in queryset:
            member_unsubscribe(member=member, scope="all", source=ChangeSource.ADMIN)
        self.message_user(request, f"Unsubscribed {len(queryset)} members; pending mail cancelled.")

    @admin.action(description="Resubscribe selected members to all mail")
    def resubscribe_all(self, request, queryset):
        for member in queryset:
            member_resubscribe(member=member, scope="all", source=ChangeSource.ADMIN)
        self.message_user(request, f"Resubscribed {len(queryset)} members.")
