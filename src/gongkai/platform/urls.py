"""The back-office shell's pages at ``/backoffice/``.

The namespace stays ``organizations`` (the pages were that app's before the
platform app took them), so every ``{% url 'organizations:…' %}`` and
``reverse("organizations:…")`` keeps working.
"""

from django.urls import path

from .views import accounts, bodies, home, office, profile

app_name = "organizations"

urlpatterns = [
    path("", home.dashboard, name="dashboard"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", accounts.LogoutView.as_view(), name="logout"),
    path("password/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("switch/", home.switch_organization, name="switch"),
    path("settings/office/", office.office_edit, name="office_edit"),
    path("settings/units/", office.unit_list, name="unit_list"),
    path("settings/units/<int:pk>/toggle/", office.unit_toggle, name="unit_toggle"),
    path("settings/units/<int:pk>/public/", profile.unit_public_edit, name="unit_public_edit"),
    # 机构概况, 政务新媒体, 公开制度 (views/profile.py)
    path("settings/profile/", profile.profile_edit, name="profile_edit"),
    path("settings/leaders/", profile.leader_list, name="leader_list"),
    path("settings/leaders/<int:pk>/", profile.leader_list, name="leader_edit"),
    path("settings/leaders/<int:pk>/delete/", profile.leader_delete, name="leader_delete"),
    path("settings/newmedia/", profile.new_media_list, name="new_media_list"),
    path("settings/newmedia/<int:pk>/", profile.new_media_list, name="new_media_edit"),
    path("settings/newmedia/<int:pk>/delete/", profile.new_media_delete, name="new_media_delete"),
    path("settings/rules/", profile.rule_document_list, name="rule_document_list"),
    path(
        "settings/rules/<int:pk>/delete/",
        profile.rule_document_delete,
        name="rule_document_delete",
    ),
    path("settings/rules/<int:pk>/", profile.rule_document_download, name="rule_document_file"),
    path("settings/people/", office.people, name="people"),
    path("settings/people/grant/", office.membership_grant_view, name="membership_grant"),
    path("settings/people/new/", office.user_create_view, name="user_create"),
    path(
        "settings/people/<int:pk>/revoke/",
        office.membership_revoke_view,
        name="membership_revoke",
    ),
    path("organizations/", bodies.organization_list, name="organization_list"),
    path("organizations/<slug:slug>/", bodies.organization_detail, name="organization_detail"),
]
