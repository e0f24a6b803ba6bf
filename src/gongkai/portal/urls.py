"""The public portal, mounted at ``/``.  Fixed prefixes come before ``<slug>/``;
``organizations.validators.RESERVED_SLUGS`` keeps bodies off them."""

from django.urls import path

from . import api, apply, delivery, feeds, lists, orgpage, screen, views
from .pagecache import cached_page

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("status/", apply.status, name="status"),
    path("status/download/<str:token>/", delivery.download, name="delivery_download"),
    path("care/", views.care_toggle, name="care"),
    path("screen/<slug:slug>/", screen.screen, name="screen"),
    path("screen/<slug:slug>/notices.json", screen.screen_data, name="screen_data"),
    path("api/", api.docs, name="api_docs"),
    path("api/v1/", api.index, name="api_index"),
    path("api/v1/organizations/", api.organizations, name="api_organizations"),
    path("api/v1/organizations/<slug:slug>/items/", api.items, name="api_items"),
    path("api/v1/organizations/<slug:slug>/catalogue/", api.catalogue, name="api_catalogue"),
    path("api/v1/organizations/<slug:slug>/reports/", api.reports, name="api_reports"),
    path("api/v1/organizations/<slug:slug>/reports/<int:year>/", api.report, name="api_report"),
    path("api/v1/items/<int:pk>/", api.item, name="api_item"),
    path("api/<path:rest>", api.not_found, name="api_not_found"),
    path("<slug:slug>/", views.org_home, name="org"),
    path("<slug:slug>/guide/", views.guide, name="guide"),
    path("<slug:slug>/rules/", views.rules, name="rules"),
    # 机构概况, 政务新媒体 QR, 公开制度 documents, 申请表 (orgpage.py)
    path("<slug:slug>/profile/", orgpage.profile, name="profile"),
    path("<slug:slug>/fees/", orgpage.fees, name="fees"),
    path("<slug:slug>/proposals/", orgpage.proposals, name="proposals"),
    path("<slug:slug>/newmedia/<int:pk>/qr.png", orgpage.new_media_qr, name="new_media_qr"),
    path("<slug:slug>/rules/<int:pk>/file/", orgpage.rule_document, name="rule_document"),
    path("<slug:slug>/apply/form.<str:fmt>", orgpage.apply_form, name="apply_form"),
    path("<slug:slug>/void/", lists.void_documents, name="void_documents"),
    path("<slug:slug>/lists/", lists.lists_index, name="lists"),
    path("<slug:slug>/lists/<slug:kind>/", lists.list_page, name="list"),
    path("<slug:slug>/lists/<slug:kind>/<int:number>/", lists.list_page, name="list_revision"),
    path("<slug:slug>/catalogue/", views.catalogue, name="catalogue"),
    path("<slug:slug>/catalogue/<int:pk>/", views.category, name="category"),
    path(
        "<slug:slug>/catalogue/<int:pk>/feed/",
        cached_page()(feeds.CategoryFeed()),
        name="category_feed",
    ),
    path("<slug:slug>/items/", views.item_list, name="items"),
    path("<slug:slug>/items/<int:pk>/", views.item_detail, name="item"),
    path(
        "<slug:slug>/items/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment,
        name="attachment",
    ),
    path(
        "<slug:slug>/items/<int:pk>/figures/<int:figure_pk>/",
        views.figure,
        name="figure",
    ),
    path("<slug:slug>/interpretations/", views.interpretations, name="interpretations"),
    path("<slug:slug>/reports/", views.report_list, name="reports"),
    path("<slug:slug>/reports/<int:year>/", views.report_detail, name="report"),
    path("<slug:slug>/reports/<int:year>.<str:fmt>", views.report_download, name="report_download"),
    path("<slug:slug>/apply/", apply.apply, name="apply"),
    path("<slug:slug>/apply/receipt/<str:code>/", apply.apply_receipt, name="apply_receipt"),
    path("<slug:slug>/feed/", cached_page()(feeds.OrganizationFeed()), name="feed"),
]
