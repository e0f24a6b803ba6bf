from django.db import models


class DailyRun(models.Model):
    """One daily job's run for one day by the in-process scheduler (embedded mode).

    The row is written (in its own transaction) before the job starts; the unique
    ``(job, day)`` means a restart the same day — or a second process — cannot run
    it again.  In ``postgres`` mode procrastinate's own tables keep this record."""

    class Outcome(models.TextChoices):
        RUNNING = "running", "运行中"
        DONE = "done", "完成"
        FAILED = "failed", "失败"

    job = models.CharField("任务", max_length=128)
    day = models.DateField("日期")
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    outcome = models.CharField(
        "结果", max_length=16, choices=Outcome.choices, default=Outcome.RUNNING
    )

    class Meta:
        verbose_name = "每日任务运行记录"
        verbose_name_plural = verbose_name
        ordering = ["-day", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "day"], name="jobs_dailyrun_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.day:%Y-%m-%d} {self.get_outcome_display()}"
