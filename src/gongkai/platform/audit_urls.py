"""The audit log page at ``/backoffice/audit/`` (namespace ``audit``)."""

from django.urls import path

from .views import audit

app_name = "audit"

urlpatterns = [
    path("", audit.event_list, name="event_list"),
]
