from django.contrib import admin


class ViewOnlyAdmin(admin.ModelAdmin):
    """An admin for records that only the pipeline writes (stored emails, dispatch
    runs): operators read them, and no add, edit or delete can rewrite the
    evidence. The view permission is what shows the pages."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
