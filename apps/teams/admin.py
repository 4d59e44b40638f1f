from django.contrib import admin
from django.db.models import Count

from .models import Member, Team


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
    list_filter = ("paused", "is_active", "team", "reminder_hour", "time_zone")
    search_fields = ("name", "email", "team__name", "reply_token")
    list_select_related = ("team",)
    autocomplete_fields = ("team",)
    readonly_fields = ("reply_token", "created_at", "updated_at")
    list_per_page = 100
    # 100,000 members: don't count the whole table for every filtered page.
    show_full_result_count = False
    actions = ["pause", "resume"]

    @admin.display(description="weekdays")
    def weekdays_display(self, member):
        return member.weekdays_display

    @admin.action(description="Pause selected members")
    def pause(self, request, queryset):
        self.message_user(request, f"Paused {queryset.update(paused=True)} members.")

    @admin.action(description="Resume selected members")
    def resume(self, request, queryset):
        self.message_user(request, f"Resumed {queryset.update(paused=False)} members.")
