from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("switch/", views.switch_organization, name="switch"),
    path("settings/office/", views.office_edit, name="office_edit"),
    path("settings/units/", views.unit_list, name="unit_list"),
    path("settings/units/<int:pk>/toggle/", views.unit_toggle, name="unit_toggle"),
    path("settings/people/", views.people, name="people"),
    path("settings/people/grant/", views.membership_grant_view, name="membership_grant"),
    path("settings/people/new/", views.user_create_view, name="user_create"),
    path(
        "settings/people/<int:pk>/revoke/", views.membership_revoke_view, name="membership_revoke"
    ),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization_detail"),
]
