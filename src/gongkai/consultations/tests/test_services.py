"""Services: period rules (hand-computed dates), the approval steps, comments within
the period only, moderation and decisions with reasons, the published 采纳情况."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gongkai.audit.models import AuditEvent
from gongkai.consultations.models import Comment, Consultation, ConsultationSettings
from gongkai.consultations.selectors import (
    consultation_for_item,
    feedback,
    feedback_due,
    year_counts,
)
from gongkai.consultations.services import (
    comment_decide,
    comment_moderate,
    comment_record,
    consultation_approve,
    consultation_create,
    consultation_publish_feedback,
    consultation_return,
    consultation_submit,
    consultation_update,
    default_end,
    settings_for,
    settings_save,
)
from gongkai.core.errors import Forbidden, WrongState
from gongkai.disclosure.factories import ItemFactory, PublishedItemFactory

from .conftest import at, draft

pytestmark = pytest.mark.django_db


def messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- period rules ------------------------------------------------------------------


def test_default_end_dates_are_hand_computed(org):
    s = settings_for(org)
    # Major: 30 days, the start day not counted: 1 March + 30 = 31 March.
    assert default_end(start_on=dt.date(2025, 3, 1), is_major=True, settings=s) == dt.date(
        2025, 3, 31
    )
    # Crossing February of a leap year: 15 Feb 2024 + 30 = 16 March 2024.
    assert default_end(start_on=dt.date(2024, 2, 15), is_major=True, settings=s) == dt.date(
        2024, 3, 16
    )
    # Ordinary: the body's default, 15 days: 20 Dec 2025 + 15 = 4 Jan 2026.
    assert default_end(start_on=dt.date(2025, 12, 20), is_major=False, settings=s) == dt.date(
        2026, 1, 4
    )


def test_major_decision_needs_thirty_days(org, clerk):
    # 1 March to 30 March is 29 days (start day not counted): refused.
    with pytest.raises(ValidationError) as exc:
        consultation_create(
            organization=org,
            acting_user=clerk,
            draft=draft(is_major=True, start_on=dt.date(2025, 3, 1), end_on=dt.date(2025, 3, 30)),
            now=at(dt.date(2025, 2, 27)),
        )
    assert "不少于30日" in messages(exc.value) and "29日" in messages(exc.value)
    # 1 March to 31 March is 30 days: accepted.
    c = consultation_create(
        organization=org,
        acting_user=clerk,
        draft=draft(is_major=True, start_on=dt.date(2025, 3, 1), end_on=dt.date(2025, 3, 31)),
        now=at(dt.date(2025, 2, 27)),
    )
    assert c.period_days == 30


def test_major_decision_shorter_only_with_public_explanation(org, clerk):
    c = consultation_create(
        organization=org,
        acting_user=clerk,
        draft=draft(
            is_major=True,
            start_on=dt.date(2025, 7, 1),
            end_on=dt.date(2025, 7, 11),
            shortened_reason="汛期临近，防汛物资储备方案须于7月中旬前确定。",
        ),
        now=at(dt.date(2025, 6, 30)),
    )
    assert c.period_days == 10 and c.shortened_reason.startswith("汛期")
    with pytest.raises(ValidationError, match="只有重大行政决策"):
        consultation_create(
            organization=org,
            acting_user=clerk,
            draft=draft(shortened_reason="情况紧急"),
            now=at(dt.date(2025, 2, 27)),
        )


def test_ordinary_minimum_is_the_body_setting(org, clerk, org_admin):
    # Default minimum 7 days: 1 to 7 March is 6 days.
    with pytest.raises(ValidationError, match="不得少于7日"):
        consultation_create(
            organization=org,
            acting_user=clerk,
            draft=draft(start_on=dt.date(2025, 3, 1), end_on=dt.date(2025, 3, 7)),
            now=at(dt.date(2025, 2, 27)),
        )
    assert (
        consultation_create(
            organization=org,
            acting_user=clerk,
            draft=draft(start_on=dt.date(2025, 3, 1), end_on=dt.date(2025, 3, 8)),
            now=at(dt.date(2025, 2, 27)),
        ).period_days
        == 7
    )
    settings_save(
        organization=org, acting_user=org_admin, ordinary_min_days=10, ordinary_default_days=20,
        feedback_workdays=15, now=at(dt.date(2025, 2, 27)),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="不得少于10日"):
        consultation_create(
            organization=org,
            acting_user=clerk,
            draft=draft(start_on=dt.date(2025, 3, 1), end_on=dt.date(2025, 3, 8)),
            now=at(dt.date(2025, 2, 27)),
        )
    assert AuditEvent.objects.filter(verb="consultation.settings").count() == 1


def test_settings_refuse_default_below_minimum_and_clerks(org, clerk, org_admin):
    with pytest.raises(ValidationError, match="默认征求意见期不能短于"):
        settings_save(organization=org, acting_user=org_admin, ordinary_min_days=10,
                      ordinary_default_days=5, feedback_workdays=20, now=at(dt.date(2025, 1, 2)))  # fmt: skip
    with pytest.raises(Forbidden):
        settings_save(organization=org, acting_user=clerk, ordinary_min_days=10,
                      ordinary_default_days=15, feedback_workdays=20, now=at(dt.date(2025, 1, 2)))  # fmt: skip
    assert not ConsultationSettings.objects.exists()


def test_draft_needs_explanation_and_a_way_to_comment(org, clerk):
    with pytest.raises(ValidationError) as exc:
        consultation_create(
            organization=org,
            acting_user=clerk,
            draft=draft(explanation=" ", accepts_online=False, mail_address="", email=""),
            now=at(dt.date(2025, 2, 27)),
        )
    assert set(exc.value.message_dict) == {"explanation", "accepts_online"}


def test_html_body_is_sanitised(org, clerk):
    c = consultation_create(
        organization=org,
        acting_user=clerk,
        draft=draft(body="<p>第一条</p><script>alert(1)</script>", body_format="html"),
        now=at(dt.date(2025, 2, 27)),
    )
    assert "<script>" not in c.body and "<p>第一条</p>" in c.body


# --- approval ----------------------------------------------------------------------


def test_workflow_and_audit(org, clerk, approver):
    c = consultation_create(organization=org, acting_user=clerk, draft=draft(),
                            now=at(dt.date(2025, 2, 26)))  # fmt: skip
    with pytest.raises(Forbidden):
        consultation_submit(consultation=c, acting_user=approver, now=at(dt.date(2025, 2, 26)))
    c = consultation_submit(consultation=c, acting_user=clerk, now=at(dt.date(2025, 2, 26)))
    with pytest.raises(Forbidden):
        consultation_approve(consultation=c, acting_user=clerk, now=at(dt.date(2025, 2, 27)))
    with pytest.raises(ValidationError, match="写明需要修改"):
        consultation_return(consultation=c, acting_user=approver, comment=" ",
                            now=at(dt.date(2025, 2, 27)))  # fmt: skip
    c = consultation_return(consultation=c, acting_user=approver, comment="请补充附件。",
                            now=at(dt.date(2025, 2, 27)))  # fmt: skip
    assert c.status == "returned"
    c = consultation_update(consultation=c, acting_user=clerk, draft=draft(title="新标题"),
                            now=at(dt.date(2025, 2, 27)))  # fmt: skip
    c = consultation_submit(consultation=c, acting_user=clerk, now=at(dt.date(2025, 2, 27)))
    c = consultation_approve(consultation=c, acting_user=approver, now=at(dt.date(2025, 2, 28)))
    assert c.status == "published" and c.published_at == at(dt.date(2025, 2, 28))
    verbs = list(AuditEvent.objects.order_by("pk").values_list("verb", flat=True))
    assert verbs == [
        "consultation.create", "consultation.submit", "consultation.return",
        "consultation.update", "consultation.submit", "consultation.approve",
    ]  # fmt: skip
    with pytest.raises(ValidationError, match="不能修改"):
        consultation_update(consultation=c, acting_user=clerk, draft=draft(),
                            now=at(dt.date(2025, 2, 28)))  # fmt: skip
    with pytest.raises(WrongState):
        consultation_approve(consultation=c, acting_user=approver, now=at(dt.date(2025, 2, 28)))


def test_period_cannot_start_before_publication(org, clerk, approver):
    c = consultation_create(organization=org, acting_user=clerk, draft=draft(),
                            now=at(dt.date(2025, 2, 20)))  # fmt: skip
    consultation_submit(consultation=c, acting_user=clerk, now=at(dt.date(2025, 2, 20)))
    with pytest.raises(ValidationError, match="早于发布日期"):
        consultation_approve(consultation=c, acting_user=approver, now=at(dt.date(2025, 3, 2)))
    c.refresh_from_db()
    assert c.status == "in_approval"


def test_other_body_clerk_cannot_draft(org, other_clerk):
    with pytest.raises(Forbidden):
        consultation_create(organization=org, acting_user=other_clerk, draft=draft(),
                            now=at(dt.date(2025, 2, 27)))  # fmt: skip


# --- comments ----------------------------------------------------------------------


def test_comments_only_within_the_period(make_published, comment_on):
    c = make_published()  # 1 to 31 March 2025
    with pytest.raises(ValidationError, match="将于2025年03月01日开始"):
        comment_on(c, day=dt.date(2025, 2, 28))
    assert comment_on(c, day=dt.date(2025, 3, 1)).received_on == dt.date(2025, 3, 1)
    assert comment_on(c, day=dt.date(2025, 3, 31)).received_on == dt.date(2025, 3, 31)
    with pytest.raises(ValidationError, match="已于2025年03月31日截止，不再接受意见"):
        comment_on(c, day=dt.date(2025, 4, 1))
    assert Comment.objects.count() == 2
    assert AuditEvent.objects.filter(verb="comment.submit", actor=None).count() == 2


def test_online_comment_needs_consent_and_content(make_published, comment_on):
    c = make_published()
    with pytest.raises(ValidationError) as exc:
        comment_on(c, content=" ", consented=False, day=dt.date(2025, 3, 2))
    assert set(exc.value.message_dict) == {"content", "consented"}


def test_clerk_records_other_channels(make_published, clerk, other_clerk):
    c = make_published()
    letter = comment_record(
        consultation=c, channel="mail", content="建议延长保洁员服务时间。",
        received_on=dt.date(2025, 3, 31), name="王某", contact="甘河滩镇东村",
        acting_user=clerk, now=at(dt.date(2025, 4, 2)),
    )  # fmt: skip
    assert letter.channel == "mail" and letter.created_by == clerk
    with pytest.raises(ValidationError, match="须在征求意见期内"):
        comment_record(consultation=c, channel="email", content="迟到的意见",
                       received_on=dt.date(2025, 4, 1), acting_user=clerk,
                       now=at(dt.date(2025, 4, 2)))  # fmt: skip
    with pytest.raises(ValidationError, match="请选择信函"):
        comment_record(consultation=c, channel="online", content="x",
                       received_on=dt.date(2025, 3, 3), acting_user=clerk,
                       now=at(dt.date(2025, 4, 2)))  # fmt: skip
    with pytest.raises(Forbidden):
        comment_record(consultation=c, channel="fax", content="x",
                       received_on=dt.date(2025, 3, 3), acting_user=other_clerk,
                       now=at(dt.date(2025, 4, 2)))  # fmt: skip


def test_moderation_and_decisions(make_published, comment_on, clerk, other_clerk):
    c = make_published()
    good = comment_on(c, day=dt.date(2025, 3, 5), content="建议每村增设两个垃圾分类投放点。")
    spam = comment_on(c, day=dt.date(2025, 3, 6), content="低价出售二手车，电话13812345678")
    with pytest.raises(ValidationError, match="不予受理时请填写理由"):
        comment_moderate(comment=spam, accept=False, acting_user=clerk, now=at(dt.date(2025, 3, 7)))
    with pytest.raises(Forbidden):
        comment_moderate(comment=good, accept=True, acting_user=other_clerk,
                         now=at(dt.date(2025, 3, 7)))  # fmt: skip
    spam = comment_moderate(comment=spam, accept=False, reason="广告信息，与征求意见内容无关",
                            acting_user=clerk, now=at(dt.date(2025, 3, 7)))  # fmt: skip
    good = comment_moderate(
        comment=good, accept=True, acting_user=clerk, now=at(dt.date(2025, 3, 7))
    )
    assert (good.status, spam.status) == ("accepted", "rejected")
    # Decisions only after the period.
    with pytest.raises(ValidationError, match="结束后才能登记采纳情况"):
        comment_decide(comment=good, decision="adopted", acting_user=clerk,
                       now=at(dt.date(2025, 3, 31)))  # fmt: skip
    for decision in ("not_adopted", "partly"):
        with pytest.raises(ValidationError, match="须说明理由"):
            comment_decide(comment=good, decision=decision, reason="  ", acting_user=clerk,
                           now=at(dt.date(2025, 4, 1)))  # fmt: skip
    with pytest.raises(WrongState):
        comment_decide(comment=spam, decision="adopted", acting_user=clerk,
                       now=at(dt.date(2025, 4, 1)))  # fmt: skip
    with pytest.raises(ValidationError, match="请填写意见摘要"):
        comment_decide(comment=good, decision="adopted", acting_user=clerk,
                       now=at(dt.date(2025, 4, 1)))  # fmt: skip
    good = comment_decide(comment=good, decision="adopted", summary="增设垃圾分类投放点",
                          acting_user=clerk, now=at(dt.date(2025, 4, 1)))  # fmt: skip
    assert good.decision == "adopted" and good.summary == "增设垃圾分类投放点"


def test_summary_is_masked_of_personal_data(make_published, comment_on, clerk):
    c = make_published()
    comment = comment_on(c, day=dt.date(2025, 3, 5), name="张三丰", contact="zsf@example.com",
                         content="建议取消收费。")  # fmt: skip
    comment_moderate(comment=comment, accept=True, acting_user=clerk, now=at(dt.date(2025, 3, 7)))
    # The clerk copied too much: the scanner masks the phone number, the comment
    # masks its own author's name and contact.
    comment = comment_decide(comment=comment, decision="not_adopted",
                             reason="保洁费用由镇财政承担，本方案未设收费项目。",
                             summary="张三丰（电话13812345678，zsf@example.com）建议取消收费",
                             acting_user=clerk, now=at(dt.date(2025, 4, 1)))  # fmt: skip
    for personal in ("13812345678", "张三丰", "zsf@example.com"):
        assert personal not in comment.summary
    assert "建议取消收费" in comment.summary and comment.summary.startswith("张**")


# --- the 采纳情况 -------------------------------------------------------------------


@pytest.fixture
def decided(make_published, comment_on, clerk):
    c = make_published()
    a = comment_on(c, day=dt.date(2025, 3, 5), content="建议每村增设两个垃圾分类投放点。")
    b = comment_on(c, day=dt.date(2025, 3, 9), content="建议取消农户卫生费。")
    letter = comment_record(consultation=c, channel="mail", content="建议公开保洁员考核结果。",
                            received_on=dt.date(2025, 3, 20), acting_user=clerk,
                            now=at(dt.date(2025, 3, 22)))  # fmt: skip
    spam = comment_on(c, day=dt.date(2025, 3, 10), content="出售二手农机")
    for x in (a, b, letter):
        comment_moderate(comment=x, accept=True, acting_user=clerk, now=at(dt.date(2025, 3, 25)))
    comment_moderate(comment=spam, accept=False, reason="广告", acting_user=clerk,
                     now=at(dt.date(2025, 3, 25)))  # fmt: skip
    later = at(dt.date(2025, 4, 2))
    comment_decide(comment=a, decision="adopted", summary="增设投放点", acting_user=clerk,
                   now=later)  # fmt: skip
    comment_decide(comment=b, decision="not_adopted", reason="本方案未设收费项目。",
                   summary="建议取消卫生费", acting_user=clerk, now=later)  # fmt: skip
    return c, letter


def test_feedback_refused_until_everything_is_decided(decided, clerk, org):
    c, letter = decided
    final = PublishedItemFactory(organization=org, title="甘河滩镇农村人居环境整治三年行动方案")
    with pytest.raises(ValidationError) as exc:
        consultation_publish_feedback(consultation=c, final_item=final, acting_user=clerk,
                                      now=at(dt.date(2025, 4, 3)))  # fmt: skip
    assert "尚未登记采纳情况" in messages(exc.value)
    comment_decide(comment=letter, decision="partly", reason="考核结果按村公示，不在网站公开个人。",
                   summary="公开保洁员考核结果", acting_user=clerk, now=at(dt.date(2025, 4, 3)))  # fmt: skip
    # The final decision: a published item of the same body.
    draft_item = ItemFactory(organization=org)
    with pytest.raises(ValidationError, match="本机关已公开"):
        consultation_publish_feedback(consultation=c, final_item=draft_item, acting_user=clerk,
                                      now=at(dt.date(2025, 4, 3)))  # fmt: skip
    c = consultation_publish_feedback(consultation=c, final_item=final, summary="共采纳1条。",
                                      acting_user=clerk, now=at(dt.date(2025, 4, 3)))  # fmt: skip
    assert c.status == "concluded" and c.final_item == final
    assert consultation_for_item(final) == c
    assert consultation_for_item(PublishedItemFactory(organization=org)) is None
    fb = feedback(c)
    assert (fb.received, fb.rejected, fb.adopted, fb.partly, fb.not_adopted) == (4, 1, 1, 1, 1)
    assert fb.by_channel == [("网上留言", 3), ("信函", 1)]
    assert [p.decision for p in fb.reasoned] == ["not_adopted", "partly"]
    # Final: no more decisions.
    with pytest.raises(ValidationError, match="已经公布"):
        comment_decide(comment=letter, decision="adopted", summary="公开考核结果",
                       acting_user=clerk, now=at(dt.date(2025, 4, 4)))  # fmt: skip


def test_feedback_not_before_the_period_ends(make_published, clerk, org):
    c = make_published()
    final = PublishedItemFactory(organization=org)
    with pytest.raises(ValidationError, match="期满后才能公布"):
        consultation_publish_feedback(consultation=c, final_item=final, acting_user=clerk,
                                      now=at(dt.date(2025, 3, 31)))  # fmt: skip


def test_feedback_due_counts_working_days(make_published):
    # Ends Monday 31 March 2025.  Working days from 1 April: 1-3 April (3; 清明 4-6
    # April off), 7-11 (8), 14-18 (13), 21-25 (18), Sunday 27 April (19: made a
    # working day for 劳动节), Monday 28 April (20).
    c = make_published()
    assert feedback_due(c) == dt.date(2025, 4, 28)


def test_year_counts(decided, clerk):
    c, letter = decided
    counts = year_counts(organization=c.organization, year=2025)
    assert (counts.published, counts.comments, counts.adopted) == (1, 4, 1)
    assert year_counts(organization=c.organization, year=2024).published == 0
    assert Consultation.objects.count() == 1
