"""Services: the reply period on the working-day calendar (hand-computed across
the 2025 National Day holiday), each transition, permissions and masking."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.core.errors import Forbidden, Invalid, WrongState

from .. import services
from ..models import Inquiry, InquirySettings
from .conftest import ASKER, EMAIL, ID_NUMBER, PHONE, at

pytestmark = pytest.mark.django_db


# 2025 schedule (国办发明电〔2024〕12号): 10月1日至8日放假, 9月28日(周日)、10月11日(周六)上班.


def test_default_period_ten_working_days_across_national_day(ask):
    q = ask()
    # Tue 30 Sep; counting starts the next working day: 9 Oct (1), 10 (2), Sat 11
    # (调休, 3), 13 (4), 14 (5), 15 (6), 16 (7), 17 (8), 20 (9), 21 (10).
    assert q.received_on == dt.date(2025, 9, 30)
    assert q.due_on == dt.date(2025, 10, 21)
    assert q.due_provisional is False
    assert q.status == "received"
    assert len(q.tracking_code) == 12


def test_body_setting_five_working_days(ask, org, org_admin):
    services.inquiry_settings_save(
        organization=org,
        reply_workdays=5,
        signature="unit",
        acting_user=org_admin,
        now=at(2025, 9, 1),
    )
    # 9, 10, 11 (Sat, 调休), 13, 14 October.
    assert ask().due_on == dt.date(2025, 10, 14)


def test_received_on_a_saturday_counts_the_sunday_makeup_day(ask):
    # Sat 27 Sep: Sun 28 is a working day (调休): 28 (1), 29 (2), 30 (3), 9 Oct (4),
    # 10 (5), 11 (6), 13 (7), 14 (8), 15 (9), 16 (10).
    assert ask(now=at(2025, 9, 27)).due_on == dt.date(2025, 10, 16)


def test_received_late_evening_counts_local_day(ask):
    # 23:30 in Beijing is still 30 September (15:30 UTC).
    q = ask(now=at(2025, 9, 30, 23) + dt.timedelta(minutes=30))
    assert q.received_on == dt.date(2025, 9, 30)


def test_submit_collects_every_error(org):
    with pytest.raises(Invalid) as exc:
        services.inquiry_submit(
            organization=org,
            kind="petition",
            subject="",
            content="",
            asker_name="",
            phone="12",
            email="not-an-email",
            now=at(2025, 9, 30),
        )
    assert set(exc.value.message_dict) == {
        "kind",
        "subject",
        "content",
        "asker_name",
        "phone",
        "email",
    }
    assert Inquiry.objects.count() == 0


def test_submit_writes_audit_row(ask):
    q = ask()
    event = AuditEvent.objects.get(verb="inquiry.submit")
    assert event.object_id == str(q.pk)
    assert event.actor is None
    assert event.data["due_on"] == "2025-10-21"


def test_route_answer_on_time(ask, clerk, unit, unit_staff):
    q = ask()
    q = services.inquiry_route(inquiry=q, unit=unit, acting_user=clerk, now=at(2025, 10, 9))
    assert q.status == "routed" and q.unit == unit
    q = services.inquiry_answer(
        inquiry=q, answer="请到便民服务中心办理。", acting_user=unit_staff, now=at(2025, 10, 21, 16)
    )
    assert q.status == "answered"
    assert q.answered_on == dt.date(2025, 10, 21)
    assert q.answered_on_time() is True
    # Signed with the unit's name (the default setting).
    assert q.answered_by_label == "党政办公室"
    event = AuditEvent.objects.get(verb="inquiry.answer")
    assert (event.from_state, event.to_state) == ("routed", "answered")
    assert event.data["on_time"] is True


def test_answer_after_due_date_is_late(ask, clerk):
    q = services.inquiry_answer(
        inquiry=ask(), answer="答复。", acting_user=clerk, now=at(2025, 10, 22)
    )
    assert q.answered_on_time() is False


def test_signature_by_person_setting(ask, org, org_admin, clerk):
    services.inquiry_settings_save(
        organization=org,
        reply_workdays=10,
        signature="person",
        acting_user=org_admin,
        now=at(2025, 9, 1),
    )
    q = services.inquiry_answer(
        inquiry=ask(), answer="答复。", acting_user=clerk, now=at(2025, 10, 9)
    )
    assert q.answered_by_label == clerk.get_full_name()
    assert q.answered_by_label


def test_unit_staff_of_another_unit_may_not_answer(ask, clerk, org, unit_staff):
    from gongkai.organizations.factories import UnitFactory

    other_unit = UnitFactory(organization=org, name="经济发展办公室")
    q = services.inquiry_route(
        inquiry=ask(), unit=other_unit, acting_user=clerk, now=at(2025, 10, 9)
    )
    with pytest.raises(Forbidden):
        services.inquiry_answer(inquiry=q, answer="x", acting_user=unit_staff, now=at(2025, 10, 9))


def test_unit_staff_may_not_route_reject_or_publish(ask, unit, unit_staff, clerk):
    q = ask()
    with pytest.raises(Forbidden):
        services.inquiry_route(inquiry=q, unit=unit, acting_user=unit_staff, now=at(2025, 10, 9))
    q = services.inquiry_route(inquiry=q, unit=unit, acting_user=clerk, now=at(2025, 10, 9))
    with pytest.raises(Forbidden):
        services.inquiry_reject(inquiry=q, reason="x", acting_user=unit_staff, now=at(2025, 10, 9))
    q = services.inquiry_answer(
        inquiry=q, answer="答复。", acting_user=unit_staff, now=at(2025, 10, 9)
    )
    with pytest.raises(Forbidden):
        services.inquiry_publish(inquiry=q, acting_user=unit_staff, now=at(2025, 10, 9))


def test_other_bodys_clerk_refused(ask, other_clerk, unit):
    q = ask()
    with pytest.raises(Forbidden):
        services.inquiry_route(inquiry=q, unit=None, acting_user=other_clerk, now=at(2025, 10, 9))
    with pytest.raises(Forbidden):
        services.inquiry_answer(inquiry=q, answer="x", acting_user=other_clerk, now=at(2025, 10, 9))


def test_route_to_another_bodys_unit_refused(ask, clerk, other_org):
    from gongkai.organizations.factories import UnitFactory

    foreign = UnitFactory(organization=other_org, name="党政办公室")
    with pytest.raises(Invalid):
        services.inquiry_route(inquiry=ask(), unit=foreign, acting_user=clerk, now=at(2025, 10, 9))
    assert Inquiry.objects.get().status == "received"


def test_supervisor_may_not_answer(ask, supervisor):
    with pytest.raises(Forbidden):
        services.inquiry_answer(
            inquiry=ask(), answer="x", acting_user=supervisor, now=at(2025, 10, 9)
        )


def test_publish_masks_personal_data(ask, clerk):
    q = services.inquiry_answer(
        inquiry=ask(),
        answer=f"{ASKER}您好，请到便民服务中心办理。",
        acting_user=clerk,
        now=at(2025, 10, 9),
    )
    q = services.inquiry_publish(inquiry=q, acting_user=clerk, now=at(2025, 10, 9, 16))
    assert q.status == "published"
    public = q.public_subject + q.public_content + q.public_answer
    for secret in (ASKER, PHONE, ID_NUMBER, EMAIL):
        assert secret not in public
    assert "王**" in q.public_content and "王**您好" in q.public_answer
    assert q.masked_name == "王**"
    assert q.published_at == at(2025, 10, 9, 16)


def test_publish_uses_clerks_edited_text(ask, clerk):
    q = services.inquiry_answer(
        inquiry=ask(), answer="请到便民服务中心办理。", acting_user=clerk, now=at(2025, 10, 9)
    )
    q = services.inquiry_publish(
        inquiry=q,
        acting_user=clerk,
        now=at(2025, 10, 9),
        public_subject="高龄津贴申请",
        public_content="请问高龄津贴怎么申请？",
    )
    assert q.public_subject == "高龄津贴申请"
    assert q.public_content == "请问高龄津贴怎么申请？"
    assert q.public_answer == "请到便民服务中心办理。"


def test_publish_refused_without_consent(ask, clerk):
    q = services.inquiry_answer(
        inquiry=ask(consent_publish=False), answer="答复。", acting_user=clerk, now=at(2025, 10, 9)
    )
    with pytest.raises(Invalid, match="未同意公开"):
        services.inquiry_publish(inquiry=q, acting_user=clerk, now=at(2025, 10, 9))
    q.refresh_from_db()
    assert q.status == "answered" and q.public_content == ""
    q = services.inquiry_withhold(inquiry=q, acting_user=clerk, now=at(2025, 10, 9))
    assert q.status == "not_published"


def test_publish_before_answer_refused(ask, clerk):
    with pytest.raises(WrongState):
        services.inquiry_publish(inquiry=ask(), acting_user=clerk, now=at(2025, 10, 9))


def test_unpublish_and_publish_again(ask, clerk):
    q = services.inquiry_answer(
        inquiry=ask(), answer="答复。", acting_user=clerk, now=at(2025, 10, 9)
    )
    q = services.inquiry_publish(inquiry=q, acting_user=clerk, now=at(2025, 10, 9))
    q = services.inquiry_unpublish(inquiry=q, acting_user=clerk, now=at(2025, 10, 10))
    assert q.status == "not_published" and q.published_at is None
    q = services.inquiry_publish(inquiry=q, acting_user=clerk, now=at(2025, 10, 11))
    assert q.status == "published"


def test_reject_needs_reason_and_is_final(ask, clerk):
    q = ask()
    with pytest.raises(Invalid):
        services.inquiry_reject(inquiry=q, reason=" ", acting_user=clerk, now=at(2025, 10, 9))
    q = services.inquiry_reject(
        inquiry=q, reason="商业广告", acting_user=clerk, now=at(2025, 10, 9)
    )
    assert q.status == "rejected" and q.reject_reason == "商业广告"
    with pytest.raises(WrongState, match="不予受理"):
        services.inquiry_answer(inquiry=q, answer="x", acting_user=clerk, now=at(2025, 10, 9))


def test_settings_range_and_permission(org, clerk, office_head):
    with pytest.raises(Forbidden):
        services.inquiry_settings_save(
            organization=org,
            reply_workdays=5,
            signature="unit",
            acting_user=clerk,
            now=at(2025, 1, 1),
        )
    with pytest.raises(Invalid):
        services.inquiry_settings_save(
            organization=org,
            reply_workdays=0,
            signature="unit",
            acting_user=office_head,
            now=at(2025, 1, 1),
        )
    saved = services.inquiry_settings_save(
        organization=org,
        reply_workdays=15,
        signature="person",
        acting_user=office_head,
        now=at(2025, 1, 1),
    )
    assert (
        InquirySettings.objects.get(organization=org).reply_workdays == 15 == saved.reply_workdays
    )
    assert AuditEvent.objects.filter(verb="inquiry.settings").count() == 1


def test_scrub_masks_phone_written_with_separators(ask):
    q = ask()
    scrubbed = services.scrub("电话139-1234-5678，或 139 1234 5678", q)
    assert "1234" not in scrubbed
    assert services.leaks(scrubbed, q) == []
    assert services.leaks("电话139-1234-5678", q) != []
