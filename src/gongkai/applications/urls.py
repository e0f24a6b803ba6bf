from django.urls import path

from . import views
from .views import delivery as delivery_views
from .views import intake as intake_views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_create, name="create"),
    path("similar/", views.similar_list, name="similar"),
    path("cell/", views.cell_list, name="cell"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/<slug:kind>/", views.template_edit, name="template_edit"),
    path("extensions/", views.extension_list, name="extension_list"),
    path("intake/", intake_views.intake_home, name="intake"),
    path("intake/settings/", intake_views.intake_settings, name="intake_settings"),
    path("intake/<int:pk>/dispatch/", intake_views.intake_dispatch, name="intake_dispatch"),
    path("intake/<int:pk>/<slug:action>/", intake_views.intake_step, name="intake_step"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", views.application_action, name="action"),
    path("<int:pk>/letters/<int:letter_pk>/", views.letter_download, name="letter_download"),
    path("<int:pk>/letters/regenerate/", views.letter_regenerate, name="letter_regenerate"),
    path("<int:pk>/released/", delivery_views.released_document_upload, name="released_upload"),
    path(
        "<int:pk>/released/<int:document_pk>/",
        delivery_views.released_document_download,
        name="released_download",
    ),
    path(
        "<int:pk>/released/<int:document_pk>/remove/",
        delivery_views.released_document_remove,
        name="released_remove",
    ),
    path("<int:pk>/delivery/", delivery_views.delivery_record, name="delivery_record"),
]
