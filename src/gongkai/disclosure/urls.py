from django.urls import path

from .views import items, notices, reference

app_name = "disclosure"

urlpatterns = [
    path("", items.item_list, name="item_list"),
    path("items/new/", items.item_create, name="item_create"),
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", items.item_edit, name="item_edit"),
    path("items/<int:pk>/submit/", items.item_submit, name="item_submit"),
    path("items/<int:pk>/review/", items.item_review, name="item_review"),
    path("items/<int:pk>/approval/", items.item_approval, name="item_approval"),
    path("items/<int:pk>/withdraw/", items.item_withdraw, name="item_withdraw"),
    path("items/<int:pk>/mask/", items.item_mask, name="item_mask"),
    path("items/<int:pk>/publications/", items.item_publication_add, name="item_publication_add"),
    path("items/<int:pk>/bulletin.docx", items.item_bulletin, name="item_bulletin"),
    path("attachments/<int:pk>/", items.attachment_download, name="attachment_download"),
    path("timeliness/", items.timeliness, name="timeliness"),
    path("notices/expired/", notices.expired_notices, name="expired_notices"),
    path(
        "notices/expired/<int:pk>/mask/",
        notices.expired_notice_mask,
        name="expired_notice_mask",
    ),
    path("notices/settings/", notices.notice_settings, name="notice_settings"),
    path("catalogue/", reference.catalogue, name="catalogue"),
    path("catalogue/seed/", reference.catalogue_seed, name="catalogue_seed"),
    path("catalogue/new/", reference.category_edit, name="category_create"),
    path("catalogue/<int:pk>/", reference.category_edit, name="category_edit"),
    path("catalogue/<int:pk>/delete/", reference.category_delete, name="category_delete"),
    path("guide/", reference.guide, name="guide"),
    path("guide/generate/", reference.guide_generate, name="guide_generate"),
    path("register/", reference.register, name="register"),
    path("register/new/", reference.register_edit, name="register_create"),
    path("register/<int:pk>/", reference.register_edit, name="register_edit"),
    path("figures/", reference.figures, name="figures"),
    path("import/", reference.import_upload, name="import_upload"),
    path("import/<int:pk>/", reference.import_job, name="import_job"),
    path("import/template/<slug:kind>.xlsx", reference.import_template, name="import_template"),
]
