"""督办 services: the whole flow, each target kind, the rules and permissions both ways."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.core.errors import Forbidden, Invalid, WrongState

from .. import services, targets
from ..models import Urging
from .conftest import SENT, at, overdue_application

pytestmark = pytest.mark.django_db


def test_send_acknowledge_answer_close(send, application, org, district, supervisor, clerk):
    u = send(application)
    assert (u.sender, u.organization, u.kind, u.application) == (
        district,
        org,
        "application",
        application,
    )
    assert (u.year, u.number, u.reference) == (2025, 1, "督办〔2025〕第1号")
    assert u.status == "sent" and u.sent_on == SENT
    # 5 working days after Tue 30 Sep across National Day: 9, 10, 11 (Sat, 调休), 13, 14 Oct.
    assert u.respond_by == dt.date(2025, 10, 14) and u.respond_by_provisional is False
    assert application.tracking_code in u.target_label

    u = services.urging_acknowledge(urging=u, acting_user=clerk, now=at(2025, 10, 9))
    assert u.status == "acknowledged" and u.acknowledged_on == dt.date(2025, 10, 9)
    assert u.acknowledged_by == clerk

    u = services.urging_answer(
        urging=u,
        response="已于10月10日作出答复并送达申请人。",
        done_by=dt.date(2025, 10, 10),
        acting_user=clerk,
        now=at(2025, 10, 10),
    )
    assert u.status == "answered" and u.answered_on == dt.date(2025, 10, 10)
    assert not u.answered_late()

    u = services.urging_close(urging=u, comment="", acting_user=supervisor, now=at(2025, 10, 13))
    assert u.status == "closed" and u.closed_by == supervisor
    verbs = list(
        AuditEvent.objects.filter(object_id=str(u.pk), verb__startswith="urging.")
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == ["urging.send", "urging.acknowledge", "urging.answer", "urging.close"]
    # A new 督办 of the same application is possible once the first is closed, numbered on.
    again = send(application, now=at(2025, 10, 20))
    assert again.number == 2


@pytest.mark.parametrize("kind", ["application", "item", "inquiry", "report"])
def test_each_target_kind(kind, send, request, org):
    obj = (org, 2024) if kind == "report" else request.getfixturevalue(kind)
    u = send(obj)
    assert u.kind == kind and u.organization == org
    if kind == "report":
        # 条例第四十九条: the 2024 report was due in the first quarter of 2025 and is unpublished.
        assert u.report_year == 2024 and "2024年度" in u.target_label
    else:
        assert getattr(u, kind) == obj
    # One open 督办 per target.
    with pytest.raises(Invalid, match="已有未办结的督办"):
        send(obj)


def test_only_overdue_things_are_urged(org, send):
    on_time = overdue_application(org, due_on=dt.date(2025, 10, 31))
    with pytest.raises(Invalid, match="没有逾期"):
        send(on_time)
    # The 2025 report is not due before 2026.
    with pytest.raises(Invalid, match="没有逾期"):
        send((org, 2025))


@pytest.mark.parametrize("year", [1, 2007, 9999, -3])
def test_report_years_without_a_report_are_refused(org, year):
    with pytest.raises(Invalid, match="年度应在2008年至"):
        targets.report_target(org, year, SENT)


def test_published_report_is_not_late(org, send):
    from gongkai.reports.tests.factories import published

    published(org, 2024, on=dt.date(2025, 3, 20))
    with pytest.raises(Invalid, match="没有逾期"):
        targets.report_target(org, 2024, SENT)


def test_default_text_names_the_target_and_its_rule(application):
    t = targets.application_target(application, SENT)
    text = t.default_text()
    assert "测试镇人民政府" in text and application.tracking_code in text
    assert "2025年08月29日" in text and "第三十三条" in text


def test_who_may_send(send, application, clerk, org, other_district, district_admin):
    # The body's own clerk may not urge anyone; an admin of the district may.
    with pytest.raises(Forbidden):
        send(application, user=clerk)
    assert send(application, user=district_admin).sent_by == district_admin
    # A body outside the district's tree is not the district's to urge.
    outsider = overdue_application(
        org.__class__.objects.create(
            name="别区某镇", slug="elsewhere", level="town", parent=other_district
        )
    )
    with pytest.raises(Forbidden):
        send(outsider)


def test_who_may_answer_and_close(send, application, clerk, other_clerk, supervisor, org_head):
    u = send(application)
    # The supervisor (read-only in the body) does not answer for it; another town does not either.
    for user in (supervisor, other_clerk):
        with pytest.raises(Forbidden):
            services.urging_acknowledge(urging=u, acting_user=user, now=at(2025, 10, 9))
    u = services.urging_answer(
        urging=u, response="已答复。", done_by=SENT, acting_user=org_head, now=at(2025, 10, 9)
    )
    # Answering acknowledged it too.
    assert u.acknowledged_by == org_head and u.acknowledged_on == dt.date(2025, 10, 9)
    for user in (clerk, org_head):
        with pytest.raises(Forbidden):
            services.urging_close(urging=u, comment="", acting_user=user, now=at(2025, 10, 10))


def test_answer_needs_response_and_a_sane_date(send, application, clerk):
    u = send(application)
    with pytest.raises(Invalid) as exc:
        services.urging_answer(
            urging=u,
            response=" ",
            done_by=dt.date(2025, 9, 1),
            acting_user=clerk,
            now=at(2025, 10, 9),
        )
    assert set(exc.value.message_dict) == {"response", "done_by"}
    with pytest.raises(Invalid, match="一年"):
        services.urging_answer(
            urging=u,
            response="将办理。",
            done_by=dt.date(2027, 1, 1),
            acting_user=clerk,
            now=at(2025, 10, 9),
        )
    u.refresh_from_db()
    assert u.status == "sent" and u.response == ""  # nothing half-written


def test_send_refuses_bad_input_and_writes_nothing(send, application):
    with pytest.raises(Invalid) as exc:
        send(application, text="", respond_workdays=0)
    assert set(exc.value.message_dict) == {"text", "respond_workdays"}
    assert not Urging.objects.exists()


def test_escalate_close_needs_a_comment(send, application, supervisor):
    u = send(application)
    with pytest.raises(Invalid, match="未过"):
        services.urging_escalate(urging=u, now=at(2025, 10, 14))
    u = services.urging_escalate(urging=u, now=at(2025, 10, 15))
    assert u.status == "escalated" and u.escalated_at == at(2025, 10, 15)
    with pytest.raises(Invalid, match="办结意见"):
        services.urging_close(urging=u, comment="", acting_user=supervisor, now=at(2025, 10, 16))
    u = services.urging_close(
        urging=u, comment="已约谈该镇分管负责人。", acting_user=supervisor, now=at(2025, 10, 16)
    )
    assert u.status == "closed"
    with pytest.raises(WrongState, match="已办结"):
        services.urging_close(urging=u, comment="x", acting_user=supervisor, now=at(2025, 10, 17))


def test_numbers_run_per_sender_and_year(send, org, other_org):
    a, b = overdue_application(org), overdue_application(other_org)
    assert [send(a).number, send(b).number] == [1, 2]
    c = overdue_application(org)
    assert send(c, now=at(2026, 1, 5)).number == 1  # a new year starts again
