import pytest
from django.db import DatabaseError, connection, transaction

from gongkai.audit.models import AppendOnlyError, AuditEvent
from gongkai.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(org, clerk):
    return audit_record(actor=clerk, organization=org, verb="test.create", obj=org)


def test_save_of_existing_event_refused(event):
    event.comment = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_delete_refused(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_refused(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(comment="x")


def test_database_trigger_refuses_raw_update(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET comment = 'x' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.comment == ""


def test_empty_verb_refused_by_database(org):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.create(organization=org, verb="")
