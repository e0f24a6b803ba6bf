"""Applications' facts notify the applicant and the responsible clerks (notices.py)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from gongkai.applications import services
from gongkai.applications.tests.factories import receive
from gongkai.notifications.models import Message, Notice
from gongkai.organizations.factories import user_with_role
from gongkai.organizations.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_on(settings):
    settings.EMAIL_HOST = "smtp.example.org"  # the test backend is locmem


def test_a_received_application_notifies_the_applicant_and_other_clerks(
    org, clerk, mail_on, django_capture_on_commit_callbacks
):
    colleague = user_with_role(org, Role.CLERK, username="colleague", email="c@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        a = receive(org, user=clerk)
    rows = {(m.audience, m.channel, m.recipient) for m in Message.objects.all()}
    assert rows == {
        ("applicant", "email", "email:zhangsan@example.org"),
        ("applicant", "sms", "phone:13800001234"),
        ("staff", "inapp", f"user:{colleague.pk}"),
        ("staff", "email", f"user:{colleague.pk}"),
    }  # not the clerk who registered it
    applicant_mail = next(m for m in mail.outbox if m.to == ["zhangsan@example.org"])
    assert a.tracking_code in applicant_mail.subject
    assert "2024年10月30日" in applicant_mail.body  # the committed reply deadline
    assert "/status/" in applicant_mail.body
    assert Notice.objects.get(user=colleague).url == f"/backoffice/applications/{a.pk}/"


def test_correction_and_answer_notify_once_each(
    org, clerk, mail_on, django_capture_on_commit_callbacks
):
    a = receive(org, user=clerk)  # outside the capture: its notice is not sent here
    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_correction(
            application=a,
            on=date(2024, 9, 30),
            until=date(2024, 10, 15),
            what="请写明年份",
            acting_user=clerk,
        )
    correction = Message.objects.get(event="application.correction_requested", channel="email")
    assert "请写明年份" in correction.body and "2024年10月15日" in correction.body
    assert "条例第三十条" in correction.body
    with django_capture_on_commit_callbacks(execute=True):
        services.application_receive_correction(
            application=a, on=date(2024, 10, 8), acting_user=clerk, now=timezone.now()
        )
        services.application_close(
            application=a, outcome="granted", reply_on=date(2024, 10, 20), acting_user=clerk
        )
    answered = Message.objects.get(event="application.answered", channel="email")
    assert "2024年10月20日" in answered.body and "/status/" in answered.body
    assert "答复告知书可凭查询码在查询页面下载" in answered.body
    assert Message.objects.filter(event="application.answered", channel="sms").count() == 1
    assert [m.subject for m in mail.outbox].count(answered.subject) == 1


def test_a_rolled_back_step_notifies_nobody(org, clerk, django_capture_on_commit_callbacks):
    a = receive(org, user=clerk)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.application_request_correction(
                application=a,
                on=date(2024, 9, 30),
                until=date(2024, 10, 15),
                what="请写明年份",
                acting_user=clerk,
            )
            raise RuntimeError
    assert not Message.objects.filter(event="application.correction_requested").exists()


def test_reminders_notify_the_responsible_clerks_in_app_and_by_mail(
    org, clerk, mail_on, django_capture_on_commit_callbacks
):
    a = receive(org, user=clerk)  # due 2024-10-30
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send(today=date(2024, 10, 28))
        services.reminders_send(today=date(2024, 10, 28))  # twice: once
    notice = Notice.objects.get(user=clerk, event="application.due_soon")
    assert a.tracking_code in notice.title and "还剩2个工作日" in notice.body
    assert [m.to for m in mail.outbox] == [[clerk.email]]
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send(today=date(2024, 10, 31))
    assert Notice.objects.filter(user=clerk, event="application.overdue").count() == 1


def test_the_answer_notice_promises_no_download_without_a_letter(
    org, clerk, mail_on, django_capture_on_commit_callbacks
):
    a = receive(org, user=clerk)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_close(
            application=a, outcome="granted", reply_on=date(2024, 10, 20), acting_user=clerk
        )
        a.letters.all().delete()  # as when the body's own template could not be filled
    answered = Message.objects.get(event="application.answered", channel="email")
    assert "答复告知书将另行送达" in answered.body and "下载" not in answered.body
