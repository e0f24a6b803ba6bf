from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notices, name="notices"),
    path("read/", views.notices_read, name="notices_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("templates/", views.template_list, name="template_list"),
    path(
        "templates/<str:event>/<slug:audience>/<slug:channel>/",
        views.template_edit,
        name="template_edit",
    ),
    path("quiet-hours/", views.quiet_hours, name="quiet_hours"),
    path("log/", views.log, name="log"),
    path("log/<int:pk>/retry/", views.log_retry, name="log_retry"),
]
