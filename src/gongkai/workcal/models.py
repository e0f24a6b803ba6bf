"""The holiday schedules an administrator enters (gongkai.workdays text format).

The table keeps the name it had when the model lived in the disclosure app
(``disclosure_holidayschedule``): moving the model changed no data, and the
migrations moved only Django's record of it (issue #10).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class HolidaySchedule(models.Model):
    """A year's holiday schedule an administrator entered (gongkai.workdays text format)."""

    year = models.PositiveIntegerField("年份", unique=True)
    text = models.TextField("安排（每行“日期 休”或“日期 班”）")
    source = models.CharField("依据（通知文号）", max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        db_table = "disclosure_holidayschedule"
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="holidayschedule_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"
