from django.urls import path

from . import views

app_name = "urging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("sent/", views.sent_list, name="sent"),
    path("overdue/", views.overdue, name="overdue"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/acknowledge/", views.acknowledge_view, name="acknowledge"),
    path("<int:pk>/answer/", views.answer_view, name="answer"),
    path("<int:pk>/close/", views.close_view, name="close"),
]
