"""行政复议 and 行政诉讼 about disclosure decisions (table 4 of the annual report)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from gongkai.annual.format import T4_BLOCKS

from .workflow import APPEAL, RESULTS

# The three blocks of table 4, keys and labels from the one table of truth.
AppealKind = models.TextChoices(
    "AppealKind",
    [
        (key.upper(), (key, label if key == "reconsideration" else f"行政诉讼（{label}）"))
        for key, label in T4_BLOCKS
    ],
)


# 维持 / 纠正 / 其他结果, declared once in workflow.RESULTS (Result.UPHELD == "upheld").
Result = models.TextChoices("Result", [(value.upper(), (value, label)) for value, label in RESULTS])


class Appeal(models.Model):
    Kind = AppealKind
    Result = Result

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="被申请/被诉机关",
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name="对应的政府信息公开申请",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    # 复议后起诉: the reconsideration this lawsuit follows.
    follows = models.ForeignKey(
        "self",
        verbose_name="前置行政复议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lawsuits",
    )
    kind = models.CharField("类型", max_length=24, choices=AppealKind.choices)
    filed_on = models.DateField("受理/立案日期")
    authority = models.CharField("复议机关/人民法院", max_length=200)
    case_number = models.CharField("案号", max_length=100, blank=True)
    applicant_name = models.CharField("申请人/原告", max_length=200, blank=True)
    result = models.CharField("结果", max_length=16, choices=Result.choices, blank=True)
    decided_on = models.DateField("审结日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "行政复议/行政诉讼"
        verbose_name_plural = "行政复议/行政诉讼"
        ordering = ["-filed_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "filed_on"], name="appeal_org_filed_idx"),
            models.Index(fields=["organization", "decided_on"], name="appeal_org_decided_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k for k, _ in T4_BLOCKS]), name="appeal_kind_valid"
            ),
            models.CheckConstraint(
                condition=(models.Q(result="") & models.Q(decided_on__isnull=True))
                | (models.Q(result__in=Result.values) & models.Q(decided_on__isnull=False)),
                name="appeal_result_with_date",
            ),
            models.CheckConstraint(
                condition=models.Q(decided_on__isnull=True)
                | models.Q(decided_on__gte=models.F("filed_on")),
                name="appeal_decided_after_filed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number or self.filed_on}"

    def get_absolute_url(self) -> str:
        return reverse("appeals:detail", args=[self.pk])

    @property
    def is_decided(self) -> bool:
        return self.decided_on is not None

    @property
    def state(self) -> str:
        """``"pending"`` (尚未审结) or ``"decided"``: derived, not stored (workflow.APPEAL)."""
        return APPEAL.state(self)

    @property
    def state_label(self) -> str:
        return APPEAL.state_label(self.state)
