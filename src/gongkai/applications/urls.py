from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_create, name="create"),
    path("similar/", views.similar_list, name="similar"),
    path("cell/", views.cell_list, name="cell"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/<slug:kind>/", views.template_edit, name="template_edit"),
    path("extensions/", views.extension_list, name="extension_list"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", views.application_action, name="action"),
    path("<int:pk>/letters/<int:letter_pk>/", views.letter_download, name="letter_download"),
    path("<int:pk>/letters/regenerate/", views.letter_regenerate, name="letter_regenerate"),
]
