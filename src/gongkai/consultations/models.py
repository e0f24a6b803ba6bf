"""意见征集: a draft decision put out for public comment, its comments and the
published 采纳情况 (《重大行政决策程序暂行条例》第十四条、第十五条)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse

from .workflow import CHANNELS, COMMENT, CONSULTATION, DECISIONS

Status = models.TextChoices("Status", CONSULTATION.members())
CommentStatus = models.TextChoices("CommentStatus", COMMENT.members())
Channel = models.TextChoices("Channel", [(v.upper(), (v, label)) for v, label in CHANNELS])
Decision = models.TextChoices("Decision", [(v.upper(), (v, label)) for v, label in DECISIONS])

# 《重大行政决策程序暂行条例》第十五条: 公开征求意见的期限一般不少于30日.
MAJOR_MIN_DAYS = 30


class ConsultationSettings(models.Model):
    """A body's own periods for consultations that are not 重大行政决策.

    A major decision always has at least 30 days (第十五条); for other drafts no
    statute fixes a period, so the body sets its minimum and default.  The
    采纳情况 is due within ``feedback_workdays`` working days after the period
    ends (by analogy with 条例第二十六条: information is published within 20
    working days of being formed; the 采纳情况 is formed when the period ends).
    """

    organization = models.OneToOneField(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.CASCADE,
        related_name="consultation_settings",
    )
    ordinary_min_days = models.PositiveSmallIntegerField(
        "一般事项最短征求意见期（日）",
        default=7,
        help_text="不属于重大行政决策的草案，征求意见期不得短于此天数。",
    )
    ordinary_default_days = models.PositiveSmallIntegerField(
        "一般事项默认征求意见期（日）", default=15
    )
    feedback_workdays = models.PositiveSmallIntegerField(
        "采纳情况公布期限（工作日）",
        default=20,
        help_text="征求意见期结束后多少个工作日内公布意见采纳情况，逾期在工作台和监督页面提示。",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "意见征集设置"
        verbose_name_plural = "意见征集设置"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ordinary_min_days__gte=1),
                name="consultation_settings_min_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(ordinary_default_days__gte=models.F("ordinary_min_days")),
                name="consultation_settings_default_not_below_min",
            ),
            models.CheckConstraint(
                condition=models.Q(feedback_workdays__gte=1),
                name="consultation_settings_feedback_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization}意见征集设置"


class Consultation(models.Model):
    Status = Status

    class BodyFormat(models.TextChoices):
        PLAIN = "plain", "纯文本（按段落显示）"
        HTML = "html", "富文本（HTML）"

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("草案正文")
    # Plain text, or HTML that has passed nh3 (the services sanitise).
    body_format = models.CharField(
        "正文格式", max_length=10, choices=BodyFormat.choices, default=BodyFormat.PLAIN
    )
    explanation = models.TextField("起草说明")
    is_major = models.BooleanField(
        "属于重大行政决策",
        default=False,
        help_text="重大行政决策的征求意见期一般不少于30日（《重大行政决策程序暂行条例》第十五条）。",
    )
    # 第十五条: 因情况紧急等原因需要缩短期限的，公开征求意见时应当予以说明.
    shortened_reason = models.TextField(
        "缩短征求意见期的说明",
        blank=True,
        help_text="重大行政决策因情况紧急等原因征求意见期少于30日的，须填写并向社会公开说明。",
    )
    start_on = models.DateField("征求意见开始日期")
    end_on = models.DateField("征求意见截止日期")
    # Ways to comment: the online form, and each other channel when its details are given.
    accepts_online = models.BooleanField("接受网上留言", default=True)
    mail_address = models.CharField("信函地址", max_length=300, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    fax = models.CharField("传真", max_length=100, blank=True)
    meeting = models.TextField(
        "座谈会/听证会", blank=True, help_text="时间、地点和报名方式；不举行则留空。"
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    final_item = models.ForeignKey(
        "disclosure.Item",
        verbose_name="最终决策文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    feedback_summary = models.TextField("采纳情况总体说明", blank=True)
    submitted_at = models.DateTimeField("提交审批时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    feedback_published_at = models.DateTimeField("采纳情况公布时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="起草人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "意见征集"
        verbose_name_plural = "意见征集"
        ordering = ["-start_on", "-id"]
        indexes = [
            models.Index(
                fields=["organization", "status", "end_on"], name="consult_org_status_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__gt=models.F("start_on")),
                name="consultation_end_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="concluded")
                | (
                    models.Q(final_item__isnull=False)
                    & models.Q(feedback_published_at__isnull=False)
                ),
                name="consultation_concluded_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("consultations_public:detail", args=[self.organization.slug, self.pk])

    @property
    def status_label(self) -> str:
        return CONSULTATION.state_label(self.status)

    @property
    def period_days(self) -> int:
        """Days in the period, the start day not counted (《民法典》第二百零一条)."""
        return (self.end_on - self.start_on).days

    @property
    def is_public(self) -> bool:
        return self.status in (Status.PUBLISHED, Status.CONCLUDED)

    def phase(self, today: date) -> str:
        """``"upcoming"`` / ``"open"`` / ``"ended"`` for a published consultation."""
        if today < self.start_on:
            return "upcoming"
        if today <= self.end_on:
            return "open"
        return "ended"

    def is_open(self, today: date) -> bool:
        return self.is_public and self.phase(today) == "open"

    def phase_label(self, today: date) -> str:
        return {"upcoming": "即将开始", "open": "正在征集", "ended": "已结束"}[self.phase(today)]

    def ways(self) -> list[tuple[str, str]]:
        """(label, details) of each announced way to comment (第十五条: 明确提出意见的方式)."""
        ways = []
        if self.accepts_online:
            ways.append(("网上留言", "在本页下方的意见表中填写并提交。"))
        if self.mail_address:
            ways.append(("信函", self.mail_address))
        if self.email:
            ways.append(("电子邮件", self.email))
        if self.fax:
            ways.append(("传真", self.fax))
        if self.meeting:
            ways.append(("座谈会/听证会", self.meeting))
        return ways


class ConsultationAttachment(models.Model):
    """A file of the draft (full text, tables, maps), stored through ``gongkai.uploads``."""

    consultation = models.ForeignKey(
        Consultation, verbose_name="意见征集", on_delete=models.CASCADE, related_name="attachments"
    )
    path = models.CharField("存储路径", max_length=300)
    original_name = models.CharField("文件名", max_length=255)
    kind = models.CharField("类型", max_length=10)
    size = models.PositiveBigIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "意见征集附件"
        verbose_name_plural = "意见征集附件"
        ordering = ["consultation", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Comment(models.Model):
    """One comment on a consultation.  ``name`` and ``contact`` are personal data:
    never on a public page; the published 采纳情况 quotes only ``summary``."""

    Status = CommentStatus
    Channel = Channel
    Decision = Decision

    consultation = models.ForeignKey(
        Consultation, verbose_name="意见征集", on_delete=models.CASCADE, related_name="comments"
    )
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    content = models.TextField("意见内容")
    name = models.CharField("姓名", max_length=100, blank=True)
    contact = models.CharField("联系方式", max_length=200, blank=True)
    consented = models.BooleanField("同意隐私说明", default=False)
    received_on = models.DateField("收到日期")
    status = models.CharField(
        "状态", max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    rejection_reason = models.CharField("不予受理的理由", max_length=300, blank=True)
    decision = models.CharField("采纳情况", max_length=12, choices=Decision.choices, blank=True)
    decision_reason = models.TextField("理由", blank=True)
    # The clerk's summary, masked of personal data: the only text of a comment made public.
    summary = models.TextField("意见摘要（公开）", blank=True)
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
        verbose_name = "意见"
        verbose_name_plural = "意见"
        ordering = ["consultation", "received_on", "pk"]
        indexes = [
            models.Index(fields=["consultation", "status"], name="comment_consult_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values), name="comment_channel_valid"
            ),
            models.CheckConstraint(
                condition=(models.Q(decision="") & ~models.Q(status="decided"))
                | (models.Q(decision__in=Decision.values) & models.Q(status="decided")),
                name="comment_decision_with_state",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="comment_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(decision__in=["partly", "not_adopted"])
                | ~models.Q(decision_reason=""),
                name="comment_reason_when_not_adopted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation} · {self.get_channel_display()} · {self.received_on}"

    @property
    def status_label(self) -> str:
        return COMMENT.state_label(self.status)

    @property
    def organization(self):
        """The body the comment was made to (its audit rows belong to that body's log)."""
        return self.consultation.organization
