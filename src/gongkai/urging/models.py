"""督办: a supervising body's notice to a body below it about one overdue thing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from .workflow import KINDS, OPEN_STATES, UNANSWERED_STATES, URGING

Status = models.TextChoices("Status", URGING.members())
Kind = models.TextChoices("Kind", [(value.upper(), (value, label)) for value, label in KINDS])

# No statute fixes how long a body has to answer a 督办: it is a local management
# rule (documented in docs/urging.md); 5 working days is the common one.
DEFAULT_RESPOND_WORKDAYS = 5
MIN_RESPOND_WORKDAYS = 1
MAX_RESPOND_WORKDAYS = 30

_OPEN = Q(status__in=sorted(OPEN_STATES))


class Urging(models.Model):
    Status = Status
    Kind = Kind

    sender = models.ForeignKey(
        "organizations.Organization",
        verbose_name="督办机关",
        on_delete=models.PROTECT,
        related_name="urgings_sent",
    )
    # The body urged; named ``organization`` so that its audit rows, and the
    # per-organization querysets, belong to the body that has to act.
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="被督办机关",
        on_delete=models.PROTECT,
        related_name="urgings_received",
    )
    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveIntegerField("序号")
    kind = models.CharField("督办事项类型", max_length=16, choices=Kind.choices)
    application = models.ForeignKey(
        "applications.Application",
        verbose_name="申请",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="urgings",
    )
    item = models.ForeignKey(
        "disclosure.Item",
        verbose_name="主动公开信息",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="urgings",
    )
    inquiry = models.ForeignKey(
        "inquiries.Inquiry",
        verbose_name="网上留言",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="urgings",
    )
    # A late annual report is (organization, report_year): reports sit above
    # this app and are not referred to by key.
    report_year = models.PositiveSmallIntegerField("年度报告年度", null=True, blank=True)
    target_label = models.CharField("督办事项", max_length=300)
    text = models.TextField("督办内容")
    sent_on = models.DateField("督办日期")
    sent_at = models.DateTimeField("督办时间")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="督办人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    respond_by = models.DateField("回复期限")
    respond_by_provisional = models.BooleanField("期限含未公布节假日安排的年份", default=False)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.SENT)
    acknowledged_on = models.DateField("签收日期", null=True, blank=True)
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签收人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    response = models.TextField("办理情况", blank=True)
    done_by = models.DateField("承诺办结日期", null=True, blank=True)
    answered_on = models.DateField("回复日期", null=True, blank=True)
    answered_at = models.DateTimeField("回复时间", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    escalated_at = models.DateTimeField("升级督办时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办结人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    close_comment = models.TextField("办结意见", blank=True)

    class Meta:
        verbose_name = "督办"
        verbose_name_plural = "督办"
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "status"], name="urging_org_status_idx"),
            models.Index(fields=["sender", "status"], name="urging_sender_status_idx"),
            models.Index(fields=["organization", "respond_by"], name="urging_org_respond_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "year", "number"], name="urging_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="urging_status_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="urging_kind_valid"),
            models.CheckConstraint(condition=Q(number__gte=1), name="urging_number_positive"),
            models.CheckConstraint(
                condition=~Q(sender=models.F("organization")), name="urging_not_to_itself"
            ),
            # Exactly the target its kind names.
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="application",
                        application__isnull=False,
                        item__isnull=True,
                        inquiry__isnull=True,
                        report_year__isnull=True,
                    )
                    | Q(
                        kind="item",
                        application__isnull=True,
                        item__isnull=False,
                        inquiry__isnull=True,
                        report_year__isnull=True,
                    )
                    | Q(
                        kind="inquiry",
                        application__isnull=True,
                        item__isnull=True,
                        inquiry__isnull=False,
                        report_year__isnull=True,
                    )
                    | Q(
                        kind="report",
                        application__isnull=True,
                        item__isnull=True,
                        inquiry__isnull=True,
                        report_year__isnull=False,
                    )
                ),
                name="urging_one_target",
            ),
            models.CheckConstraint(
                condition=Q(respond_by__gt=models.F("sent_on")),
                name="urging_respond_after_sent",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["answered"])
                | (Q(answered_on__isnull=False) & ~Q(response="") & Q(done_by__isnull=False)),
                name="urging_answered_has_response",
            ),
            models.CheckConstraint(
                condition=Q(done_by__isnull=True) | Q(done_by__gte=models.F("sent_on")),
                name="urging_done_by_after_sent",
            ),
            # One open 督办 per target: a second one waits until the first is closed.
            models.UniqueConstraint(
                fields=["application"], condition=_OPEN, name="urging_one_open_per_application"
            ),
            models.UniqueConstraint(
                fields=["item"], condition=_OPEN, name="urging_one_open_per_item"
            ),
            models.UniqueConstraint(
                fields=["inquiry"], condition=_OPEN, name="urging_one_open_per_inquiry"
            ),
            models.UniqueConstraint(
                fields=["organization", "report_year"],
                condition=_OPEN & Q(kind="report"),
                name="urging_one_open_per_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.target_label}"

    def get_absolute_url(self) -> str:
        return reverse("urging:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"督办〔{self.year}〕第{self.number}号"

    @property
    def is_unanswered(self) -> bool:
        return self.status in UNANSWERED_STATES

    def is_overdue(self, today) -> bool:
        """Not answered and past the respond-by date (escalated, or about to be by the job)."""
        return self.is_unanswered and self.respond_by < today

    def answered_late(self) -> bool:
        return self.answered_on is not None and self.answered_on > self.respond_by
