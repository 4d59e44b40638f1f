from django.contrib import admin, messages

from .models import DeliveryEvent, Suppression
from .services import suppression_add, suppression_remove


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    list_display = ("address", "reason", "source", "created_at", "removed_at", "removed_by")
    list_filter = ("reason", ("removed_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("address", "source")
    date_hierarchy = "created_at"
    show_full_result_count = False
    actions = ["remove"]
    fields = ("address", "reason", "source", "detail", "created_at", "removed_at",
              "removed_by", "removal_note")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:  # adding by hand: address and a note; the rest is ours
            return ("reason", "source", "created_at", "removed_at", "removed_by", "removal_note")
        return self.fields

    def save_model(self, request, obj, form, change):
        if change:
            return
        created = suppression_add(
            address=obj.address, reason=Suppression.Reason.MANUAL,
            source=f"admin: {request.user.get_username()}", detail=obj.detail,
        )
        obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        return False  # removal is recorded, never a delete

    @admin.action(description="Remove from the suppression list (recorded)")
    def remove(self, request, queryset):
        removed = sum(
            suppression_remove(suppression_id=pk, by=request.user.get_username(),
                               note="removed in the admin")
            for pk in queryset.filter(removed_at__isnull=True).values_list("pk", flat=True)
        )
        self.message_user(request, f"Removed {removed} addresses from the suppression list.",
                          messages.SUCCESS)


@admin.register(DeliveryEvent)
class DeliveryEventAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "event", "severity", "email", "message", "matched", "source",
                    "status")
    list_filter = ("event", "source", "matched", "severity")
    search_fields = ("email", "provider_event_id", "message__message_id")
    date_hierarchy = "occurred_at"
    list_select_related = ("message",)
    show_full_result_count = False
    raw_id_fields = ("message",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
