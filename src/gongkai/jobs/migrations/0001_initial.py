from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="DailyRun",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("job", models.CharField(max_length=128, verbose_name="任务")),
                ("day", models.DateField(verbose_name="日期")),
                ("started_at", models.DateTimeField(verbose_name="开始时间")),
                (
                    "finished_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="结束时间"),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[("running", "运行中"), ("done", "完成"), ("failed", "失败")],
                        default="running",
                        max_length=16,
                        verbose_name="结果",
                    ),
                ),
            ],
            options={
                "verbose_name": "每日任务运行记录",
                "verbose_name_plural": "每日任务运行记录",
                "ordering": ["-day", "job"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("job", "day"), name="jobs_dailyrun_once_a_day"
                    )
                ],
            },
        ),
    ]
