"""Read-only admin views: every change goes through the services (and the audit log)."""

from django.contrib import admin

from .models import (
    Application,
    ClockEvent,
    ExtensionRequest,
    IntakeHop,
    Letter,
    LetterTemplate,
    Reminder,
    UnifiedIntake,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("tracking_code", "organization", "received_on", "status", "due_on", "outcome")
    list_filter = ("status", "organization")
    search_fields = ("tracking_code",)


@admin.register(ClockEvent)
class ClockEventAdmin(ReadOnlyAdmin):
    list_display = ("application", "kind", "on", "until", "days")


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdmin):
    list_display = ("application", "kind", "year", "number", "issued_on")


@admin.register(LetterTemplate)
class LetterTemplateAdmin(ReadOnlyAdmin):
    list_display = ("organization", "kind", "title", "updated_at")


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("application", "kind", "due_on", "sent_on", "emailed")


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    list_display = ("application", "days", "requested_on", "status", "decided_by", "decided_on")
    list_filter = ("status",)


@admin.register(UnifiedIntake)
class UnifiedIntakeAdmin(ReadOnlyAdmin):
    list_display = ("organization", "is_active", "clock_start", "dispatch_days", "updated_at")


@admin.register(IntakeHop)
class IntakeHopAdmin(ReadOnlyAdmin):
    list_display = ("application", "kind", "from_organization", "to_organization", "on", "due_on")
    list_filter = ("kind",)
