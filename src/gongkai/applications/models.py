"""依申请公开: applications, their clock events, letters, templates and reminders.

The models keep fields, choices and constraints.  Workflows live in
``services.py`` (one transition table), the deadline arithmetic in the pure
``clock.py``; ``Application.due_on`` is a cache of ``clock.compute_deadline``
written only by the services, never typed by a user.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.urls import reverse

from gongkai.annual.format import (
    T3_APPLICANT_COLUMNS,
    T3_COLUMN_LABEL,
    T3_RESULT_ROWS,
    T3_ROW_BY_KEY,
)

from . import workflow
from .workflow import CLOCK, CLOCK_START_CHOICES, HOP_KINDS, INTAKE


class Channel(models.TextChoices):
    # 条例第三十一条: each channel has its own day of receipt.
    IN_PERSON = "in_person", "当面提交"
    REGISTERED_MAIL = "registered_mail", "邮寄（挂号信、快递等需签收）"
    ORDINARY_MAIL = "ordinary_mail", "平常信函"
    ONLINE = "online", "网络（在线申请）"
    FAX = "fax", "传真"
    EMAIL = "email", "电子邮件"
    OTHER = "other", "其他"


# The six applicant columns of table 3, keys and labels from the one table of truth.
ApplicantType = models.TextChoices(
    "ApplicantType",
    [
        (
            key.upper(),
            (
                key,
                T3_COLUMN_LABEL[key]
                if key == "natural"
                else f"法人或其他组织·{T3_COLUMN_LABEL[key]}",
            ),
        )
        for key in T3_APPLICANT_COLUMNS
    ],
)

# The 22 result rows of table 3 are the only outcomes an application can have.
OUTCOME_GROUP_LABEL = {
    "withheld": "不予公开",
    "unable": "无法提供",
    "declined": "不予处理",
    "other": "其他处理",
}


def outcome_label(key: str) -> str:
    row = T3_ROW_BY_KEY[key]
    prefix = OUTCOME_GROUP_LABEL.get(row.group or "")
    # "（二）部分公开（区分处理的，只计这一情形…）" -> "部分公开"
    label = re.sub(r"^（[一二]）", "", row.label.split("（区分处理")[0])
    return f"{prefix}：{label}" if prefix else label


Outcome = models.TextChoices(
    "Outcome", [(key.upper(), (key, outcome_label(key))) for key in T3_RESULT_ROWS]
)


class FormWanted(models.TextChoices):
    # 条例第二十九条第二款第（三）项: the form in which the applicant wants the information.
    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子数据"
    VIEW = "view", "当场阅览、抄录"
    OTHER = "other", "其他"


class Delivery(models.TextChoices):
    PICKUP = "pickup", "自行领取"
    MAIL = "mail", "邮寄"
    EMAIL = "email", "电子邮件"
    ONLINE = "online", "网上获取"
    FAX = "fax", "传真"
    OTHER = "other", "其他"


# The clock's states and event kinds, generated from the one table (workflow.CLOCK).
Status = models.TextChoices("Status", CLOCK.members())

OPEN_STATUSES = workflow.OPEN_STATUSES
WAITING_FOR_APPLICANT = workflow.WAITING_FOR_APPLICANT

# 统一受理: the hops of an application received by a county's platform (workflow.INTAKE).
IntakeState = models.TextChoices("IntakeState", INTAKE.members())
HopKind = models.TextChoices("HopKind", [(k.upper(), (k, v)) for k, v in HOP_KINDS.items()])
ClockStart = models.TextChoices(
    "ClockStart", [(k.upper(), (k, v)) for k, v in CLOCK_START_CHOICES.items()]
)


class Application(models.Model):
    Channel = Channel
    ApplicantType = ApplicantType
    Outcome = Outcome
    Status = Status

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.PROTECT,
        related_name="applications",
    )
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="承办科室",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    tracking_code = models.CharField("查询码", max_length=16, unique=True)
    channel = models.CharField("申请渠道", max_length=20, choices=Channel.choices)
    applicant_type = models.CharField("申请人类型", max_length=20, choices=ApplicantType.choices)
    applicant_name = models.CharField("申请人姓名/名称", max_length=200)
    id_number = models.CharField("身份证件号码/统一社会信用代码", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=300, blank=True)
    description = models.TextField("所需政府信息的名称、文号或者便于查询的其他特征性描述")
    form_wanted = models.CharField(
        "获取信息的形式", max_length=20, choices=FormWanted.choices, default=FormWanted.PAPER
    )
    delivery = models.CharField(
        "获取信息的方式", max_length=20, choices=Delivery.choices, default=Delivery.MAIL
    )
    submitted_on = models.DateField("提交/寄出日期")
    signed_for_on = models.DateField("签收日期", null=True, blank=True)
    confirmed_on = models.DateField("双方确认日期", null=True, blank=True)
    # 条例第三十一条: derived from the channel and the dates above by the service.
    received_on = models.DateField("收到申请之日", db_index=True)
    status = models.CharField(
        "状态", max_length=24, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    # Cache of clock.compute_deadline(...) written by the services (null while
    # the reply period is suspended for a 补正).
    due_on = models.DateField("答复期限", null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField("期限含未公布节假日安排的年份", default=False)
    # The applicant's own date while waiting (补正 / 缴费 / 说明理由).
    waiting_until = models.DateField("申请人办理期限", null=True, blank=True)
    # Set by services.application_refresh_deadlines when the stored history can no
    # longer be replayed under the current rules/calendar (the cached due date is
    # then stale); shown to the 公开办负责人, cleared once the history replays again.
    deadline_problem = models.TextField("答复期限无法重新计算的原因", blank=True)
    outcome = models.CharField("办理结果", max_length=40, choices=Outcome.choices, blank=True)
    reply_on = models.DateField("答复日期", null=True, blank=True, db_index=True)
    reply_reasons = models.TextField("答复理由/说明", blank=True)
    fee_amount = models.PositiveIntegerField("信息处理费（元）", default=0)
    notes = models.TextField("内部备注", blank=True)
    # 统一受理（集约化）: set only for an application the county's unified platform
    # received (services.dispatch).  ``organization`` is the body holding it now:
    # the county while it waits to be dispatched, the receiving body after.
    intake = models.ForeignKey(
        "UnifiedIntake",
        verbose_name="统一受理平台",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    intake_state = models.CharField(
        "分办状态",
        max_length=12,
        choices=IntakeState.choices,
        blank=True,
        default="",
        db_index=True,
    )
    # 条例第三十一条: the platform's day of receipt (by channel); ``received_on``
    # is the answering body's, which the clock-start rule may set later (D63).
    intake_received_on = models.DateField("平台收到申请之日", null=True, blank=True)
    # The county's own deadline for dispatching (a local management rule).
    dispatch_due_on = models.DateField("分办期限", null=True, blank=True, db_index=True)
    requested_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="申请人指明的机关",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "received_on"], name="app_org_received_idx"),
            models.Index(fields=["organization", "reply_on"], name="app_org_reply_idx"),
            models.Index(fields=["organization", "status", "due_on"], name="app_org_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reply_on__isnull=True)
                | models.Q(reply_on__gte=models.F("received_on")),
                name="application_reply_after_receipt",
            ),
            # Closed <=> outcome and reply date; open <=> neither.
            models.CheckConstraint(
                condition=(
                    models.Q(status="closed", reply_on__isnull=False) & ~models.Q(outcome="")
                )
                | (~models.Q(status="closed") & models.Q(reply_on__isnull=True, outcome="")),
                name="application_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="") | models.Q(outcome__in=list(T3_RESULT_ROWS)),
                name="application_outcome_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(applicant_type__in=list(T3_APPLICANT_COLUMNS)),
                name="application_applicant_type_valid",
            ),
            # Through the unified intake <=> an intake state and the platform's receipt date.
            models.CheckConstraint(
                condition=models.Q(intake__isnull=True, intake_state="")
                | (
                    models.Q(intake__isnull=False, intake_received_on__isnull=False)
                    & models.Q(intake_state__in=IntakeState.values)
                ),
                name="application_intake_state_valid",
            ),
            # Only a body that signed for it answers it.
            models.CheckConstraint(
                condition=~models.Q(status="closed")
                | models.Q(intake_state__in=["", IntakeState.SIGNED]),
                name="application_closed_is_signed",
            ),
        ]

    def __str__(self) -> str:
        return f"申请 {self.tracking_code}"

    def get_absolute_url(self) -> str:
        return reverse("applications:detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED

    @property
    def is_held(self) -> bool:
        """A body's own: received directly, or signed for after dispatch."""
        return self.intake_state in ("", IntakeState.SIGNED)

    def is_overdue(self, today) -> bool:
        return not self.is_closed and self.due_on is not None and self.due_on < today

    @property
    def outcome_row(self):
        return T3_ROW_BY_KEY.get(self.outcome) if self.outcome else None


# 条例第三十条、第三十二条至第三十五条, 国办函〔2020〕109号: see clock._EVENTS.
EventKind = models.TextChoices("EventKind", workflow.event_kind_members())


class ClockEvent(models.Model):
    """One fact on an application's clock (a notice sent, an answer received...)."""

    Kind = EventKind

    application = models.ForeignKey(
        Application, verbose_name="申请", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("事项", max_length=32, choices=EventKind.choices)
    on = models.DateField("日期")
    # The date this event gives somebody else: the 补正 period's end, the
    # consultation answer date, the payment deadline, the later reply date.
    until = models.DateField("期限", null=True, blank=True)
    days = models.PositiveSmallIntegerField("工作日数", null=True, blank=True)
    party = models.CharField("对象（第三方/机关）", max_length=200, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "办理事项"
        verbose_name_plural = "办理事项"
        ordering = ["on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("on")),
                name="clockevent_until_after_on",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=EventKind.values), name="clockevent_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"


class LetterKind(models.TextChoices):
    GRANTED = "granted", "予以公开告知书"
    PARTIAL = "partial", "部分公开告知书"
    WITHHELD = "withheld", "不予公开告知书"
    UNABLE = "unable", "无法提供告知书"
    DECLINED = "declined", "不予处理告知书"
    OTHER = "other", "终止办理告知书"
    CORRECTION = "correction", "补正申请通知书"
    EXTENSION = "extension", "延期答复告知书"
    CONSULT_THIRD_PARTY = "consult_third_party", "征求第三方意见函"
    CONSULT_APPLICANT = "consult_applicant", "征求意见告知书（致申请人）"
    CONSULT_OTHER_BODY = "consult_other_body", "征求意见函（致其他机关）"
    FEE = "fee", "收费通知书"
    REASONS = "reasons", "说明理由通知书"
    LATER_DATE = "later_date", "确定答复期限告知书"


class LetterTemplate(models.Model):
    """An administrator's wording of one kind of letter for one body."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.CASCADE,
        related_name="letter_templates",
    )
    kind = models.CharField("文书类型", max_length=32, choices=LetterKind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文", help_text="可使用 {申请人} 等占位符，见下方列表。")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind"], name="lettertemplate_unique_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_kind_display()}"


def letter_upload_to(instance: Letter, filename: str) -> str:
    return f"letters/{instance.application.organization_id}/{instance.year}/{filename}"


class Letter(models.Model):
    """A generated letter (DOCX), numbered 〔年〕依申请第N号 per body and year."""

    Kind = LetterKind

    application = models.ForeignKey(
        Application, verbose_name="申请", on_delete=models.CASCADE, related_name="letters"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.PROTECT,
        related_name="+",
    )
    event = models.ForeignKey(
        ClockEvent,
        verbose_name="对应事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="letters",
    )
    kind = models.CharField("文书类型", max_length=32, choices=LetterKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveIntegerField("序号")
    title = models.CharField("标题", max_length=200)
    issued_on = models.DateField("成文日期")
    file = models.FileField("文件", upload_to=letter_upload_to, max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="生成人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = "文书"
        ordering = ["issued_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "number"], name="letter_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.reference}）"

    @property
    def reference(self) -> str:
        return f"〔{self.year}〕依申请第{self.number}号"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "即将到期"
    DUE_TODAY = "due_today", "今日到期"
    OVERDUE = "overdue", "已超期"
    APPLICANT_LAPSED = "applicant_lapsed", "申请人办理期限已过"


class Reminder(models.Model):
    """One reminder sent (or recorded) by ``gongkai remind``; unique per due date."""

    Kind = ReminderKind

    application = models.ForeignKey(
        Application, verbose_name="申请", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField("提醒类型", max_length=20, choices=ReminderKind.choices)
    due_on = models.DateField("期限")
    sent_on = models.DateField("提醒日期")
    recipients = models.TextField("收件人", blank=True)
    emailed = models.BooleanField("已发送邮件", default=False)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "到期提醒"
        verbose_name_plural = "到期提醒"
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "due_on"], name="reminder_unique_per_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.get_kind_display()} {self.due_on}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", "待批准"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"


class ExtensionRequest(models.Model):
    """条例第三十三条第二款: a clerk's request to extend the reply period, which
    takes effect only once the body's 公开办负责人 (role ``office_head``) approves it.

    The approval writes the ``extension`` clock event (``event``) and the letter;
    a rejection leaves the clock untouched.
    """

    Status = ExtensionStatus

    application = models.ForeignKey(
        Application,
        verbose_name="申请",
        on_delete=models.CASCADE,
        related_name="extension_requests",
    )
    days = models.PositiveSmallIntegerField("延长工作日数")
    reason = models.TextField("延期理由")
    requested_on = models.DateField("申请日期")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人（经办人）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        "状态",
        max_length=12,
        choices=ExtensionStatus.choices,
        default=ExtensionStatus.PENDING,
        db_index=True,
    )
    decided_on = models.DateField("批准/不批准日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="公开办负责人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    comment = models.TextField("负责人意见", blank=True)
    event = models.OneToOneField(
        ClockEvent,
        verbose_name="延期事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="extension_request",
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["requested_on", "id"]
        constraints = [
            # One open request per application at a time.
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(status="pending"),
                name="extensionrequest_one_pending",
            ),
            models.CheckConstraint(
                condition=models.Q(days__gte=1, days__lte=20),
                name="extensionrequest_days_1_20",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending", decided_on__isnull=True)
                | (~models.Q(status="pending") & models.Q(decided_on__isnull=False)),
                name="extensionrequest_decided_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(decided_on__isnull=True)
                | models.Q(decided_on__gte=models.F("requested_on")),
                name="extensionrequest_decided_after_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} 延期{self.days}个工作日（{self.get_status_display()}）"


# --- 送达: the answer's delivery and the documents released with it (applications.delivery) ---


class ReleasedDocument(models.Model):
    """A file released to the applicant with the answer (条例第三十六条第（二）项:
    provide the information; 条例第四十条: in the form asked for where possible).

    Stored through ``gongkai.uploads`` (checked like a disclosure attachment);
    the applicant sees it on the status page only once the application is
    answered.  ``privacy_hits`` is the personal-data scan at upload, a warning
    for the clerk (条例第十五条: third parties' personal data is not released).
    """

    application = models.ForeignKey(
        Application,
        verbose_name="申请",
        on_delete=models.CASCADE,
        related_name="released_documents",
    )
    path = models.CharField("存储路径", max_length=300)
    original_name = models.CharField("文件名", max_length=255)
    kind = models.CharField("类型", max_length=10)
    size = models.PositiveBigIntegerField("大小（字节）")
    # [{"label": "手机号码", "count": 2}, ...]: what the scanner found, never the values.
    privacy_hits = models.JSONField("个人信息扫描结果", default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "提供的政府信息"
        verbose_name_plural = "提供的政府信息"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class DeliveryRecord(models.Model):
    """送达: how and when the answer reached the applicant (one per application).

    For electronic delivery (``Delivery.ONLINE`` / ``Delivery.EMAIL``) the
    service date is the day the applicant first downloaded the answer or a
    released document from the status page (decision D65; 民事诉讼法第九十条:
    electronic service takes effect when it reaches the recipient); otherwise,
    or before any download, the clerk records it (e.g. the 签收 date of a
    registered letter).  Once set it is never moved.
    """

    application = models.OneToOneField(
        Application,
        verbose_name="申请",
        on_delete=models.CASCADE,
        related_name="delivery_record",
    )
    method = models.CharField("送达方式", max_length=20, choices=Delivery.choices)
    served_on = models.DateField("送达日期", null=True, blank=True)
    # The moment of the first download when that was the service; null when recorded by hand.
    served_at = models.DateTimeField("送达时间", null=True, blank=True)
    served_by_download = models.BooleanField("申请人下载即送达", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField("送达说明", max_length=300, blank=True)
    download_count = models.PositiveIntegerField("下载次数", default=0)
    first_downloaded_at = models.DateTimeField("首次下载时间", null=True, blank=True)
    last_downloaded_at = models.DateTimeField("最近下载时间", null=True, blank=True)

    class Meta:
        verbose_name = "送达记录"
        verbose_name_plural = "送达记录"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(download_count=0, first_downloaded_at__isnull=True)
                | models.Q(download_count__gt=0, first_downloaded_at__isnull=False),
                name="deliveryrecord_downloads_have_first",
            ),
            models.CheckConstraint(
                condition=models.Q(served_by_download=False)
                | models.Q(served_on__isnull=False, served_at__isnull=False),
                name="deliveryrecord_download_service_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(method__in=Delivery.values),
                name="deliveryrecord_method_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} 送达记录"

    @property
    def is_served(self) -> bool:
        return self.served_on is not None


# --- 统一受理（集约化） ---------------------------------------------------------------


class UnifiedIntake(models.Model):
    """A county-level body's one application form for every body under it.

    Its 公开办 dispatches each application to the body that holds the
    information; ``clock_start`` and ``dispatch_days`` override the platform's
    settings (GONGKAI_INTAKE_CLOCK_START, GONGKAI_INTAKE_DISPATCH_DAYS) where the
    local rules differ (docs/decisions.md D63)."""

    ClockStart = ClockStart

    organization = models.OneToOneField(
        "organizations.Organization",
        verbose_name="统一受理机关",
        on_delete=models.PROTECT,
        related_name="unified_intake",
    )
    is_active = models.BooleanField("启用统一申请入口", default=True)
    clock_start = models.CharField(
        "答复期限的起算日",
        max_length=12,
        choices=ClockStart.choices,
        blank=True,
        help_text="留空时按平台设置。",
    )
    dispatch_days = models.PositiveSmallIntegerField(
        "分办时限（工作日）",
        null=True,
        blank=True,
        help_text="留空时按平台设置。",
    )
    intro = models.TextField(
        "申请页说明", blank=True, help_text="显示在统一申请页面上，例如受理范围和联系方式。"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "统一受理平台"
        verbose_name_plural = "统一受理平台"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(clock_start="") | models.Q(clock_start__in=ClockStart.values),
                name="unifiedintake_clock_start_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(dispatch_days__isnull=True)
                | models.Q(dispatch_days__gte=1, dispatch_days__lte=20),
                name="unifiedintake_dispatch_days_1_20",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization}统一受理平台"


class IntakeHop(models.Model):
    """One hop of an application through the unified intake, with its dates.

    ``received_on`` and ``due_on`` are the answering body's 收到申请之日 and reply
    due date as they stood after the hop (条例第三十一条、第三十三条; D63);
    ``dispatch_due_on`` the county's deadline to dispatch, on receipt and return."""

    Kind = HopKind

    application = models.ForeignKey(
        Application, verbose_name="申请", on_delete=models.CASCADE, related_name="hops"
    )
    kind = models.CharField("环节", max_length=12, choices=HopKind.choices)
    from_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="转出机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="接收机关",
        on_delete=models.PROTECT,
        related_name="+",
    )
    on = models.DateField("日期")
    at = models.DateTimeField("时间")
    reason = models.TextField("理由/说明", blank=True)
    received_on = models.DateField("答复机关收到申请之日", null=True, blank=True)
    due_on = models.DateField("答复期限", null=True, blank=True)
    dispatch_due_on = models.DateField("分办期限", null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "分办记录"
        verbose_name_plural = "分办记录"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["to_organization", "kind"], name="hop_to_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=HopKind.values), name="intakehop_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind__in=["returned", "transferred"]) | ~models.Q(reason=""),
                name="intakehop_return_transfer_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.get_kind_display()} {self.on:%Y-%m-%d}"
