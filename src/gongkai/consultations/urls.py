from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("new/", views.consultation_create_view, name="create"),
    path("settings/", views.settings_view, name="settings"),
    path("supervision/", views.supervision, name="supervision"),
    path("<int:pk>/", views.consultation_detail, name="detail"),
    path("<int:pk>/edit/", views.consultation_edit, name="edit"),
    path("<int:pk>/step/<slug:action>/", views.consultation_step, name="step"),
    path("<int:pk>/comments/new/", views.comment_record_view, name="record"),
    path(
        "<int:pk>/comments/<int:comment_pk>/moderate/", views.comment_moderate_view, name="moderate"
    ),
    path("<int:pk>/comments/<int:comment_pk>/decide/", views.comment_decide_view, name="decide"),
    path("<int:pk>/feedback/", views.feedback_publish_view, name="feedback"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
]
