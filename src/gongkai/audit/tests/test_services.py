import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from gongkai.audit.selectors import events_for, events_for_organization
from gongkai.audit.services import audit_record
from gongkai.organizations.models import Organization, Unit

pytestmark = pytest.mark.django_db


def test_audit_record_fields(org, clerk, unit):
    event = audit_record(
        actor=clerk,
        organization=org,
        verb="unit.rename",
        obj=unit,
        from_state="draft",
        to_state="published",
        comment="理由",
        data={"old": "a", "when": __import__("datetime").date(2024, 1, 2)},
    )
    event.refresh_from_db()
    assert event.actor == clerk
    assert event.actor_repr == "clerk"
    assert event.organization == org
    assert event.content_type == ContentType.objects.get_for_model(Unit)
    assert event.object_id == str(unit.pk)
    assert event.object_repr == "党政办公室"
    assert (event.from_state, event.to_state, event.comment) == ("draft", "published", "理由")
    assert event.data == {"old": "a", "when": "2024-01-02"}
    assert event.created_at is not None


def test_anonymous_actor_stored_as_none(org):
    event = audit_record(actor=AnonymousUser(), organization=org, verb="application.submit")
    assert event.actor is None and event.actor_repr == ""
    assert audit_record(actor=None, organization=None, verb="system.job").organization is None


def test_refuses_missing_verb_and_unsaved_object(org):
    with pytest.raises(ValueError):
        audit_record(actor=None, organization=org, verb="")
    with pytest.raises(ValueError):
        audit_record(actor=None, organization=org, verb="x", obj=Organization(name="n"))


def test_events_for_object_oldest_first(org, other_org, clerk):
    first = audit_record(actor=clerk, organization=org, verb="a", obj=org)
    audit_record(actor=clerk, organization=other_org, verb="b", obj=other_org)
    second = audit_record(actor=clerk, organization=org, verb="c", obj=org)
    assert list(events_for(org)) == [first, second]


def test_events_for_organization_filters(org, other_org, clerk, time_machine):
    time_machine.move_to("2024-03-01 10:00 +08:00", tick=False)
    audit_record(actor=clerk, organization=org, verb="item.create")
    time_machine.move_to("2024-03-05 23:30 +08:00", tick=False)  # 15:30 UTC, local date 5 March
    late = audit_record(actor=clerk, organization=org, verb="item.publish")
    audit_record(actor=clerk, organization=other_org, verb="item.publish")
    import datetime as dt

    assert events_for_organization(org).count() == 2
    assert list(events_for_organization(org, verb="item.publish")) == [late]
    assert list(events_for_organization(org, date_from=dt.date(2024, 3, 5))) == [late]
    assert events_for_organization(org, date_to=dt.date(2024, 3, 4)).count() == 1


def test_audit_record_takes_the_services_clock(org, clerk):
    # One clock (review of #9, F11): a service that takes ``now`` stamps its audit
    # row with it; without ``at`` the row gets the wall clock.
    from datetime import datetime

    from django.utils import timezone

    at = timezone.make_aware(datetime(2025, 2, 5, 10))
    event = audit_record(actor=clerk, organization=org, verb="report.submit", at=at)
    event.refresh_from_db()
    assert event.created_at == at
    before = timezone.now()
    event = audit_record(actor=clerk, organization=org, verb="report.submit")
    assert before <= event.created_at <= timezone.now()
    with pytest.raises(ValueError, match="aware"):
        audit_record(actor=clerk, organization=org, verb="x.y", at=datetime(2025, 2, 5, 10))  # noqa: DTZ001
