import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.views import View

from gongkai.organizations.factories import UserFactory
from gongkai.organizations.models import Role
from gongkai.platform.decorators import BackofficeMixin, backoffice_view

pytestmark = pytest.mark.django_db


@backoffice_view(Role.APPROVER)
def approve_view(request):
    return HttpResponse(f"{request.organization.slug}|{sorted(request.roles)}")


class ApproveView(BackofficeMixin, View):
    required_roles = (Role.APPROVER,)

    def get(self, request):
        return HttpResponse(request.organization.slug)


def make_request(rf, user):
    request = rf.get("/backoffice/x/")
    request.user = user
    request.session = SessionStore()
    return request


@pytest.mark.parametrize("view", [approve_view, ApproveView.as_view()])
def test_guard_allows_role_and_sets_organization(rf, view, approver, org):
    response = view(make_request(rf, approver))
    assert response.status_code == 200
    assert response.content.decode().startswith(org.slug)


@pytest.mark.parametrize("view", [approve_view, ApproveView.as_view()])
def test_guard_refuses_other_role(rf, view, clerk):
    with pytest.raises(PermissionDenied, match="没有执行此操作的权限"):
        view(make_request(rf, clerk))


@pytest.mark.parametrize("view", [approve_view, ApproveView.as_view()])
def test_guard_refuses_user_without_body(rf, view):
    with pytest.raises(PermissionDenied, match="尚未分配到任何机关"):
        view(make_request(rf, UserFactory()))


@pytest.mark.parametrize("view", [approve_view, ApproveView.as_view()])
def test_guard_redirects_anonymous(rf, view):
    response = view(make_request(rf, AnonymousUser()))
    assert response.status_code == 302
    assert "/backoffice/login/?next=" in response["Location"]


def test_supervisor_is_not_an_approver_below(rf, supervisor):
    with pytest.raises(PermissionDenied):
        approve_view(make_request(rf, supervisor))
