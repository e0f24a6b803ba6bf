"""Holds a user whose password an administrator set on the password-change
page until they choose their own (issue #9: forced change at first log-in)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse

from .models import AccountSecurity

# The answer is kept in the session with the user's session-auth hash, so it is
# looked up once per session — and again after any change of the password.
SESSION_KEY = "gongkai_password_change_required"


def password_change_required(user) -> bool:
    return AccountSecurity.objects.filter(user=user, must_change_password=True).exists()


def _required(request) -> bool:
    user = request.user
    stamp = [user.pk, user.get_session_auth_hash()]
    cached = request.session.get(SESSION_KEY)
    if isinstance(cached, list) and len(cached) == 3 and cached[:2] == stamp:
        return bool(cached[2])
    required = password_change_required(user)
    request.session[SESSION_KEY] = [*stamp, required]
    return required


def forget_password_change_required(request) -> None:
    request.session.pop(SESSION_KEY, None)


class PasswordChangeRequiredMiddleware:
    """After AuthenticationMiddleware: a signed-in user who must change their
    password gets nothing but the change page, log-out and static files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and _required(request):
            change = reverse("organizations:password_change")
            allowed = {change, reverse("organizations:logout"), reverse("healthz")}
            path = request.path
            if path not in allowed and not path.startswith(settings.STATIC_URL):
                return HttpResponseRedirect(change)
        return self.get_response(request)
