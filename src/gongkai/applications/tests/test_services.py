from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from gongkai.applications import services
from gongkai.applications.models import Application, ClockEvent, Letter, Reminder
from gongkai.applications.selectors import application_status_for_public
from gongkai.audit.models import AuditEvent
from gongkai.organizations.factories import UnitFactory, user_with_role
from gongkai.organizations.models import Role

from .factories import receive

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


# --- intake ---------------------------------------------------------------------------


def test_receive_registered_mail_uses_signed_for_day(org, clerk):
    a = receive(
        org,
        user=clerk,
        channel="registered_mail",
        submitted_on=date(2024, 9, 23),
        signed_for_on=date(2024, 9, 27),
    )
    assert a.received_on == date(2024, 9, 27)
    assert a.due_on == date(2024, 10, 30)  # hand-computed in test_clock
    assert a.status == "open"
    event = AuditEvent.objects.get(verb="application.receive")
    assert event.actor == clerk and event.organization == org


def test_portal_submission_is_received_the_day_it_is_submitted(org):
    # The portal calls with acting_user=None and channel="online": both sides
    # confirm on screen at submission (条例第三十一条).
    a = receive(org, user=None, channel="online", submitted_on=date(2024, 9, 28))
    assert a.received_on == date(2024, 9, 28)
    assert a.created_by is None
    assert AuditEvent.objects.get(verb="application.receive").actor is None


def test_tracking_code_is_short_unguessable_and_unique(org, clerk):
    codes = {receive(org, user=clerk).tracking_code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{12}", code)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"applicant_name": "  "}, "applicant_name"),
        ({"description": ""}, "description"),
        ({"applicant_type": "robot"}, "applicant_type"),
        ({"channel": "pigeon"}, "channel"),
        ({"phone": "", "email": "", "address": ""}, "phone"),
    ],
)
def test_receive_refuses_incomplete_applications(org, clerk, overrides, field):
    with pytest.raises(ValidationError) as info:
        receive(org, user=clerk, **overrides)
    assert field in info.value.message_dict
    assert Application.objects.count() == 0


def test_receive_refuses_a_received_on_that_contradicts_article_31(org, clerk):
    with pytest.raises(ValidationError, match="第三十一条"):
        receive(
            org,
            user=clerk,
            channel="registered_mail",
            signed_for_on=date(2024, 9, 27),
            received_on=date(2024, 9, 25),
        )


def test_receive_requires_signed_for_day_for_mail(org, clerk):
    with pytest.raises(ValidationError, match="签收日期"):
        receive(org, user=clerk, channel="registered_mail")


def test_receive_refuses_unit_of_other_body(org, other_org, clerk):
    with pytest.raises(ValidationError):
        receive(org, user=clerk, unit=UnitFactory(organization=other_org))


def test_supervisor_and_other_body_cannot_register(org, supervisor, other_clerk):
    for user in (supervisor, other_clerk):
        with pytest.raises(PermissionError):
            receive(org, user=user)


# --- the clock through the services -------------------------------------------------------


def test_journey_correction_extension_partial(org, clerk, office_head):
    a = receive(org, user=clerk, channel="registered_mail", signed_for_on=date(2024, 9, 27))
    services.application_request_correction(
        application=a,
        on=date(2024, 9, 30),
        until=date(2024, 10, 15),
        what="请写明年份",
        acting_user=clerk,
    )
    a.refresh_from_db()
    assert (a.status, a.due_on, a.waiting_until) == (
        "awaiting_correction",
        None,
        date(2024, 10, 15),
    )
    services.application_receive_correction(
        application=a, on=date(2024, 10, 14), acting_user=clerk, now=timezone.now()
    )
    a.refresh_from_db()
    assert (a.status, a.due_on) == ("open", date(2024, 11, 11))
    request = services.application_extension_request(
        application=a, days=20, reason="档案调取", on=date(2024, 11, 4), acting_user=clerk
    )
    a.refresh_from_db()
    # Pending: nothing changes until the 公开办负责人 approves.
    assert (request.status, a.due_on) == ("pending", date(2024, 11, 11))
    assert (
        not a.events.filter(kind="extension").exists()
        and not a.letters.filter(kind="extension").exists()
    )
    services.application_extension_decide(
        extension_request=request, approve=True, on=date(2024, 11, 5), acting_user=office_head
    )
    a.refresh_from_db()
    assert a.due_on == date(2024, 12, 9)
    ext = a.events.get(kind="extension")
    assert ext.approved_by == office_head and ext.actor == clerk
    services.application_close(
        application=a,
        outcome="partial",
        reply_on=date(2024, 11, 20),
        acting_user=clerk,
        reasons="涉及个人隐私的部分不予公开",
    )
    a.refresh_from_db()
    assert (a.status, a.outcome, a.reply_on) == ("closed", "partial", date(2024, 11, 20))
    kinds = list(a.letters.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["correction", "extension", "partial"]
    numbers = list(a.letters.order_by("pk").values_list("number", flat=True))
    assert numbers == [1, 2, 3]
    verbs = set(AuditEvent.objects.filter(object_id=str(a.pk)).values_list("verb", flat=True))
    assert {
        "application.receive",
        "application.correction_requested",
        "application.correction_received",
        "application.extension_request",
        "application.extension",
        "application.closed",
    } <= verbs
    approval = AuditEvent.objects.get(verb="application.extension", object_id=str(a.pk))
    assert approval.actor == office_head


def test_only_an_office_head_of_the_body_approves_an_extension(org, other_org, clerk, approver):
    stranger = user_with_role(other_org, Role.OFFICE_HEAD, username="stranger_head")
    a = receive(org, user=clerk)
    request = services.application_extension_request(
        application=a, days=10, reason="x", on=date(2024, 10, 8), acting_user=clerk
    )
    for user in (clerk, approver, stranger):
        with pytest.raises(PermissionError, match="公开办负责人"):
            services.application_extension_decide(
                extension_request=request, approve=True, on=date(2024, 10, 8), acting_user=user
            )
    request.refresh_from_db()
    assert request.status == "pending"
    assert not ClockEvent.objects.exists()
    assert not Letter.objects.exists()


def test_office_head_extends_in_one_step(org, clerk, office_head):
    a = receive(org, user=clerk)  # received Fri 2024-09-27, due 2024-10-30
    request = services.application_extension_request(
        application=a,
        days=5,
        reason="需汇总多个科室材料",
        on=date(2024, 10, 8),
        acting_user=office_head,
    )
    assert (request.status, request.decided_by, request.decided_on) == (
        "approved",
        office_head,
        date(2024, 10, 8),
    )
    a.refresh_from_db()
    # 10/31, 11/1, 11/4, 11/5, 11/6 = 5 more working days.
    assert a.due_on == date(2024, 11, 6)
    event = a.events.get(kind="extension")
    assert event.approved_by == office_head and request.event == event
    assert a.letters.filter(kind="extension").count() == 1


def test_rejected_extension_needs_a_comment_and_changes_nothing(org, clerk, office_head):
    a = receive(org, user=clerk)
    request = services.application_extension_request(
        application=a, days=10, reason="x", on=date(2024, 10, 8), acting_user=clerk
    )
    with pytest.raises(ValidationError, match="意见"):
        services.application_extension_decide(
            extension_request=request, approve=False, on=date(2024, 10, 9), acting_user=office_head
        )
    services.application_extension_decide(
        extension_request=request,
        approve=False,
        on=date(2024, 10, 9),
        comment="理由不充分，请按期答复。",
        acting_user=office_head,
    )
    request.refresh_from_db()
    a.refresh_from_db()
    assert request.status == "rejected" and a.due_on == date(2024, 10, 30)
    assert AuditEvent.objects.filter(verb="application.extension_reject").count() == 1
    # Deciding twice is refused; a rejected request does not use up the one extension.
    with pytest.raises(ValidationError, match="已经处理"):
        services.application_extension_decide(
            extension_request=request, approve=True, on=date(2024, 10, 9), acting_user=office_head
        )
    second = services.application_extension_request(
        application=a, days=10, reason="需调档", on=date(2024, 10, 10), acting_user=clerk
    )
    services.application_extension_decide(
        extension_request=second, approve=True, on=date(2024, 10, 10), acting_user=office_head
    )
    # Approved once: a further request is refused.
    with pytest.raises(ValidationError, match="已经延期一次"):
        services.application_extension_request(
            application=a, days=1, reason="再延", on=date(2024, 10, 11), acting_user=clerk
        )


def test_extension_request_rules(org, clerk, office_head):
    a = receive(org, user=clerk)  # due 2024-10-30
    with pytest.raises(ValidationError, match="20个工作日"):
        services.application_extension_request(
            application=a, days=21, reason="x", on=date(2024, 10, 8), acting_user=clerk
        )
    with pytest.raises(ValidationError, match="届满"):
        services.application_extension_request(
            application=a, days=5, reason="x", on=date(2024, 10, 31), acting_user=clerk
        )
    with pytest.raises(ValidationError, match="延期理由"):
        services.application_extension_request(
            application=a, days=5, reason=" ", on=date(2024, 10, 8), acting_user=clerk
        )
    request = services.application_extension_request(
        application=a, days=5, reason="x", on=date(2024, 10, 29), acting_user=clerk
    )
    with pytest.raises(ValidationError, match="待公开办负责人批准"):
        services.application_extension_request(
            application=a, days=5, reason="y", on=date(2024, 10, 29), acting_user=clerk
        )
    # The approval, too, must come within the period (条例第三十三条第二款).
    with pytest.raises(ValidationError, match="届满"):
        services.application_extension_decide(
            extension_request=request, approve=True, on=date(2024, 10, 31), acting_user=office_head
        )
    with pytest.raises(ValidationError, match="早于"):
        services.application_extension_decide(
            extension_request=request, approve=True, on=date(2024, 10, 28), acting_user=office_head
        )
    request.refresh_from_db()
    assert request.status == "pending" and not a.events.exists()


def test_illegal_step_leaves_nothing_behind(org, clerk):
    a = receive(org, user=clerk)
    services.application_close(
        application=a, outcome="granted", reply_on=date(2024, 10, 20), acting_user=clerk
    )
    before = (ClockEvent.objects.count(), Letter.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError, match="已办结"):
        services.application_close(
            application=a, outcome="granted", reply_on=date(2024, 10, 21), acting_user=clerk
        )
    a.refresh_from_db()
    assert a.reply_on == date(2024, 10, 20)
    assert (
        ClockEvent.objects.count(),
        Letter.objects.count(),
        AuditEvent.objects.count(),
    ) == before


def test_close_without_outcome_is_refused(org, clerk):
    a = receive(org, user=clerk)
    with pytest.raises(ValidationError, match="必须选择办理结果"):
        services.application_close(
            application=a, outcome="", reply_on=date(2024, 10, 20), acting_user=clerk
        )
    a.refresh_from_db()
    assert a.status == "open" and a.reply_on is None


def test_correction_too_late_is_refused(org, clerk):
    a = receive(org, user=clerk)  # in person 2024-09-27
    with pytest.raises(ValidationError, match="7个工作日"):
        services.application_request_correction(
            application=a,
            on=date(2024, 10, 14),
            until=date(2024, 10, 30),
            what="x",
            acting_user=clerk,
        )


def test_consultation_pause_and_letters(org, clerk):
    a = receive(org, user=clerk, submitted_on=date(2025, 3, 3))
    services.application_consult(
        application=a,
        kind="third_party_consulted",
        on=date(2025, 3, 10),
        party="某某公司",
        acting_user=clerk,
    )
    a.refresh_from_db()
    assert (a.status, a.due_on) == ("consulting", date(2025, 4, 22))
    services.application_record_consultation_answer(
        application=a, on=date(2025, 3, 20), acting_user=clerk
    )
    a.refresh_from_db()
    assert (a.status, a.due_on) == ("open", date(2025, 4, 11))
    assert sorted(a.letters.values_list("kind", flat=True)) == [
        "consult_applicant",
        "consult_third_party",
    ]


def test_fee_notice_per_application_counts_the_month(org, clerk):
    # 国办函〔2020〕109号: the 11th application of one applicant in a month costs 100 元.
    for day in range(1, 12):
        last = receive(org, user=clerk, submitted_on=date(2025, 7, day if day <= 11 else 11))
    services.application_send_fee_notice(
        application=last, on=date(2025, 7, 14), method="per_application", acting_user=clerk
    )
    last.refresh_from_db()
    assert last.fee_amount == 100
    assert last.status == "awaiting_payment"
    assert last.waiting_until == date(
        2025, 8, 11
    )  # 7/15-18=1-4, 7/21-25=5-9, 7/28-8/1=10-14, 8/4-8=15-19, 8/11=20
    letter = last.letters.get(kind="fee")
    assert letter.title == "政府信息公开信息处理费收费通知书"


def test_free_fee_is_refused(org, clerk):
    a = receive(org, user=clerk)
    with pytest.raises(ValidationError, match="不收费"):
        services.application_send_fee_notice(
            application=a, on=date(2024, 10, 8), method="per_page", pages=30, acting_user=clerk
        )


def test_unpaid_fee_closes_as_other_unpaid(org, clerk):
    a = receive(org, user=clerk, submitted_on=date(2025, 6, 3))
    services.application_send_fee_notice(
        application=a, on=date(2025, 6, 10), method="per_page", pages=150, acting_user=clerk
    )
    a.refresh_from_db()
    assert a.fee_amount == 1700
    with pytest.raises(ValidationError, match="尚未届满"):
        services.application_close(
            application=a, outcome="other_unpaid", reply_on=date(2025, 7, 8), acting_user=clerk
        )
    services.application_close(
        application=a, outcome="other_unpaid", reply_on=date(2025, 7, 9), acting_user=clerk
    )
    a.refresh_from_db()
    assert a.outcome == "other_unpaid"
    assert a.letters.filter(kind="other").exists()


def test_excessive_applications_article_35(org, clerk):
    a = receive(org, user=clerk, submitted_on=date(2025, 6, 3))
    services.application_request_reasons(
        application=a,
        on=date(2025, 6, 5),
        until=date(2025, 6, 16),
        acting_user=clerk,
        now=timezone.now(),
    )
    services.application_set_later_date(
        application=a,
        on=date(2025, 6, 16),
        until=date(2025, 8, 29),
        acting_user=clerk,
        now=timezone.now(),
    )
    a.refresh_from_db()
    assert a.due_on == date(2025, 8, 29)
    assert sorted(a.letters.values_list("kind", flat=True)) == ["later_date", "reasons"]


def test_supervisor_cannot_act(org, clerk, supervisor):
    a = receive(org, user=clerk)
    with pytest.raises(PermissionError):
        services.application_close(
            application=a, outcome="granted", reply_on=date(2024, 10, 8), acting_user=supervisor
        )


@pytest.mark.parametrize("role_user", ["reviewer", "approver"])
def test_reviewer_and_approver_cannot_act_through_the_services(org, clerk, request, role_user):
    # The services and the views use the same list (permissions.HANDLER_ROLES).
    user = request.getfixturevalue(role_user)
    a = receive(org, user=clerk)
    with pytest.raises(PermissionError):
        services.application_close(
            application=a, outcome="granted", reply_on=date(2024, 10, 8), acting_user=user
        )
    with pytest.raises(PermissionError):
        receive(org, user=user)
    a.refresh_from_db()
    assert a.status != "closed"


def test_letter_numbers_run_per_body_and_year(org, other_org, clerk, other_clerk):
    a = receive(org, user=clerk)
    b = receive(other_org, user=other_clerk)
    c = receive(org, user=clerk, submitted_on=date(2024, 12, 20))
    services.application_close(
        application=a, outcome="granted", reply_on=date(2024, 10, 8), acting_user=clerk
    )
    services.application_close(
        application=b, outcome="granted", reply_on=date(2024, 10, 8), acting_user=other_clerk
    )
    services.application_close(
        application=c, outcome="granted", reply_on=date(2025, 1, 6), acting_user=clerk
    )
    refs = sorted(Letter.objects.values_list("organization_id", "year", "number"))
    assert refs == sorted([(org.pk, 2024, 1), (other_org.pk, 2024, 1), (org.pk, 2025, 1)])
    assert Letter.objects.get(application=a).reference == "〔2024〕依申请第1号"


# --- the applicant's status page --------------------------------------------------------------


def test_public_status_needs_the_phone_digits(org, clerk):
    a = receive(org, user=clerk, phone="138-0000-1234")
    services.application_close(
        application=a,
        outcome="granted",
        reply_on=date(2024, 10, 8),
        acting_user=clerk,
        reasons="内部备注不应外泄",
    )
    status = application_status_for_public(
        tracking_code=a.tracking_code.lower(), phone_last4="1234"
    )
    assert status is not None
    assert status.stage == "已办结" and status.outcome_label == "予以公开"
    assert status.received_on == date(2024, 9, 27) and status.reply_on == date(2024, 10, 8)
    flat = repr(status)
    for secret in ("张三", "clerk", "内部备注", "110101199003070011", "13800001234"):
        assert secret not in flat
    assert application_status_for_public(tracking_code=a.tracking_code, phone_last4="9999") is None
    assert application_status_for_public(tracking_code=a.tracking_code, phone_last4="") is None
    assert application_status_for_public(tracking_code="ABCDEFGHJKMN", phone_last4="1234") is None


def test_public_status_without_phone_on_file_is_never_shown(org, clerk):
    a = receive(org, user=clerk, phone="")
    assert application_status_for_public(tracking_code=a.tracking_code, phone_last4="0000") is None


# --- reminders -----------------------------------------------------------------------------------


def test_remind_is_idempotent_and_emails_when_smtp_configured(
    org, clerk, settings, capsys, django_capture_on_commit_callbacks
):
    settings.EMAIL_HOST = "smtp.example.org"
    a = receive(org, user=clerk)  # due 2024-10-30
    receive(org, user=clerk, submitted_on=date(2024, 10, 28))  # due much later: no reminder
    call_command("remind", "--dry-run", "--date", "2024-10-30")
    assert "将发送" in capsys.readouterr().out
    assert not Reminder.objects.exists() and not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind", "--date", "2024-10-30")
    reminder = Reminder.objects.get()
    assert (reminder.application, reminder.kind, reminder.due_on) == (
        a,
        "due_today",
        date(2024, 10, 30),
    )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [clerk.email]
    assert a.tracking_code in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind", "--date", "2024-10-30")  # same day again: nothing new
    assert Reminder.objects.count() == 1 and len(mail.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind", "--date", "2024-10-31")  # next day: overdue, once
    assert set(Reminder.objects.values_list("kind", flat=True)) == {"due_today", "overdue"}
    assert len(mail.outbox) == 2


def test_remind_without_smtp_only_records(org, clerk, settings):
    settings.EMAIL_HOST = ""
    receive(org, user=clerk)
    call_command("remind", "--date", "2024-10-28")  # 10/30 is within 3 working days
    reminder = Reminder.objects.get()
    assert reminder.kind == "due_soon" and not reminder.emailed
    assert not mail.outbox


def test_remind_prefers_clerks_of_the_unit(org, clerk, unit):
    unit_clerk = user_with_role(org, Role.CLERK, username="unit_clerk")
    unit_clerk.memberships.update(unit=unit)
    a = receive(org, user=clerk, unit=unit)
    from gongkai.applications.selectors import responsible_emails

    assert responsible_emails(a) == (unit_clerk.email,)


def test_remind_applicant_lapsed(org, clerk):
    a = receive(org, user=clerk)
    services.application_request_correction(
        application=a, on=date(2024, 9, 30), until=date(2024, 10, 15), what="x", acting_user=clerk
    )
    call_command("remind", "--date", "2024-10-16")
    assert Reminder.objects.get().kind == "applicant_lapsed"


def test_remind_bad_date_is_one_clear_line(capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="日期格式不正确"):
        call_command("remind", "--date", "30/10/2024")


def test_fee_pause_setting(org, clerk, settings):
    # GONGKAI_FEE_PAUSES_CLOCK (default on): notice-to-payment time not counted.
    a = receive(org, user=clerk, submitted_on=date(2025, 6, 3))
    services.application_send_fee_notice(
        application=a, on=date(2025, 6, 10), method="per_page", pages=40, acting_user=clerk
    )
    services.application_record_payment(
        application=a, on=date(2025, 6, 17), acting_user=clerk, now=timezone.now()
    )
    a.refresh_from_db()
    assert a.due_on == date(2025, 7, 8)
    settings.GONGKAI_FEE_PAUSES_CLOCK = False
    assert services.application_deadline(a).due_on == date(2025, 7, 1)


def test_refresh_deadlines_when_the_calendar_changes(org, clerk, monkeypatch, time_machine):
    from gongkai.workdays import Calendar, YearSchedule

    time_machine.move_to("2026-12-10 10:00 +08:00", tick=False)
    a = receive(org, user=clerk, submitted_on=date(2026, 12, 10))
    # 2027 unknown: statutory holidays only (1 January off), provisional.
    assert (a.due_on, a.due_provisional) == (date(2027, 1, 8), True)
    # An administrator enters 2027: 1 January off and a make-up Saturday 2 January.
    schedule = YearSchedule(
        2027, frozenset({date(2027, 1, 1)}), frozenset({date(2027, 1, 2)}), "管理员录入"
    )
    monkeypatch.setattr(services._common, "calendar", lambda: Calendar([schedule]))
    assert services.application_refresh_deadlines().changed == 1
    a.refresh_from_db()
    # 12/11=1, 12/14-18=2-6, 12/21-25=7-11, 12/28-31=12-15, 1/1 off, 1/2=16, 1/4-7=17-20.
    assert (a.due_on, a.due_provisional) == (date(2027, 1, 7), False)
    assert services.application_refresh_deadlines().changed == 0
    assert AuditEvent.objects.filter(verb="application.deadline_refresh").count() == 1


# --- reasons are required for refusals and partial disclosure ---------------------------------


@pytest.mark.parametrize(
    "outcome",
    ["partial", "withheld_secret", "withheld_third_party", "unable_not_held", "declined_repeat"],
)
def test_refusals_and_partial_need_reasons(org, clerk, outcome):
    a = receive(org, user=clerk)
    for reasons in ("", "   "):
        with pytest.raises(ValidationError) as exc:
            services.application_close(
                application=a,
                outcome=outcome,
                reply_on=date(2024, 10, 18),
                reasons=reasons,
                acting_user=clerk,
            )
        assert "说明理由" in str(exc.value) or "理由" in str(exc.value)
    a.refresh_from_db()
    assert a.status == "open" and not a.letters.exists()
    services.application_close(
        application=a,
        outcome=outcome,
        reply_on=date(2024, 10, 18),
        reasons="依法说明的理由",
        acting_user=clerk,
    )
    a.refresh_from_db()
    assert a.status == "closed"


def test_granted_and_other_need_no_reasons(org, clerk):
    for outcome in ("granted", "other_other"):
        a = receive(org, user=clerk)
        services.application_close(
            application=a, outcome=outcome, reply_on=date(2024, 10, 18), acting_user=clerk
        )


def test_close_form_requires_reasons():
    from gongkai.applications.forms import CloseForm

    form = CloseForm({"outcome": "partial", "reply_on": "2024-10-18", "reasons": ""})
    assert not form.is_valid()
    assert "第三十七条" in form.errors["reasons"][0]
    assert CloseForm({"outcome": "granted", "reply_on": "2024-10-18", "reasons": ""}).is_valid()


# --- no dates after today --------------------------------------------------------------------


def test_future_dates_are_refused(org, clerk, time_machine):
    time_machine.move_to("2025-03-14 10:00 +08:00", tick=False)
    with pytest.raises(ValidationError) as exc:
        receive(org, user=clerk, submitted_on=date(2025, 3, 15))
    assert "晚于今天" in str(exc.value)
    with pytest.raises(ValidationError):
        receive(
            org,
            user=clerk,
            channel="registered_mail",
            submitted_on=date(2025, 3, 10),
            signed_for_on=date(2025, 3, 17),
        )
    a = receive(org, user=clerk, submitted_on=date(2025, 3, 3))
    future = date(2025, 3, 15)
    attempts = [
        lambda: services.application_close(
            application=a, outcome="granted", reply_on=future, acting_user=clerk
        ),
        lambda: services.application_consult(
            application=a, kind="third_party_consulted", on=future, party="甲", acting_user=clerk
        ),
        lambda: services.application_request_correction(
            application=a, on=future, until=date(2025, 3, 30), what="写明年份", acting_user=clerk
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert "晚于今天" in str(exc.value)
    services.application_consult(
        application=a,
        kind="third_party_consulted",
        on=date(2025, 3, 14),
        party="甲",
        acting_user=clerk,
    )
    with pytest.raises(ValidationError, match="晚于今天"):
        services.application_record_consultation_answer(application=a, on=future, acting_user=clerk)
    services.application_close(
        application=a, outcome="granted", reply_on=date(2025, 3, 14), acting_user=clerk
    )
    a.refresh_from_db()
    assert a.reply_on == date(2025, 3, 14)


def test_future_payment_and_correction_received_are_refused(org, clerk, time_machine):
    time_machine.move_to("2025-03-20 10:00 +08:00", tick=False)
    a = receive(org, user=clerk, submitted_on=date(2025, 3, 3))
    services.application_request_correction(
        application=a,
        on=date(2025, 3, 4),
        until=date(2025, 3, 19),
        what="写明年份",
        acting_user=clerk,
    )
    with pytest.raises(ValidationError, match="晚于今天"):
        services.application_receive_correction(
            application=a, on=date(2025, 3, 21), acting_user=clerk, now=timezone.now()
        )
    b = receive(org, user=clerk, submitted_on=date(2025, 3, 3))
    services.application_send_fee_notice(
        application=b, on=date(2025, 3, 5), method="per_page", pages=500, acting_user=clerk
    )
    with pytest.raises(ValidationError, match="晚于今天"):
        services.application_record_payment(
            application=b, on=date(2025, 3, 21), acting_user=clerk, now=timezone.now()
        )


def test_refresh_counts_logs_and_flags_a_history_it_cannot_replay(org, clerk, caplog):
    # Issue #9: a history the rules refuse was skipped with a silent `continue`.
    good = receive(org, user=clerk, submitted_on=date(2024, 9, 27))
    bad = receive(org, user=clerk, submitted_on=date(2024, 9, 27))
    # A corrupted history: correction material "received" although none was requested.
    broken = ClockEvent.objects.create(
        application=bad, kind="correction_received", on=date(2024, 10, 8)
    )
    with caplog.at_level("WARNING", logger="gongkai.applications.services"):
        result = services.application_refresh_deadlines()
    assert result.changed == 0 and [a.pk for a, _ in result.skipped] == [bad.pk]
    assert "不能收到补正材料" in result.skipped[0][1]
    assert bad.tracking_code in caplog.text and "不能收到补正材料" in caplog.text
    bad.refresh_from_db()
    good.refresh_from_db()
    assert "不能收到补正材料" in bad.deadline_problem and good.deadline_problem == ""
    event = AuditEvent.objects.get(verb="application.deadline_unreplayable")
    assert event.object_id == str(bad.pk) and "不能收到补正材料" in event.comment
    # Daily runs do not repeat the audit row while the problem is the same.
    assert len(services.application_refresh_deadlines().skipped) == 1
    assert AuditEvent.objects.filter(verb="application.deadline_unreplayable").count() == 1
    # Once the history is repaired, the flag is cleared.
    broken.delete()
    assert services.application_refresh_deadlines().skipped == []
    bad.refresh_from_db()
    assert bad.deadline_problem == ""


# --- a wrong date already stored (review of #9, F5) ---------------------------------------------


def _stored_received_on(application, day: date) -> None:
    """A received_on written past the form bounds (a restore, a script, older data),
    with the due date cached from it."""
    Application.objects.filter(pk=application.pk).update(
        received_on=day, submitted_on=day, due_on=date(9999, 12, 31)
    )
    application.refresh_from_db()


@pytest.mark.parametrize("day", [date(9999, 12, 20), date(1900, 1, 1)])
def test_deadline_of_a_stored_absurd_received_on_is_a_deadline_problem(org, clerk, day):
    a = receive(org, user=clerk)
    _stored_received_on(a, day)
    with pytest.raises(services.clock.DeadlineDateError, match="日期有误"):
        services.application_deadline(a)


def test_refresh_flags_an_absurd_received_on_and_carries_on(org, other_org, clerk, other_clerk):
    # 9999-12-20 + 20 working days falls in the year 10000: the calendar raised a
    # bare ValueError and the whole refresh (and ``gongkai remind``) stopped.
    bad = receive(org, user=clerk)
    _stored_received_on(bad, date(9999, 12, 20))
    good = receive(other_org, user=other_clerk)
    Application.objects.filter(pk=good.pk).update(due_on=date(2024, 10, 1))  # stale cache
    result = services.application_refresh_deadlines()
    assert [a.pk for a, _ in result.skipped] == [bad.pk]
    assert "日期有误" in result.skipped[0][1]
    assert result.changed == 1
    good.refresh_from_db()
    assert good.due_on == date(2024, 10, 30)
    bad.refresh_from_db()
    assert "日期有误" in bad.deadline_problem
    event = AuditEvent.objects.get(verb="application.deadline_unreplayable")
    assert event.object_id == str(bad.pk) and "日期有误" in event.comment


def test_remind_carries_on_past_an_absurd_stored_date(org, other_org, clerk, other_clerk, capsys):
    bad = receive(org, user=clerk)
    _stored_received_on(bad, date(9999, 12, 20))
    due = receive(other_org, user=other_clerk)  # due 2024-10-30
    call_command("remind", "--date", "2024-10-30")
    reminder = Reminder.objects.get()
    assert reminder.application == due and reminder.kind == "due_today"
    out = capsys.readouterr()
    assert bad.tracking_code in out.err and "日期有误" in out.err
    assert "共已记录 1 条提醒" in out.out


def test_remind_refuses_a_date_outside_the_sane_range(capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="超出合理范围"):
        call_command("remind", "--date", "9999-12-31")
