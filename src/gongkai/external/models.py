"""Bodies a supervisor checks that do not work on the platform (issue #12).

A supervising body (a county 公开办, say) lists the bodies under it that are not
on gongkai with the address of their 年度报告 column; the batch check
(``gongkai.annual.web``) reads each body's report of a year from there and
the result is kept here, one row per body and year, next to the platform's
own bodies in the supervision view.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.annual import format as fmt
from gongkai.organizations.models import Organization

LEVEL_CHOICES = list(fmt.LEVELS)


class ExternalBody(models.Model):
    supervisor = models.ForeignKey(
        Organization,
        verbose_name="监督机关",
        on_delete=models.CASCADE,
        related_name="external_bodies",
    )
    name = models.CharField("机关名称", max_length=200)
    level = models.CharField("层级", max_length=20, choices=LEVEL_CHOICES)
    column_url = models.URLField(
        "年度报告栏目网址",
        max_length=1000,
        help_text="机关网站上列出各年度政府信息公开工作年度报告的栏目页（以 http:// 或 https:// 开头）",
    )
    is_active = models.BooleanField("纳入检查", default=True)
    created_at = models.DateTimeField("添加时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="添加人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "平台外机关"
        verbose_name_plural = "平台外机关"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["supervisor", "column_url"], name="external_body_unique_url"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ExternalCheck(models.Model):
    """The latest batch-check result of one body for one report year."""

    class Status(models.TextChoices):
        OK = "ok", "已读取"
        FAILED = "failed", "未读取"

    body = models.ForeignKey(
        ExternalBody, verbose_name="机关", on_delete=models.CASCADE, related_name="checks"
    )
    year = models.PositiveIntegerField("年度")
    status = models.CharField("读取状态", max_length=10, choices=Status.choices)
    reason = models.TextField("未读取原因", blank=True)
    report_url = models.URLField("报告地址", max_length=1000, blank=True)
    organization_name = models.CharField("报告中的机关名称", max_length=200, blank=True)
    source_format = models.CharField("文件格式", max_length=20, blank=True)
    errors = models.PositiveIntegerField("错误数", default=0)
    warnings = models.PositiveIntegerField("警告数", default=0)
    findings = models.JSONField("检查结果", default=list, blank=True)
    cells = models.JSONField("表格数据", default=dict, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    deadline = models.DateField("公布期限", null=True, blank=True)
    days_late = models.IntegerField("逾期天数", null=True, blank=True)
    repetition = models.FloatField("与上年重复率", null=True, blank=True)
    checked_at = models.DateTimeField("检查时间")

    class Meta:
        verbose_name = "平台外机关检查结果"
        verbose_name_plural = "平台外机关检查结果"
        ordering = ["body__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="external_check_one_per_year"),
            models.CheckConstraint(
                condition=models.Q(repetition__isnull=True)
                | models.Q(repetition__gte=0, repetition__lte=1),
                name="external_check_repetition_share",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body.name} {self.year}年度"

    @property
    def is_late(self) -> bool | None:
        if self.days_late is None:
            return None
        return self.days_late > 0
