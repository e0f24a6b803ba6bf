from django.urls import path

from . import views

app_name = "inquiries"

urlpatterns = [
    path("", views.inquiry_list, name="list"),
    path("settings/", views.inquiry_settings, name="settings"),
    path("supervision/", views.supervision, name="supervision"),
    path("<int:pk>/", views.inquiry_detail, name="detail"),
    path("<int:pk>/route/", views.inquiry_route_view, name="route"),
    path("<int:pk>/answer/", views.inquiry_answer_view, name="answer"),
    path("<int:pk>/publish/", views.inquiry_publish_view, name="publish"),
    path("<int:pk>/withhold/", views.inquiry_withhold_view, name="withhold"),
    path("<int:pk>/unpublish/", views.inquiry_unpublish_view, name="unpublish"),
    path("<int:pk>/reject/", views.inquiry_reject_view, name="reject"),
]
