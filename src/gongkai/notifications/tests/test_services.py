"""notify, the send job, quiet hours, retries and templates — against a real SMTP
server and a fake SMS gateway (conftest.py)."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from gongkai.core.errors import Forbidden
from gongkai.jobs import registry
from gongkai.jobs.runner import run_inline
from gongkai.notifications import services, sms
from gongkai.notifications.api import Person, notify
from gongkai.notifications.models import Message, Notice, NotificationTemplate, Preference
from gongkai.notifications.tests.conftest import KEY_SECRET, SIGN_NAME, TEMPLATE_CODE

pytestmark = pytest.mark.django_db

APPLICANT = Person(name="张三", email="zhangsan@example.org", phone="138 0000 1234")
CONTEXT = {
    "申请人": "张三",
    "查询码": "ABCD1234",
    "收到日期": "2024年9月27日",
    "答复期限": "2024年10月30日",
    "申请内容": "危房改造补助名单",
}
# 2024-10-28 10:00 Asia/Shanghai (a Monday, outside any quiet hours used here)
DAYTIME = datetime(2024, 10, 28, 2, 0, tzinfo=UTC)
# 2024-10-28 23:30 Asia/Shanghai
NIGHT = datetime(2024, 10, 28, 15, 30, tzinfo=UTC)


def received(org, *, staff=(), key="application:1:received", now=DAYTIME, applicant=APPLICANT):
    return notify(
        "application.received",
        organization=org,
        key=key,
        context=CONTEXT,
        applicant=applicant,
        staff=list(staff),
        url="/backoffice/applications/1/",
        applicant_url="/status/",
        now=now,
    )


def quiet(org, **kw):
    from gongkai.notifications.models import QuietHours

    QuietHours.objects.update_or_create(
        organization=org,
        defaults={"enabled": True, "start": time(22), "end": time(8), "applicant_sms": True, **kw},
    )


def test_notify_sends_real_mail_and_a_signed_sms_after_commit(
    org, clerk, smtp, sms_gateway, settings, django_capture_on_commit_callbacks
):
    settings.GONGKAI_SITE_URL = "https://gk.example.gov.cn"
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            recorded = received(org, staff=[clerk])
            # Nothing leaves before the commit.
            assert not smtp.messages and not sms_gateway.received
    assert {(m.audience, m.channel) for m in recorded} == {
        ("applicant", "email"),
        ("applicant", "sms"),
        ("staff", "inapp"),
        ("staff", "email"),
    }
    assert [to for to, _ in smtp.messages] == [["zhangsan@example.org"], [clerk.email]]
    assert smtp.subjects()[0] == "【政府信息公开】已收到您的申请（查询码ABCD1234）"
    # The applicant's link is the public status page, the staff's the case.
    assert "https://gk.example.gov.cn/status/" in smtp.bodies()[0]
    assert "https://gk.example.gov.cn/backoffice/applications/1/" in smtp.bodies()[1]
    # SMS: to the mobile number as digits, signed, with the body's sign name and template.
    (request,) = sms_gateway.received
    assert request["PhoneNumbers"] == "13800001234"
    assert (request["SignName"], request["TemplateCode"]) == (SIGN_NAME, TEMPLATE_CODE)
    assert "ABCD1234" in json.loads(request["TemplateParam"])["content"]
    assert sms_gateway.bad_signatures == 0
    sent = Message.objects.get(channel="sms")
    assert (sent.status, sent.attempts, sent.provider_id) == ("sent", 1, "biz-1")
    notice = Notice.objects.get(user=clerk)
    assert notice.url == "/backoffice/applications/1/" and notice.read_at is None
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


def test_a_rolled_back_write_records_and_sends_nothing(
    org, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                received(org)
                raise RuntimeError("the write fails")
    assert not Message.objects.exists() and not smtp.messages


def test_the_same_fact_notified_twice_records_and_sends_once(
    org, clerk, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = received(org, staff=[clerk])
        again = received(org, staff=[clerk])
    assert len(first) == 4 and again == []
    assert len(smtp.messages) == 2 and Notice.objects.count() == 1


def test_the_send_job_run_twice_sends_once(org, smtp, sms_gateway):
    received(org)  # not committed here: the test runs the job itself
    send = registry.get("notifications.send")
    for message in Message.objects.all():
        assert run_inline(send, {"message_id": message.pk})
        assert run_inline(send, {"message_id": message.pk})  # a retry or a second worker
    assert len(smtp.messages) == 1 and len(sms_gateway.received) == 1
    assert set(Message.objects.values_list("status", "attempts")) == {("sent", 1)}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two connections sending at once need PostgreSQL"
)
def test_two_workers_sending_the_same_message_at_once_send_it_once(org, sms_gateway):
    received(org, applicant=Person(name="张三", phone="13800001234"))
    # Autocommit: the inline queue sent it at once; make it wait to be sent again.
    message = Message.objects.get(channel="sms")
    Message.objects.filter(pk=message.pk).update(status="pending", attempts=0)
    sms_gateway.received.clear()
    sms_gateway.gate = threading.Event()  # the first send waits at the gateway
    outcomes = []

    def worker():
        from django.db import connections

        try:
            outcomes.append(services.message_send(message_id=message.pk))
        finally:
            connections.close_all()

    first = threading.Thread(target=worker)
    first.start()
    assert sms_gateway.arrived.wait(10)  # the first run has claimed it and is sending
    second = threading.Thread(target=worker)  # another worker, its own connection
    second.start()
    second.join(10)
    assert outcomes == ["sending"]  # it found the row claimed and sent nothing
    sms_gateway.gate.set()
    first.join(10)
    assert outcomes == ["sending", "sent"]
    assert len(sms_gateway.received) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)


def test_a_gateway_that_times_out_is_retried_then_failed_and_kept(
    org, sms_gateway, django_capture_on_commit_callbacks, caplog
):
    sms_gateway.mode = "timeout"
    with django_capture_on_commit_callbacks(execute=True):
        received(org, applicant=Person(name="张三", phone="13800001234"))
    message = Message.objects.get()
    assert message.status == "failed"
    assert message.attempts == services.SEND_ATTEMPTS == 3
    assert "超时" in message.last_error
    assert message.body and message.address == "13800001234"  # nothing lost
    assert "不再重试" in caplog.text
    # The gateway comes back; the back office retries: sent, with fresh attempts.
    sms_gateway.mode = "ok"
    from gongkai.organizations.factories import user_with_role
    from gongkai.organizations.models import Role

    clerk = user_with_role(org, Role.CLERK, username="retrier")
    with django_capture_on_commit_callbacks(execute=True):
        services.message_retry(message=message, acting_user=clerk, now=DAYTIME)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 4, "")
    assert len(sms_gateway.received) == 1


def test_a_server_error_is_retried_and_a_refusal_is_not(
    org, sms_gateway, django_capture_on_commit_callbacks
):
    sms_gateway.mode = "error500"
    with django_capture_on_commit_callbacks(execute=True):
        received(org, key="a", applicant=Person(phone="13800001234"))
    assert Message.objects.get(key="a").attempts == 3
    sms_gateway.mode = "reject"  # a wrong number: retrying cannot help
    with django_capture_on_commit_callbacks(execute=True):
        received(org, key="b", applicant=Person(phone="13800001235"))
    refused = Message.objects.get(key="b")
    assert (refused.status, refused.attempts) == ("failed", 1)
    assert "isv.MOBILE_NUMBER_ILLEGAL" in refused.last_error


def test_an_smtp_server_that_is_down_is_retried_then_failed(
    org, smtp, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_PORT = 1  # nothing listens there
    settings.EMAIL_TIMEOUT = 1
    with django_capture_on_commit_callbacks(execute=True):
        received(org, applicant=Person(email="a@example.org"))
    message = Message.objects.get()
    assert (message.status, message.attempts) == ("failed", 3)
    assert "邮件发送失败" in message.last_error


def test_quiet_hours_hold_staff_mail_and_applicant_sms_until_the_release(
    org, clerk, smtp, sms_gateway, process_cache, django_capture_on_commit_callbacks
):
    quiet(org)
    Preference.objects.create(user=clerk, phone="13900001111")
    with django_capture_on_commit_callbacks(execute=True):
        received(org, staff=[clerk], now=NIGHT)
    status = {(m.audience, m.channel): m.status for m in Message.objects.all()}
    assert status == {
        ("applicant", "email"): "sent",  # e-mail to applicants is not held
        ("applicant", "sms"): "held",
        ("staff", "inapp"): "sent",  # silent
        ("staff", "email"): "held",
        ("staff", "sms"): "held",
    }

    def held():
        return Message.objects.filter(status="held")

    # Held until 08:00 the next morning, Asia/Shanghai.
    assert {m.hold_until for m in held()} == {datetime(2024, 10, 29, 0, 0, tzinfo=UTC)}
    assert len(smtp.messages) == 1 and not sms_gateway.received

    release = registry.get("notifications.release_held")
    assert release.daily == time(8, 0)
    with time_machine.travel(datetime(2024, 10, 28, 23, 59, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert run_inline(release, {"day": "2024-10-29"})
    assert held().count() == 3  # 07:59: still quiet
    with time_machine.travel(datetime(2024, 10, 29, 0, 0, 30, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert run_inline(release, {"day": "2024-10-29"})
            assert run_inline(release, {"day": "2024-10-29"})  # run twice: sent once
    assert not held().exists()
    assert len(smtp.messages) == 2 and len(sms_gateway.received) == 2
    assert sorted(r["PhoneNumbers"] for r in sms_gateway.received) == [
        "13800001234",
        "13900001111",
    ]


def test_quiet_hours_can_leave_applicant_sms_alone_and_are_off_by_default(org, sms_gateway):
    received(org, key="k1", applicant=Person(phone="13800001234"), now=NIGHT)
    assert Message.objects.get(key="k1").status == "pending"  # no quiet hours set
    quiet(org, applicant_sms=False)
    received(org, key="k2", applicant=Person(phone="13800001234"), now=NIGHT)
    assert Message.objects.get(key="k2").status == "pending"


def test_quiet_until_covers_both_sides_of_midnight(org):
    from gongkai.notifications.models import QuietHours

    q = QuietHours(organization=org, enabled=True, start=time(22), end=time(8))
    morning = datetime(2024, 10, 28, 22, 30, tzinfo=UTC)  # 06:30 on the 29th, Shanghai
    assert services.quiet_until(q, morning) == datetime(2024, 10, 29, 0, 0, tzinfo=UTC)
    assert services.quiet_until(q, DAYTIME) is None
    q.enabled = False
    assert services.quiet_until(q, NIGHT) is None


def test_quiet_hours_must_end_by_the_release_time(org, org_admin, clerk):
    with pytest.raises(ValidationError, match="08:00"):
        services.quiet_hours_save(
            organization=org,
            enabled=True,
            start=time(22),
            end=time(9),
            applicant_sms=True,
            acting_user=org_admin,
            now=DAYTIME,
        )
    with pytest.raises(Forbidden):
        services.quiet_hours_save(
            organization=org,
            enabled=True,
            start=time(22),
            end=time(7),
            applicant_sms=True,
            acting_user=clerk,
            now=DAYTIME,
        )
    saved = services.quiet_hours_save(
        organization=org,
        enabled=True,
        start=time(21),
        end=time(7, 30),
        applicant_sms=False,
        acting_user=org_admin,
        now=DAYTIME,
    )
    assert (saved.start, saved.end, saved.applicant_sms) == (time(21), time(7, 30), False)


def test_preferences_turn_channels_off_per_group(org, clerk, smtp):
    services.preference_save(
        user=clerk, phone="", enabled=["cases:inapp", "deadlines:email"], now=DAYTIME
    )
    received(org, staff=[clerk], applicant=None)
    assert list(Message.objects.values_list("channel", flat=True)) == ["inapp"]
    with pytest.raises(ValidationError, match="11位手机号码"):
        services.preference_save(user=clerk, phone="0571-1234", enabled=[], now=DAYTIME)


def test_applicants_get_what_they_gave_an_address_for(org, settings):
    settings.EMAIL_HOST = ""  # no SMTP server: no e-mail is recorded at all
    received(org, key="k1", applicant=Person(name="李四", email="l@example.org", phone="0571-8888"))
    assert not Message.objects.filter(key="k1").exists()  # a landline cannot get SMS
    received(org, key="k2", applicant=Person(name="李四", phone="+86 139-0000-2222"))
    assert Message.objects.get(key="k2").address == "13900002222"


def test_a_stale_sending_row_is_failed_not_resent(org, sms_gateway):
    received(org, applicant=Person(phone="13800001234"))
    Message.objects.update(status="sending", attempts=1, claimed_at=DAYTIME)
    services.held_release(now=datetime(2024, 10, 28, 3, 0, tzinfo=UTC))
    message = Message.objects.get()
    assert message.status == "failed" and "无法确认" in message.last_error
    assert not sms_gateway.received


# --- templates --------------------------------------------------------------------


def test_a_body_rewords_a_template_and_placeholders_are_checked(org, org_admin, clerk, smtp):
    with pytest.raises(ValidationError) as exc:
        services.template_save(
            organization=org,
            event="application.received",
            audience="applicant",
            channel="email",
            subject="{申请人:>99999}",
            body="{密码} {申请人.__class__}",
            acting_user=org_admin,
            now=DAYTIME,
        )
    text = " ".join(exc.value.messages)
    assert "格式说明" in text and "未知的占位符 {密码}" in text and "取属性" in text
    with pytest.raises(ValidationError, match="花括号不成对"):
        services.template_save(
            organization=org,
            event="application.received",
            audience="applicant",
            channel="sms",
            subject="",
            body="【{机关名称}】{查询码",
            acting_user=org_admin,
            now=DAYTIME,
        )
    with pytest.raises(Forbidden):
        services.template_save(
            organization=org,
            event="application.received",
            audience="applicant",
            channel="email",
            subject="x",
            body="y",
            acting_user=clerk,
            now=DAYTIME,
        )
    services.template_save(
        organization=org,
        event="application.received",
        audience="applicant",
        channel="email",
        subject="收到：{查询码}",
        body="{申请人}您好，{机关名称}已收到。",
        acting_user=org_admin,
        now=DAYTIME,
    )
    received(org, applicant=Person(name="张三", email="z@example.org"))
    message = Message.objects.get()
    assert message.subject == "收到：ABCD1234"
    assert message.body == f"张三您好，{org.name}已收到。"
    services.template_reset(
        organization=org,
        event="application.received",
        audience="applicant",
        channel="email",
        acting_user=org_admin,
        now=DAYTIME,
    )
    assert not NotificationTemplate.objects.exists()


def test_a_broken_stored_template_falls_back_to_the_default(org, caplog):
    NotificationTemplate.objects.create(
        organization=org,
        event="application.received",
        audience="applicant",
        channel="sms",
        body="{申请人!r}",
    )
    received(org, applicant=Person(phone="13800001234"))
    assert Message.objects.get().body.startswith(f"【{org.name}】已收到")
    assert "通知模板有误" in caplog.text


def test_every_default_template_passes_its_own_check():
    from gongkai.notifications.events import EVENTS, SMS, channels_for

    for event in EVENTS.values():
        assert event.audiences
        for audience in event.audiences:
            for channel in channels_for(audience):
                subject, body = event.default(audience, channel)
                assert services.template_problems(event, channel, subject, body) == [], (
                    event.key,
                    channel,
                )
                assert channel != SMS or len(body) <= 120  # a text, not a letter


def test_notify_refuses_unknown_events_and_placeholders(org):
    from gongkai.notifications.events import UnknownEvent

    with pytest.raises(UnknownEvent):
        notify("application.nothing", organization=org, key="x")
    with pytest.raises(ValueError, match="unknown placeholders"):
        notify("application.received", organization=org, key="x", context={"密码": "1"})


# --- the SMS adapters --------------------------------------------------------------


def test_the_aliyun_signature_matches_the_documented_example():
    # The worked example of Alibaba Cloud's RPC signature documentation
    # (AccessKeyId "testId", secret "testSecret", GET, the parameters below).
    params = {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert sms.aliyun_signature(params, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_the_file_backend_appends_json_lines(org, settings, tmp_path):
    settings.GONGKAI_SMS_BACKEND = "file"
    settings.GONGKAI_SMS_FILE = str(tmp_path / "sms.jsonl")
    received(org, applicant=Person(phone="13800001234"))
    services.message_send(message_id=Message.objects.get().pk, now=DAYTIME)
    (line,) = (tmp_path / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["phone"] == "13800001234"
    assert Message.objects.get().backend == "file"


def test_aliyun_without_keys_is_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.GONGKAI_SMS_BACKEND = "aliyun"
    settings.GONGKAI_SMS_ACCESS_KEY_ID = ""
    with pytest.raises(ImproperlyConfigured, match="GONGKAI_SMS_ACCESS_KEY_ID"):
        sms.backend()


def test_key_secret_is_what_the_fake_gateway_checks():
    # The fake gateway refuses a request signed with another secret.
    params = {"AccessKeyId": "x", "Timestamp": "t"}
    assert sms.aliyun_signature(params, KEY_SECRET) != sms.aliyun_signature(params, "other")


def test_a_long_subject_is_cut_to_one_line_of_its_column(org, org_admin, clerk):
    # A valid template whose values make a subject longer than Message.subject /
    # Notice.title (300): PostgreSQL would refuse the row and fail the step.
    services.template_save(
        organization=org,
        event="application.received",
        audience="staff",
        channel="inapp",
        subject="{申请人}：{申请内容}（{机关名称}）",
        body="{申请人}",
        acting_user=org_admin,
        now=DAYTIME,
    )
    long_name = "某某" * 150 + "\n有限公司"
    notify(
        "application.received",
        organization=org,
        key="application:2:received",
        context={**CONTEXT, "申请人": long_name},
        applicant=None,
        staff=[clerk],
        url="/backoffice/applications/2/",
        now=DAYTIME,
    )
    notice = Notice.objects.get(user=clerk)
    assert len(notice.title) == 300 and "\n" not in notice.title
    assert notice.title.startswith("某某某某")
    assert len(Message.objects.get(channel="inapp").subject) == 300
