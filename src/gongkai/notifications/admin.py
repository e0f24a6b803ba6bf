from django.contrib import admin

from .models import Message, NotificationTemplate, QuietHours


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "organization", "event", "channel", "status", "attempts")
    list_filter = ("status", "channel", "event")
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin):
    list_display = ("organization", "event", "channel", "updated_at")


@admin.register(QuietHours)
class QuietHoursAdmin(admin.ModelAdmin):
    list_display = ("organization", "enabled", "start", "end", "applicant_sms")
