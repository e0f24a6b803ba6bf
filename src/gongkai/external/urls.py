from django.urls import path

from . import views

app_name = "external"

urlpatterns = [
    path("", views.body_list, name="body_list"),
    path("new/", views.body_create, name="body_create"),
    path("<int:pk>/", views.body_edit, name="body_edit"),
]
