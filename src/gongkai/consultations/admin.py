"""Read-only admin: consultations and comments change through the services (audited)."""

from django.contrib import admin

from .models import Comment, Consultation


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consultation)
class ConsultationAdmin(_ReadOnly):
    list_display = ("title", "organization", "status", "start_on", "end_on", "is_major")
    list_filter = ("status", "is_major", "organization")


@admin.register(Comment)
class CommentAdmin(_ReadOnly):
    list_display = ("consultation", "channel", "received_on", "status", "decision")
    list_filter = ("channel", "status", "decision")
