"""Sign-in, sign-out and the account's own password change.

The log-in throttle itself lives in the authentication backend
(``gongkai.organizations.backends``); the forced password change in
``gongkai.organizations.middleware``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils import timezone

from gongkai.organizations.forms import LoginForm, OwnPasswordChangeForm
from gongkai.organizations.middleware import (
    forget_password_change_required,
    password_change_required,
)
from gongkai.organizations.permissions import current_organization
from gongkai.organizations.services import user_password_change


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.lock is not None:
            # Too many failures: refused before any password check (throttle.py).
            response.status_code = 429
            response["Retry-After"] = str(form.lock.retry_after(form.now))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Self-service password change; also the page a user with a forced change
    (an account an administrator opened) is held on until they change it."""

    template_name = "registration/password_change_form.html"
    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("organizations:dashboard")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forced"] = password_change_required(self.request.user)
        return context

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.lock is not None:
            # Wrong current passwords count as failed log-ins (forms.OwnPasswordChangeForm).
            response.status_code = 429
            response["Retry-After"] = str(form.lock.retry_after(form.now))
        return response

    def form_valid(self, form):
        user = user_password_change(
            user=self.request.user,
            new_password=form.cleaned_data["new_password1"],
            organization=current_organization(self.request),
            now=timezone.now(),
        )
        # Keep this session signed in; other sessions of the account end.
        update_session_auth_hash(self.request, user)
        forget_password_change_required(self.request)
        messages.success(self.request, "密码已修改。下次登录请使用新密码。")
        return HttpResponseRedirect(self.get_success_url())


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]
