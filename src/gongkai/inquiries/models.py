"""Online inquiries (政民互动): the citizen's question, its routing, the answer and
the published Q&A; and each body's settings for them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from .workflow import ANSWERED_STATES, INQUIRY, KINDS, OPEN_STATES

Status = models.TextChoices("Status", INQUIRY.members())
Kind = models.TextChoices("Kind", [(value.upper(), (value, label)) for value, label in KINDS])

# No national statute fixes the reply period for 政民互动 messages; local rules
# and assessment schemes usually ask for 5-15 working days (docs/inquiries.md).
DEFAULT_REPLY_WORKDAYS = 10
MIN_REPLY_WORKDAYS = 1
MAX_REPLY_WORKDAYS = 60


class Signature(models.TextChoices):
    UNIT = "unit", "答复科室（或本机关）名称"
    PERSON = "person", "答复人姓名"


class InquirySettings(models.Model):
    """One body's rules for inquiries; no row means the defaults."""

    organization = models.OneToOneField(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.CASCADE,
        related_name="inquiry_settings",
    )
    reply_workdays = models.PositiveSmallIntegerField(
        "答复期限（工作日）",
        default=DEFAULT_REPLY_WORKDAYS,
        validators=[MinValueValidator(MIN_REPLY_WORKDAYS), MaxValueValidator(MAX_REPLY_WORKDAYS)],
        help_text="自收到留言的次日起算的工作日数，按平台工作日历计算。",
    )
    signature = models.CharField(
        "公开答复的署名方式", max_length=10, choices=Signature.choices, default=Signature.UNIT
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "政民互动设置"
        verbose_name_plural = "政民互动设置"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reply_workdays__gte=MIN_REPLY_WORKDAYS)
                & models.Q(reply_workdays__lte=MAX_REPLY_WORKDAYS),
                name="inquiry_settings_workdays_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} 政民互动设置"


class Inquiry(models.Model):
    Status = Status
    Kind = Kind

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="受理机关",
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    tracking_code = models.CharField("查询码", max_length=16, unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    subject = models.CharField("标题", max_length=100)
    content = models.TextField("留言内容")
    # Personal data: never on a public page (docs/inquiries.md).
    asker_name = models.CharField("姓名", max_length=50)
    phone = models.CharField("联系电话", max_length=30)
    email = models.EmailField("电子邮箱", blank=True)
    consent_publish = models.BooleanField("同意公开问答", default=False)
    received_on = models.DateField("收到日期")
    received_at = models.DateTimeField("收到时间")
    due_on = models.DateField("答复期限")
    due_provisional = models.BooleanField("期限含未公布节假日安排的年份", default=False)
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="承办科室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    routed_at = models.DateTimeField("转办时间", null=True, blank=True)
    answer = models.TextField("答复内容", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_by_label = models.CharField("答复署名", max_length=100, blank=True)
    # The question as published: edited by the clerk, masked by the privacy scanner.
    public_subject = models.CharField("公开标题", max_length=100, blank=True)
    public_content = models.TextField("公开的留言内容", blank=True)
    public_answer = models.TextField("公开的答复内容", blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    reject_reason = models.TextField("不予受理理由", blank=True)

    class Meta:
        verbose_name = "网上留言"
        verbose_name_plural = "网上留言"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "received_on"], name="inquiry_org_received_idx"),
            models.Index(fields=["organization", "status", "due_on"], name="inquiry_org_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="inquiry_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=Kind.values), name="inquiry_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gt=models.F("received_on")),
                name="inquiry_due_after_received",
            ),
            models.CheckConstraint(
                condition=models.Q(answered_on__isnull=True)
                | models.Q(answered_on__gte=models.F("received_on")),
                name="inquiry_answered_after_received",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=sorted(ANSWERED_STATES))
                | (models.Q(answered_on__isnull=False) & ~models.Q(answer="")),
                name="inquiry_answered_has_answer",
            ),
            # Only with the asker's consent (公开意愿).
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(consent_publish=True),
                name="inquiry_published_with_consent",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(reject_reason=""),
                name="inquiry_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"留言 {self.tracking_code}"

    def get_absolute_url(self) -> str:
        return reverse("inquiries:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    def is_overdue(self, today) -> bool:
        return self.is_open and self.due_on < today

    def answered_on_time(self) -> bool | None:
        if self.answered_on is None:
            return None
        return self.answered_on <= self.due_on

    @property
    def masked_name(self) -> str:
        return mask_name(self.asker_name)


def mask_name(name: str) -> str:
    """张三 -> 张**, 欧阳明华 -> 欧**: the first character only, and always two
    stars, so the mask does not tell the length of the name either."""
    name = (name or "").strip()
    if not name:
        return "匿名"
    return name[0] + "**"
