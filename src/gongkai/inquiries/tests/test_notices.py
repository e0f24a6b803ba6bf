"""An answered question notifies the asker (gongkai.notifications)."""

from __future__ import annotations

import pytest
from django.core import mail

from gongkai.notifications.models import Message

from .. import services
from .conftest import EMAIL, at

pytestmark = pytest.mark.django_db


def test_the_answer_notifies_the_asker_once_after_commit(
    ask, clerk, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_HOST = "smtp.example.org"  # the test backend is locmem
    q = ask()
    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_answer(
            inquiry=q, answer="请到便民服务中心办理。", acting_user=clerk, now=at(2025, 10, 9)
        )
    email = Message.objects.get(event="inquiry.answered", channel="email")
    assert email.status == "sent" and email.address == EMAIL
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert q.tracking_code in mail.outbox[0].subject
    assert f"/{q.organization.slug}/inquiries/status/" in mail.outbox[0].body
    # The answer itself is not in the message: the asker reads it with the code.
    assert "便民服务中心" not in mail.outbox[0].body
