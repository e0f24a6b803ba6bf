"""Read-only admin: inquiries change only through the services (audited)."""

from django.contrib import admin

from .models import Inquiry, InquirySettings


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Inquiry)
class InquiryAdmin(_ReadOnly):
    list_display = ("tracking_code", "organization", "kind", "status", "received_on", "due_on")
    list_filter = ("status", "kind", "organization")


@admin.register(InquirySettings)
class InquirySettingsAdmin(_ReadOnly):
    list_display = ("organization", "reply_workdays", "signature")
