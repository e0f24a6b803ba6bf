"""Read-only admin: appeals are recorded through the services (audited)."""

from django.contrib import admin

from .models import Appeal


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ("kind", "organization", "filed_on", "authority", "result", "decided_on")
    list_filter = ("kind", "result", "organization")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
