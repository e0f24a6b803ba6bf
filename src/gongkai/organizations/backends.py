"""The one authentication backend: Django's ModelBackend behind the log-in throttle.

Throttling here, not in a form, covers every way in — the back-office log-in,
the Django admin's log-in, and anything added later that calls
``django.contrib.auth.authenticate``.
"""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import throttle
from .services import login_lockout_record


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        address = throttle.client_address(request) if request is not None else None
        now = time.time()
        if throttle.login_lock(username=username, address=address, now=now) is not None:
            # Refused without checking the password; PermissionDenied stops
            # django.contrib.auth.authenticate from trying any other backend.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            throttle.login_succeeded(username=username)
            return user
        for lock in throttle.login_failed(username=username, address=address, now=now):
            login_lockout_record(
                username=username,
                address=address,
                scope=lock.scope,
                until=lock.until,
                failures=lock.failures,
            )
        return None
