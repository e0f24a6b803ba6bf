"""HolidaySchedule now belongs to the workcal app (issue #10).

State only: the table ``disclosure_holidayschedule`` stays where it is and is
used by ``workcal.HolidaySchedule`` (workcal 0001, which also renames the
content type row).
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("disclosure", "0005_import_confirmed_by_an_approver"),
        ("workcal", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HolidaySchedule"),
            ],
            database_operations=[],
        ),
    ]
