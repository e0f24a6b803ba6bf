from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

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
