from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.appeals.services import appeal_decide, appeal_file
from gongkai.applications.tests.factories import receive
from gongkai.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def file(org, user, **kw):
    args = {
        "organization": org,
        "kind": "reconsideration",
        "filed_on": date(2024, 11, 1),
        "authority": "测试区人民政府",
        "acting_user": user,
    }
    args.update(kw)
    return appeal_file(**args)


def test_file_and_decide_are_audited(org, clerk):
    application = receive(org, user=clerk)
    rec = file(org, clerk, application=application, case_number="复〔2024〕1号")
    assert not rec.is_decided
    appeal_decide(appeal=rec, result="upheld", decided_on=date(2024, 12, 20), acting_user=clerk)
    rec.refresh_from_db()
    assert (rec.result, rec.decided_on) == ("upheld", date(2024, 12, 20))
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="appeal.").values_list("verb", "to_state")
    )
    assert sorted(verbs) == [("appeal.decide", "decided"), ("appeal.file", "pending")]
    suit = file(
        org,
        clerk,
        kind="litigation_after",
        follows=rec,
        filed_on=date(2025, 1, 2),
        authority="测试区人民法院",
    )
    assert suit.follows == rec


def test_decide_twice_is_refused(org, clerk):
    rec = file(org, clerk)
    appeal_decide(appeal=rec, result="corrected", decided_on=date(2024, 12, 1), acting_user=clerk)
    with pytest.raises(ValidationError, match="已经审结"):
        appeal_decide(appeal=rec, result="upheld", decided_on=date(2024, 12, 2), acting_user=clerk)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"kind": "appeal_to_heaven"}, "请选择行政复议"),
        ({"authority": " "}, "复议机关或受理法院"),
        ({"kind": "litigation_after"}, "须选择前置的行政复议"),
    ],
)
def test_file_refusals(org, clerk, kw, message):
    with pytest.raises(ValidationError, match=message):
        file(org, clerk, **kw)


def test_litigation_after_needs_a_decided_reconsideration(org, clerk):
    rec = file(org, clerk)
    with pytest.raises(ValidationError, match="尚未审结"):
        file(org, clerk, kind="litigation_after", follows=rec, authority="法院")


def test_decision_before_filing_is_refused(org, clerk):
    rec = file(org, clerk)
    with pytest.raises(ValidationError, match="不能早于"):
        appeal_decide(appeal=rec, result="upheld", decided_on=date(2024, 10, 1), acting_user=clerk)
    with pytest.raises(ValidationError, match="请选择结果"):
        appeal_decide(appeal=rec, result="", decided_on=date(2024, 12, 1), acting_user=clerk)


def test_application_of_another_body_is_refused(org, other_org, clerk, other_clerk):
    foreign = receive(other_org, user=other_clerk)
    with pytest.raises(ValidationError, match="不属于该机关"):
        file(org, clerk, application=foreign)


def test_supervisor_and_strangers_cannot_record(org, supervisor, other_clerk):
    for user in (supervisor, other_clerk):
        with pytest.raises(PermissionError):
            file(org, user)


def test_future_dates_are_refused(org, clerk, time_machine):
    time_machine.move_to("2025-03-14 10:00 +08:00", tick=False)
    with pytest.raises(ValidationError, match="晚于今天"):
        file(org, clerk, filed_on=date(2025, 3, 15))
    appeal = file(org, clerk, filed_on=date(2025, 3, 14))
    with pytest.raises(ValidationError, match="晚于今天"):
        appeal_decide(
            appeal=appeal, result="upheld", decided_on=date(2025, 3, 17), acting_user=clerk
        )
    appeal.refresh_from_db()
    assert appeal.result == ""


def test_the_audit_rows_are_as_before(org, clerk):
    rec = file(org, clerk, note="首次")
    appeal_decide(
        appeal=rec,
        result="corrected",
        decided_on=date(2024, 12, 20),
        acting_user=clerk,
        note="撤销原答复",
    )
    filed, decided = AuditEvent.objects.filter(verb__startswith="appeal.").order_by("id")
    assert (filed.actor, filed.organization, filed.object_id) == (clerk, org, str(rec.pk))
    assert (filed.from_state, filed.to_state, filed.comment) == ("", "pending", "")
    assert filed.data == {"kind": "reconsideration", "filed_on": "2024-11-01"}
    assert (decided.actor, decided.organization, decided.object_id) == (clerk, org, str(rec.pk))
    assert (decided.from_state, decided.to_state, decided.comment) == ("pending", "decided", "")
    assert decided.data == {"result": "corrected", "decided_on": "2024-12-20"}
    rec.refresh_from_db()
    assert rec.note == "首次\n撤销原答复"


def test_dates_are_checked_against_now_not_the_clock(org, clerk):
    # A service takes now; 14 March 2025 (+08:00) is "today" whatever the machine says.
    now = datetime(2025, 3, 14, 2, 0, tzinfo=UTC)
    with pytest.raises(ValidationError, match="晚于今天"):
        file(org, clerk, filed_on=date(2025, 3, 15), now=now)
    appeal = file(org, clerk, filed_on=date(2025, 3, 14), now=now)
    with pytest.raises(ValidationError, match="晚于今天"):
        appeal_decide(
            appeal=appeal, result="upheld", decided_on=date(2025, 3, 15), acting_user=clerk, now=now
        )
    appeal_decide(
        appeal=appeal, result="upheld", decided_on=date(2025, 3, 14), acting_user=clerk, now=now
    )
    appeal.refresh_from_db()
    assert appeal.decided_on == date(2025, 3, 14)


def test_the_role_is_checked_before_the_state(org, clerk, supervisor):
    rec = file(org, clerk)
    appeal_decide(appeal=rec, result="upheld", decided_on=date(2024, 12, 1), acting_user=clerk)
    # A decided case, and a user who may not record: the refusal is about the role.
    with pytest.raises(PermissionDenied, match="没有登记行政复议、行政诉讼的权限"):
        appeal_decide(
            appeal=rec, result="other", decided_on=date(2024, 12, 2), acting_user=supervisor
        )
    with pytest.raises(PermissionDenied):
        file(org, supervisor)
