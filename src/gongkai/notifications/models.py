"""Notification templates, the delivery log, in-app notices, preferences, quiet hours."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models

from . import events

ChannelChoices = models.TextChoices(
    "ChannelChoices", [(k.upper(), (k, label)) for k, label in events.CHANNELS.items()]
)
EventChoices = [(key, e.label) for key, e in events.EVENTS.items()]


class Audience(models.TextChoices):
    APPLICANT = events.APPLICANT, "申请人/留言人"
    STAFF = events.STAFF, "工作人员"


class NotificationTemplate(models.Model):
    """A body's own wording of one event, for one audience, on one channel (else
    the default in events.py)."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.CASCADE,
        related_name="notification_templates",
    )
    event = models.CharField("事件", max_length=64, choices=EventChoices)
    audience = models.CharField("对象", max_length=16, choices=Audience.choices)
    channel = models.CharField("渠道", max_length=16, choices=ChannelChoices.choices)
    subject = models.CharField("标题", max_length=200, blank=True)
    body = models.TextField("正文")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "通知模板"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "event", "audience", "channel"],
                name="notification_template_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.event} {self.audience} {self.channel}"


class MessageStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"
    HELD = "held", "免打扰时段暂缓"


class Message(models.Model):
    """One message to one recipient on one channel: the delivery log.

    ``(key, recipient, channel)`` is unique, so the same fact notified twice (a
    job run twice, a retried request) records — and sends — one message.  The
    send job claims a row by moving it from ``pending`` to ``sending`` with a
    conditional UPDATE; only the run that changed the row sends it.
    """

    Status = MessageStatus

    event = models.CharField("事件", max_length=64, choices=EventChoices)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.CASCADE,
        related_name="notification_messages",
    )
    channel = models.CharField("渠道", max_length=16, choices=ChannelChoices.choices)
    audience = models.CharField("对象", max_length=16, choices=Audience.choices)
    key = models.CharField("幂等键", max_length=200)
    # "user:<pk>" for staff, "email:<address>" / "phone:<number>" for applicants.
    recipient = models.CharField("收件人标识", max_length=260)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="收件用户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recipient_name = models.CharField("收件人", max_length=200, blank=True)
    address = models.CharField("地址/号码", max_length=254, blank=True)
    subject = models.CharField("标题", max_length=300, blank=True)
    body = models.TextField("正文")
    url = models.CharField("链接", max_length=500, blank=True)
    backend = models.CharField("发送方式", max_length=32, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    max_attempts = models.PositiveSmallIntegerField("最多尝试次数", default=3)
    last_error = models.TextField("最近错误", blank=True)
    provider_id = models.CharField("服务商回执号", max_length=100, blank=True)
    hold_until = models.DateTimeField("暂缓至", null=True, blank=True)
    claimed_at = models.DateTimeField("开始发送时间", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    created_at = models.DateTimeField("记录时间")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "通知发送记录"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "recipient", "channel"], name="notification_message_once"
            ),
            models.CheckConstraint(
                condition=models.Q(attempts__lte=models.F("max_attempts")),
                name="notification_message_attempts_bounded",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="notif_msg_org_idx"),
            models.Index(fields=["status", "hold_until"], name="notif_msg_held_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.masked_address or self.recipient_name} ({self.status})"

    @property
    def masked_address(self) -> str:
        return mask(self.address)


def mask(address: str) -> str:
    """An address for lists: ``zh***@example.org``, ``138****5678``."""
    if not address:
        return ""
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:2]}***@{domain}"
    if len(address) >= 7:
        return f"{address[:3]}****{address[-4:]}"
    return address[:1] + "*" * (len(address) - 1)


class Notice(models.Model):
    """An in-app notice for one back-office user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="notices",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.CASCADE,
        related_name="+",
    )
    message = models.OneToOneField(
        Message, verbose_name="发送记录", on_delete=models.CASCADE, related_name="notice"
    )
    event = models.CharField("事件", max_length=64, choices=EventChoices)
    title = models.CharField("标题", max_length=300)
    body = models.TextField("正文")
    url = models.CharField("链接", max_length=500, blank=True)
    created_at = models.DateTimeField("时间")
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_user_unread_idx")]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """A staff member's channels, per event group, and mobile number for SMS.

    No row, or a group/channel absent from ``disabled``: on — except SMS, which
    a staff member turns on by giving a number (``sms_on``).  Applicants have no
    preferences: they get what they supplied an address for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    phone = models.CharField("接收短信的手机号码", max_length=20, blank=True)
    # ["deadlines:email", "cases:inapp", ...]
    disabled = models.JSONField("关闭的通知", default=list, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "通知偏好"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return str(self.user)

    def wants(self, group: str, channel: str) -> bool:
        if channel == events.SMS and not self.phone:
            return False
        return f"{group}:{channel}" not in set(self.disabled)


DEFAULT_QUIET_START = time(22, 0)
DEFAULT_QUIET_END = time(8, 0)


class QuietHours(models.Model):
    """A body's quiet hours (Asia/Shanghai): e-mail and SMS to its staff, and SMS to
    applicants, wait until they end.  No row: off (the administrator turns them
    on; 22:00–08:00 is offered)."""

    organization = models.OneToOneField(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.CASCADE,
        related_name="quiet_hours",
    )
    enabled = models.BooleanField("启用免打扰时段", default=False)
    start = models.TimeField("开始", default=DEFAULT_QUIET_START)
    end = models.TimeField("结束", default=DEFAULT_QUIET_END)
    applicant_sms = models.BooleanField("发给申请人的短信也在免打扰时段暂缓", default=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "免打扰时段"
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(start=models.F("end")), name="quiet_hours_not_empty"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.start:%H:%M}–{self.end:%H:%M}"
