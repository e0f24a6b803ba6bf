from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "actor_repr",
        "organization",
        "verb",
        "object_repr",
        "from_state",
        "to_state",
    ]
    list_filter = ["verb", "organization"]
    search_fields = ["object_repr", "actor_repr", "comment"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
