"""HolidaySchedule moves from the disclosure app to workcal (issue #10).

Nothing changes in the database: the model keeps its table
``disclosure_holidayschedule``, its columns, indexes and constraint names.
This migration only adds the model to workcal's migration state; disclosure
0006 removes it from disclosure's.  The content type row is renamed
(disclosure → workcal) so that audit rows about a schedule
(``holiday_schedule.save``) and the model's permissions keep pointing at it;
audit rows cannot be re-pointed anyway (append-only, audit 0002).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODEL = "holidayschedule"


def _move_content_type(apps, schema_editor, old_label, new_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    old = types.filter(app_label=old_label, model=MODEL).first()
    if old is None:
        return  # a fresh database: post_migrate creates the row under the new label
    new = types.filter(app_label=new_label, model=MODEL).first()
    if new is not None:
        # Created by a post_migrate run before this migration: it can only hold
        # copies of the default permissions (deleted with it); an audit row
        # pointing at it (PROTECT) stops the migration instead of losing a link.
        new.delete()
    old.app_label = new_label
    old.save(update_fields=["app_label"])
    # get_for_model() caches rows per process (tests migrate inside one process).
    from django.contrib.contenttypes.models import ContentType as LiveContentType

    LiveContentType.objects.clear_cache()
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _move_content_type(apps, schema_editor, "disclosure", "workcal")


def backwards(apps, schema_editor):
    _move_content_type(apps, schema_editor, "workcal", "disclosure")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        # The table was created by disclosure 0001; disclosure 0006 (which
        # removes the model from disclosure's state) depends on this migration.
        ("disclosure", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HolidaySchedule",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("year", models.PositiveIntegerField(unique=True, verbose_name="年份")),
                        ("text", models.TextField(verbose_name="安排（每行“日期 休”或“日期 班”）")),
                        ("source", models.CharField(blank=True, max_length=200, verbose_name="依据（通知文号）")),
                        ("entered_at", models.DateTimeField(auto_now=True, verbose_name="录入时间")),
                        ("entered_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="录入人")),
                    ],
                    options={
                        "verbose_name": "节假日安排",
                        "verbose_name_plural": "节假日安排",
                        "db_table": "disclosure_holidayschedule",
                        "ordering": ["-year"],
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(("year__gte", 2000), ("year__lte", 2100)), name="holidayschedule_year_range"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
