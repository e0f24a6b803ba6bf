"""The move of HolidaySchedule from disclosure to workcal (issue #10) keeps the
rows, the table and the link of every audit row to its schedule."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as global_apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gongkai.audit.models import AuditEvent
from gongkai.workcal import services
from gongkai.workcal.models import HolidaySchedule

move = importlib.import_module("gongkai.workcal.migrations.0001_initial")


def test_the_model_keeps_the_table_it_had_in_disclosure():
    assert HolidaySchedule._meta.db_table == "disclosure_holidayschedule"
    assert [c.name for c in HolidaySchedule._meta.constraints] == ["holidayschedule_year_range"]


@pytest.mark.django_db
def test_content_type_row_is_renamed_even_if_post_migrate_made_a_new_one_first():
    # The test database has the workcal row already (post_migrate); an old
    # database also has the disclosure row its audit rows point at.
    made_by_post_migrate = ContentType.objects.get(app_label="workcal", model="holidayschedule")
    old = ContentType.objects.create(app_label="disclosure", model="holidayschedule")
    event = AuditEvent.objects.create(
        verb="holiday_schedule.save",
        content_type=old,
        object_id="1",
        object_repr="2030年节假日安排",
    )
    editor = SimpleNamespace(connection=connection)
    move.forwards(global_apps, editor)
    assert not ContentType.objects.filter(pk=made_by_post_migrate.pk).exists()
    assert ContentType.objects.get_for_model(HolidaySchedule).pk == old.pk
    assert AuditEvent.objects.get(pk=event.pk).content_type.model_class() is HolidaySchedule
    move.backwards(global_apps, editor)
    old.refresh_from_db()
    assert (old.app_label, old.model) == ("disclosure", "holidayschedule")
    move.backwards(global_apps, editor)  # nothing left to rename: no error
    ContentType.objects.clear_cache()


@pytest.mark.django_db(transaction=True)
def test_migrating_back_and_forth_keeps_the_schedule_and_its_audit_link(django_user_model):
    user = django_user_model.objects.create_user("platform", is_superuser=True, is_active=True)
    schedule = services.holiday_schedule_save(
        year=2030, text="2030-01-01 休", acting_user=user, organization=None
    )
    event = AuditEvent.objects.get(verb="holiday_schedule.save")
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        MigrationExecutor(connection).migrate(
            [("workcal", None)]
        )  # also takes back disclosure 0006
        loader = MigrationExecutor(connection).loader
        state = loader.project_state(list(loader.applied_migrations))
        assert ("workcal", "holidayschedule") not in state.models
        assert state.apps.get_model("disclosure", "HolidaySchedule").objects.get().year == 2030
        old_type = ContentType.objects.get(pk=event.content_type_id)
        assert (old_type.app_label, old_type.model) == ("disclosure", "holidayschedule")
    finally:
        MigrationExecutor(connection).migrate(latest)
        ContentType.objects.clear_cache()
    assert HolidaySchedule.objects.get() == schedule
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.content_type.model_class() is HolidaySchedule
    assert event.content_type.get_object_for_this_type(pk=event.object_id) == schedule
