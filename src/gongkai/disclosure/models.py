"""Proactive disclosure (主动公开): items, catalogue, guide, register, figures, channels.

Models keep fields, choices, constraints and yes/no questions; every change
goes through ``services.py`` (the workflow's transition table lives there).
Other apps read these models through ``selectors.py``; field names are stable.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from gongkai.annual.format import LEVELS as LEVEL_CHOICES
from gongkai.bounds import date_in_range
from gongkai.core import counting

from .law import ARTICLE_ITEM_CHOICES
from .workflow import EDITABLE_STATES, ITEM


def http_url_validator(value: str) -> None:
    """Only http(s) addresses: no ``javascript:``, ``ftp:`` or ``file:`` links on a public page."""
    if value and not value.lower().startswith(("http://", "https://")):
        raise ValidationError("网址须以 http:// 或 https:// 开头。", code="url_scheme")


class Category(models.Model):
    """One node of a body's 政府信息公开目录 catalogue tree (条例第十二条)."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.CASCADE,
        related_name="disclosure_categories",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级类目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField("类目名称", max_length=100)
    # Letters, digits and hyphens; part of the index number (索引号).
    code = models.CharField("类目代码", max_length=20)
    order = models.PositiveIntegerField("排序", default=0)
    # 国办发〔2019〕54号: a town states which standard-catalogue areas do not apply.
    applies = models.BooleanField("适用本机关", default=True)
    not_applicable_reason = models.CharField("不适用理由", max_length=300, blank=True)
    # Catalogue columns of the grassroots standard catalogue (all optional).
    content_elements = models.TextField("公开内容（要素）", blank=True)
    basis = models.TextField("公开依据", blank=True)
    time_limit = models.CharField("公开时限", max_length=200, blank=True)
    channels = models.CharField("公开渠道和载体", max_length=300, blank=True)
    # 责任科室 of the column (shown on the category page and in the 主动公开事项清单).
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="责任科室",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="disclosure_categories",
    )

    class Meta:
        verbose_name = "公开目录类目"
        verbose_name_plural = "公开目录类目"
        ordering = ["organization", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="disclosure_category_unique_code"
            ),
            models.CheckConstraint(
                condition=Q(applies=True) | ~Q(not_applicable_reason=""),
                name="disclosure_category_reason_when_not_applicable",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="disclosure_category_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Item(models.Model):
    """One piece of government information (政府信息) going through review to publication."""

    # Generated from the workflow table (workflow.ITEM): states and labels are
    # declared once; Status.DRAFT == "draft", etc.
    Status = models.TextChoices("Status", ITEM.members())

    # 国办发〔2016〕80号 公开属性源头认定.
    class Attribute(models.TextChoices):
        PROACTIVE = "proactive", "主动公开"
        ON_REQUEST = "on_request", "依申请公开"
        WITHHELD = "withheld", "不予公开"

    class Kind(models.TextChoices):
        NOTICE = "notice", "通知公告"
        POLICY = "policy", "政策文件"
        NORMATIVE = "normative", "规范性文件"
        INTERPRETATION = "interpretation", "政策解读"
        BUDGET = "budget", "预决算"
        LIST = "list", "公示公告"
        OTHER = "other", "其他"

    class BodyFormat(models.TextChoices):
        PLAIN = "plain", "纯文本"
        HTML = "html", "HTML（已清洗）"

    ArticleItem = models.TextChoices(
        "ArticleItem", [(key.upper(), (key, label)) for key, label in ARTICLE_ITEM_CHOICES]
    )

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.PROTECT,
        related_name="disclosure_items",
    )
    title = models.CharField("标题", max_length=300)
    document_number = models.CharField("文号", max_length=100, blank=True)
    summary = models.CharField("内容概述", max_length=500, blank=True)
    # Plain text, or HTML that has passed nh3 (services sanitise; never raw user HTML).
    body = models.TextField("正文", blank=True)
    body_format = models.CharField(
        "正文格式", max_length=10, choices=BodyFormat.choices, default=BodyFormat.PLAIN
    )
    attachment_text = models.TextField("附件文字（检索用）", blank=True)
    formed_on = models.DateField("形成或变更日期")
    attribute = models.CharField(
        "公开属性", max_length=20, choices=Attribute.choices, default=Attribute.PROACTIVE
    )
    attribute_reason = models.TextField("不公开或依申请公开的理由", blank=True)
    attribute_basis = models.CharField("法律依据", max_length=300, blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name="目录类目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    article_item = models.CharField(
        "条例依据（第二十条/第二十一条）", max_length=10, choices=ArticleItem.choices, blank=True
    )
    subject_words = models.CharField("主题词", max_length=200, blank=True)
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="承办科室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosure_items",
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.NOTICE)
    interprets = models.ForeignKey(
        "self",
        verbose_name="所解读的政策",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interpretations",
    )
    # 转载: information first published elsewhere is marked and names its 信息来源
    # (the source body or site; the public page shows it next to the 发布机构).
    is_reposted = models.BooleanField("转载", default=False)
    source_name = models.CharField("信息来源", max_length=200, blank=True)
    source_url = models.URLField(
        "来源网址", max_length=500, blank=True, validators=[http_url_validator]
    )
    notice_from = models.DateField("公示期开始", null=True, blank=True)
    notice_to = models.DateField("公示期结束", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    return_comment = models.TextField("退回意见", blank=True)
    # 索引号: assigned at publication, unique per body, never reused (see services).
    index_number = models.CharField("索引号", max_length=80, blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdraw_reason = models.TextField("撤回理由", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="起草人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Who last changed the draft (create or edit; not the reviewer's masking): the
    # reviewer and the approver must be other people (separation of duties).
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 拟稿/审核/签发 as the public page shows them, fixed when the item is
    # published (PublishingSettings.signoff_display: real names or posts), so a
    # later change of staff, name or post never rewrites a published page.
    signoff_drafter = models.CharField("拟稿", max_length=100, blank=True, editable=False)
    signoff_reviewer = models.CharField("审核", max_length=100, blank=True, editable=False)
    signoff_approver = models.CharField("签发", max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "政府信息"
        verbose_name_plural = "政府信息"
        ordering = ["-published_at", "-formed_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "status", "-published_at"], name="item_org_pub"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(notice_from__isnull=True)
                | Q(notice_to__isnull=True)
                | Q(notice_from__lte=F("notice_to")),
                name="disclosure_item_notice_period_order",
            ),
            models.UniqueConstraint(
                fields=["organization", "index_number"],
                condition=~Q(index_number=""),
                name="disclosure_item_unique_index_number",
            ),
            # 国办发〔2016〕80号: not proactive needs a reason and a legal basis.
            models.CheckConstraint(
                condition=Q(attribute="proactive")
                | (~Q(attribute_reason="") & ~Q(attribute_basis="")),
                name="disclosure_item_reason_when_not_proactive",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="disclosure_item_published_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(interprets=F("pk")), name="disclosure_item_not_own_interpretation"
            ),
            models.CheckConstraint(
                condition=Q(is_reposted=False) | ~Q(source_name=""),
                name="disclosure_item_repost_has_source",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("disclosure:item_detail", args=[self.pk])

    @property
    def formed_on_wrong(self) -> bool:
        """A stored 形成日期 outside the sane range (gongkai.bounds): shown as wrong."""
        return not date_in_range(self.formed_on)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_public(self) -> bool:
        """Published and 主动公开: what the portal and the search index may show
        (the body's own is_active is checked by the public querysets)."""
        return self.status == self.Status.PUBLISHED and self.attribute == self.Attribute.PROACTIVE

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATES

    def notice_current(self, today) -> bool:
        """Is ``today`` inside the 公示期 (for the service-hall screen)?"""
        return bool(
            self.notice_from and self.notice_to and self.notice_from <= today <= self.notice_to
        )

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        # 国办发〔2016〕80号: 依申请公开/不予公开 needs the reason and the legal basis.
        if self.attribute != self.Attribute.PROACTIVE:
            if not (self.attribute_reason or "").strip():
                errors["attribute_reason"] = "公开属性不是“主动公开”时，必须写明理由。"
            if not (self.attribute_basis or "").strip():
                errors["attribute_basis"] = "公开属性不是“主动公开”时，必须写明法律依据。"
        if self.notice_from and self.notice_to and self.notice_from > self.notice_to:
            errors["notice_to"] = "公示期结束日期不能早于开始日期。"
        if bool(self.notice_from) != bool(self.notice_to):
            errors["notice_to"] = "公示期需同时填写开始和结束日期。"
        org_id = self.organization_id
        if self.category_id and self.category.organization_id != org_id:
            errors["category"] = "所选目录类目不属于本机关。"
        if self.unit_id and self.unit.organization_id != org_id:
            errors["unit"] = "所选科室不属于本机关。"
        if self.interprets_id:
            policy = self.interprets
            if self.kind != self.Kind.INTERPRETATION:
                errors["interprets"] = "只有“政策解读”类信息才能关联所解读的政策。"
            elif policy.organization_id != org_id:
                errors["interprets"] = "所解读的政策不属于本机关。"
            elif policy.kind not in (self.Kind.POLICY, self.Kind.NORMATIVE):
                errors["interprets"] = "所解读的信息必须是政策文件或规范性文件。"
            elif policy.pk == self.pk:
                errors["interprets"] = "不能解读自身。"
        if self.is_reposted and not (self.source_name or "").strip():
            errors["source_name"] = "转载的信息必须填写信息来源（原发布机关或网站名称）。"
        if errors:
            raise ValidationError(errors)

    @property
    def has_signoff(self) -> bool:
        return bool(self.signoff_drafter or self.signoff_reviewer or self.signoff_approver)

    def full_text(self) -> str:
        return "\n".join(
            p for p in (self.title, self.summary, self.body, self.attachment_text) if p
        )


class Attachment(models.Model):
    """A file attached to an item, stored through ``gongkai.uploads``."""

    item = models.ForeignKey(
        Item, verbose_name="政府信息", on_delete=models.CASCADE, related_name="attachments"
    )
    path = models.CharField("存储路径", max_length=300)
    original_name = models.CharField("文件名", max_length=255)
    kind = models.CharField("类型", max_length=10)
    size = models.PositiveBigIntegerField("大小（字节）")
    text = models.TextField("提取的文字", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return self.original_name


class IndexCounter(models.Model):
    """The last sequence number handed out per body and year (索引号 are never reused)."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="disclosure_indexcounter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.year}: {self.last}"


class Publication(models.Model):
    """Where and when an item was published (条例第二十三条-第二十五条)."""

    class Channel(models.TextChoices):
        WEBSITE = "website", "网站"
        BULLETIN_BOARD = "bulletin_board", "公示栏"
        SCREEN = "screen", "电子屏"
        WECHAT_ACCOUNT = "wechat_account", "微信公众号"
        WECHAT_GROUP = "wechat_group", "微信群"
        BROADCAST = "broadcast", "广播"
        BRIEFING = "briefing", "简报"
        OTHER = "other", "其他"

    item = models.ForeignKey(
        Item, verbose_name="政府信息", on_delete=models.CASCADE, related_name="publications"
    )
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    published_on = models.DateField("发布日期")
    note = models.CharField("备注", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "发布渠道记录"
        verbose_name_plural = "发布渠道记录"
        ordering = ["item", "published_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "channel", "published_on"], name="disclosure_publication_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_channel_display()} · {self.published_on}"


class Guide(models.Model):
    """The body's 政府信息公开指南 (条例第十二条)."""

    organization = models.OneToOneField(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.CASCADE,
        related_name="disclosure_guide",
    )
    text = models.TextField("指南正文")
    generated_at = models.DateTimeField("生成时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "政府信息公开指南"
        verbose_name_plural = "政府信息公开指南"

    def __str__(self) -> str:
        return f"{self.organization}政府信息公开指南"


# The one definition of a register document "in force" (现行有效) on a day
# (条例第二十条第（一）项; format rule 6) lives with the other counting rules of
# the annual report; ``prefix`` lets a query through a relation use it
# (``normative_in_force_q(day, "normative_documents__")``).
normative_in_force_q = counting.in_force_q


class NormativeDocumentQuerySet(models.QuerySet):
    def in_force_q(self, day: dt.date) -> Q:
        return normative_in_force_q(day)

    def in_force_on(self, day: dt.date) -> NormativeDocumentQuerySet:
        return self.filter(normative_in_force_q(day))


class NormativeDocument(models.Model):
    """The register of 规章 and 行政规范性文件 (条例第二十条第（一）项; table 2)."""

    class Kind(models.TextChoices):
        NORMATIVE = "normative", "行政规范性文件"
        REGULATION = "regulation", "规章"

    class Status(models.TextChoices):
        ISSUED = "issued", "现行有效"
        AMENDED = "amended", "已修订"
        ABOLISHED = "abolished", "已废止"
        EXPIRED = "expired", "已失效"

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.PROTECT,
        related_name="normative_documents",
    )
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.NORMATIVE)
    title = models.CharField("名称", max_length=300)
    document_number = models.CharField("文号", max_length=100, blank=True)
    issued_on = models.DateField("印发日期")
    effective_from = models.DateField("施行日期", null=True, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.ISSUED)
    amended_on = models.DateField("修订日期", null=True, blank=True)
    abolished_on = models.DateField("废止日期", null=True, blank=True)
    expired_on = models.DateField("失效日期", null=True, blank=True)
    item = models.ForeignKey(
        Item,
        verbose_name="公开该文件的政府信息",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="normative_documents",
    )
    # The document that replaced (or amended) this one: the 失效文件清单 and the
    # item page's banner link to it.  Set here, in the register, only.
    replaced_by = models.ForeignKey(
        "self",
        verbose_name="替代（修订）文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    note = models.CharField("备注", max_length=300, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = NormativeDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "规范性文件登记"
        verbose_name_plural = "规范性文件登记"
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_from__isnull=True) | Q(effective_from__gte=F("issued_on")),
                name="normdoc_effective_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("issued_on")),
                name="normdoc_valid_until_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(abolished_on__isnull=True) | Q(abolished_on__gte=F("issued_on")),
                name="normdoc_abolished_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(expired_on__isnull=True) | Q(expired_on__gte=F("issued_on")),
                name="normdoc_expired_after_issue",
            ),
            models.CheckConstraint(
                condition=~Q(status="abolished") | Q(abolished_on__isnull=False),
                name="normdoc_abolished_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="expired") | Q(expired_on__isnull=False),
                name="normdoc_expired_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(replaced_by=F("pk")), name="normdoc_not_replaced_by_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.document_number}）" if self.document_number else self.title

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        # 《立法法》第九十三条: only bodies with that power make 规章.
        if (
            self.kind == self.Kind.REGULATION
            and self.organization_id
            and not self.organization.may_make_regulations
        ):
            errors["kind"] = "本机关没有规章制定权，只能登记行政规范性文件。"
        issued = self.issued_on
        for field, label in (
            ("effective_from", "施行日期"),
            ("valid_until", "有效期至"),
            ("abolished_on", "废止日期"),
            ("expired_on", "失效日期"),
            ("amended_on", "修订日期"),
        ):
            value = getattr(self, field)
            if issued and value and value < issued:
                errors[field] = f"{label}不能早于印发日期。"
        if self.status == self.Status.ABOLISHED and not self.abolished_on:
            errors["abolished_on"] = "状态为“已废止”时请填写废止日期。"
        if self.status == self.Status.EXPIRED and not self.expired_on:
            errors["expired_on"] = "状态为“已失效”时请填写失效日期。"
        if self.status == self.Status.AMENDED and not self.amended_on:
            errors["amended_on"] = "状态为“已修订”时请填写修订日期。"
        # The status may not contradict the dates: a document with a 废止/失效 date
        # is no longer 现行有效 (table 2 counts it from the date).
        if self.status in (self.Status.ISSUED, self.Status.AMENDED):
            label = self.get_status_display()
            if self.abolished_on:
                errors["status"] = f"已填写废止日期，状态不能是“{label}”，请选“已废止”。"
            elif self.expired_on:
                errors["status"] = f"已填写失效日期，状态不能是“{label}”，请选“已失效”。"
        if self.item_id and self.item.organization_id != self.organization_id:
            errors["item"] = "所关联的政府信息不属于本机关。"
        if self.replaced_by_id:
            if self.status == self.Status.ISSUED:
                errors["replaced_by"] = "只有已修订、已废止或已失效的文件才能填写替代（修订）文件。"
            elif self.replaced_by_id == self.pk:
                errors["replaced_by"] = "替代文件不能是本文件。"
            elif self.replaced_by.organization_id != self.organization_id:
                errors["replaced_by"] = "替代文件不属于本机关的登记。"
        if errors:
            raise ValidationError(errors)

    def in_force_on(self, day: dt.date) -> bool:
        """条例第二十条第（一）项 / table 2 "现行有效" on ``day`` — the same rule as
        :func:`normative_in_force_q` (gongkai.core.counting; see docs/disclosure.md)."""
        return counting.in_force_on(self, day)

    def state_on(self, day: dt.date) -> str:
        """What a page shows for the document on ``day``, derived from the dates
        (so a document whose 有效期 has run out never shows 现行有效)."""
        if self.in_force_on(day):
            return "现行有效（已修订）" if self.status == self.Status.AMENDED else "现行有效"
        if self.issued_on > day:
            return "尚未印发"
        if self.abolished_on and self.abolished_on <= day:
            return "已废止"
        return "已失效"

    def void_on(self, day: dt.date) -> str:
        """The register's word for a document the public should no longer rely
        on, on ``day``: "已废止", "已失效", "已修订", or "" (in force, unamended).
        The 失效文件清单, the item banner and the item lists all use this."""
        if self.issued_on > day:
            return ""
        if not self.in_force_on(day):
            return self.state_on(day)
        return "已修订" if self.status == self.Status.AMENDED else ""

    def void_date(self, day: dt.date) -> dt.date | None:
        """The date that goes with :meth:`void_on` on ``day``: the day it was
        abolished, the day it lapsed (``expired_on``, or the day after
        ``valid_until``), or the day it was amended; None while in force."""
        state = self.void_on(day)
        if state == "已废止":
            return self.abolished_on
        if state == "已失效":
            lapsed = [self.expired_on] if self.expired_on and self.expired_on <= day else []
            if self.valid_until and self.valid_until < day:
                lapsed.append(self.valid_until + dt.timedelta(days=1))
            return min(lapsed) if lapsed else None
        if state == "已修订":
            return self.amended_on
        return None


class YearlyFigures(models.Model):
    """Table 2 figures that come from other systems (许可、处罚、强制、收费)."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.PROTECT,
        related_name="disclosure_yearly_figures",
    )
    year = models.PositiveIntegerField("年度")
    licensing = models.PositiveIntegerField("行政许可 本年处理决定数量", default=0)
    penalty = models.PositiveIntegerField("行政处罚 本年处理决定数量", default=0)
    coercion = models.PositiveIntegerField("行政强制 本年处理决定数量", default=0)
    fees = models.DecimalField(
        "行政事业性收费 本年收费金额（万元）", max_digits=18, decimal_places=6, default=0
    )
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
        verbose_name = "年度主动公开数据"
        verbose_name_plural = "年度主动公开数据"
        ordering = ["organization", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="disclosure_yearlyfigures_unique"
            ),
            models.CheckConstraint(condition=Q(fees__gte=0), name="yearlyfigures_fees_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}年"


class ImportJob(models.Model):
    """An uploaded import file, checked by a dry run before it is imported in one go."""

    class Kind(models.TextChoices):
        ITEMS = "items", "政府信息"
        CATALOGUE = "catalogue", "公开目录"

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("导入内容", max_length=20, choices=Kind.choices)
    path = models.CharField("存储路径", max_length=300)
    original_name = models.CharField("文件名", max_length=255)
    row_count = models.PositiveIntegerField("行数", default=0)
    error_count = models.PositiveIntegerField("错误数", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    imported_at = models.DateTimeField("导入时间", null=True, blank=True)
    # The trial run, computed once (on upload) and shown from here: a GET of the
    # import page never reads or parses the file again (issue #9, import bombs).
    report = models.JSONField("试导入结果", null=True, blank=True, editable=False)
    checked_at = models.DateTimeField("试导入时间", null=True, blank=True)
    # Rows with a 公开日期 in the trial run: they are published on import, so the
    # import then needs a 审批领导 other than the uploader (review of issue #9).
    publishes = models.PositiveIntegerField("已公开行数", default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认导入人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    declined_at = models.DateTimeField("不同意导入时间", null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="不同意导入的审批领导",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decline_reason = models.TextField("不同意导入的理由", blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def file_kind(self) -> str:
        """ "xlsx" or "csv", from the stored file's name (uploads keep the checked kind)."""
        return self.path.rsplit(".", 1)[-1]

    @property
    def awaits_confirmation(self) -> bool:
        """Checked without errors, publishes rows, neither imported nor declined."""
        return (
            self.publishes > 0
            and self.imported_at is None
            and self.declined_at is None
            and bool(self.report and self.report.get("ok"))
        )


class NoticeSettings(models.Model):
    """A body's choices about its 公示 once the 公示期 has ended (issue #9).

    A 公示 (名单、补贴、低保公示) shows names and parts of ID numbers for its 公示期
    only; after it, keeping them on the website is no longer necessary
    (条例第十五条; 个人信息保护法第十九条: kept no longer than the purpose needs).
    By default the clerk is reminded to withdraw or mask it; a body may choose
    to have ``gongkai remind`` mask the personal data automatically.
    """

    organization = models.OneToOneField(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.CASCADE,
        related_name="notice_settings",
    )
    auto_mask_expired = models.BooleanField(
        "公示期满后自动打码",
        default=False,
        help_text="开启后，每日提醒任务（gongkai remind）对公示期已满的公示正文中的"
        "个人信息自动打码并留痕；附件中的个人信息仍需撤回或替换。",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "公示期满处理设置"
        verbose_name_plural = "公示期满处理设置"

    def __str__(self) -> str:
        return f"{self.organization}公示期满处理设置"


class NoticeExpiryReminder(models.Model):
    """The one reminder about an expired 公示 that still shows personal data:
    ``gongkai remind`` sends it once (idempotent); the work list keeps showing
    the item until it is masked or withdrawn."""

    item = models.OneToOneField(
        Item,
        verbose_name="政府信息",
        on_delete=models.CASCADE,
        related_name="notice_expiry_reminder",
    )
    sent_on = models.DateField("提醒日期")
    recipients = models.TextField("收件人", blank=True)
    emailed = models.BooleanField("已发邮件", default=False)

    class Meta:
        verbose_name = "公示期满提醒"
        verbose_name_plural = "公示期满提醒"

    def __str__(self) -> str:
        return f"{self.item}（{self.sent_on:%Y-%m-%d}）"


# --- catalogue state, the three lists (三项清单), standard catalogues ------------------


class Catalogue(models.Model):
    """Facts about a body's catalogue as a whole: when it last changed (条例第十二条:
    the catalogue is kept current, and its page says since when)."""

    organization = models.OneToOneField(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.CASCADE,
        related_name="disclosure_catalogue",
    )
    updated_at = models.DateTimeField("目录更新时间")

    class Meta:
        verbose_name = "公开目录"
        verbose_name_plural = "公开目录"

    def __str__(self) -> str:
        return f"{self.organization}公开目录"


class ListKind(models.TextChoices):
    """三项清单 (an indicator of local 政务公开 assessments)."""

    PROACTIVE = "proactive", "主动公开事项清单"
    ON_REQUEST = "on_request", "依申请公开事项清单"
    WITHHELD = "withheld", "不予公开事项清单"


class ListEntry(models.Model):
    """One entry of a body's 依申请公开 or 不予公开 list, as being edited.

    The public sees published revisions only (:class:`ListRevision`); the
    主动公开事项清单 is taken from the catalogue when it is published."""

    Kind = ListKind

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.CASCADE,
        related_name="disclosure_list_entries",
    )
    kind = models.CharField("清单", max_length=20, choices=ListKind.choices)
    name = models.CharField("事项名称", max_length=200)
    content = models.TextField("事项内容", blank=True)
    # 国办发〔2016〕80号: 不予公开 needs its reason and legal basis.
    reason = models.TextField("理由", blank=True)
    basis = models.TextField("依据", blank=True)
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="责任科室",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "清单事项"
        verbose_name_plural = "清单事项"
        ordering = ["organization", "kind", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["on_request", "withheld"]),
                name="disclosure_listentry_kind_edited",
            ),
            models.CheckConstraint(
                condition=~Q(kind="withheld") | (~Q(reason="") & ~Q(basis="")),
                name="disclosure_listentry_withheld_reason_basis",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ListRevision(models.Model):
    """One published version of a list: what the public page shows, frozen."""

    Kind = ListKind

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.PROTECT,
        related_name="disclosure_list_revisions",
    )
    kind = models.CharField("清单", max_length=20, choices=ListKind.choices)
    number = models.PositiveIntegerField("版次")
    revised_on = models.DateField("修订日期")
    note = models.TextField("修订说明")
    # [{"name", "content", "basis", "time_limit", "channels", "unit", "reason"}, ...]
    entries = models.JSONField("清单内容", default=list)
    published_at = models.DateTimeField("发布时间")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "清单版本"
        verbose_name_plural = "清单版本"
        ordering = ["organization", "kind", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "number"], name="disclosure_listrevision_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="listrevision_number_pos"),
            models.CheckConstraint(condition=~Q(note=""), name="listrevision_has_note"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（第{self.number}版）"


class StandardCatalogue(models.Model):
    """A standard catalogue a supervising body (e.g. the county's 政务公开办)
    offers to the bodies below it (国办发〔2019〕54号 基层政务公开标准目录)."""

    publisher = models.ForeignKey(
        "organizations.Organization",
        verbose_name="发布机关",
        on_delete=models.PROTECT,
        related_name="standard_catalogues",
    )
    title = models.CharField("标准目录名称", max_length=200)
    # Which bodies below the publisher it is meant for ("" = all of them).
    target_level = models.CharField(
        "适用层级", max_length=20, blank=True, choices=[("", "全部下级机关"), *LEVEL_CHOICES]
    )
    # The draft being prepared: [{"code", "name", "parent_code", "content_elements",
    # "basis", "time_limit", "channels"}, ...]; published versions are frozen copies.
    draft_rows = models.JSONField("草稿", default=list)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "标准目录"
        verbose_name_plural = "标准目录"
        ordering = ["publisher", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["publisher", "title"], name="disclosure_standardcatalogue_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title


class StandardCatalogueVersion(models.Model):
    """One published version of a standard catalogue (never changed afterwards)."""

    standard = models.ForeignKey(
        StandardCatalogue,
        verbose_name="标准目录",
        on_delete=models.PROTECT,
        related_name="versions",
    )
    number = models.PositiveIntegerField("版本号")
    rows = models.JSONField("类目")
    note = models.TextField("版本说明")
    published_at = models.DateTimeField("发布时间")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "标准目录版本"
        verbose_name_plural = "标准目录版本"
        ordering = ["standard", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "number"], name="disclosure_standardversion_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="standardversion_number_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.standard}（第{self.number}版）"


class CatalogueAdoption(models.Model):
    """A body adopted a version of a standard catalogue into its own (merged)."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.PROTECT,
        related_name="catalogue_adoptions",
    )
    version = models.ForeignKey(
        StandardCatalogueVersion,
        verbose_name="标准目录版本",
        on_delete=models.PROTECT,
        related_name="adoptions",
    )
    adopted_at = models.DateTimeField("采用时间")
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="采用人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created = models.PositiveIntegerField("新增类目数", default=0)
    updated = models.PositiveIntegerField("更新类目数", default=0)

    class Meta:
        verbose_name = "标准目录采用记录"
        verbose_name_plural = "标准目录采用记录"
        ordering = ["-adopted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "version"], name="disclosure_adoption_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} 采用 {self.version}"


class PublishingSettings(models.Model):
    """A body's choices about what is published with an item (issue #11).

    - ``publish_with_interpretation``: 国办发〔2016〕80号 政策解读 "三同步" — a
      policy document and its interpretation are prepared, signed off and
      released together.  When on, approving a 政策文件/规范性文件 publishes its
      ready interpretation in the same step, and neither may be published
      without the other (services.items.item_approve).
    - ``signoff_display``: how the public page names who drafted, reviewed and
      signed the item off (拟稿/审核/签发): real names or posts.
    """

    class SignoffDisplay(models.TextChoices):
        POSTS = "posts", "显示岗位（科室和职责）"
        NAMES = "names", "显示姓名"

    organization = models.OneToOneField(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.CASCADE,
        related_name="publishing_settings",
    )
    publish_with_interpretation = models.BooleanField(
        "政策文件须与解读同步发布",
        default=False,
        help_text="开启后，政策文件、规范性文件须与其政策解读一并审批、同时公开；"
        "解读未送审批时政策文件不能公开，解读也不能早于政策文件公开。",
    )
    signoff_display = models.CharField(
        "拟稿、审核、签发的显示方式",
        max_length=10,
        choices=SignoffDisplay.choices,
        default=SignoffDisplay.POSTS,
        help_text="公开时确定并保存，之后人员或岗位变动不会改写已公开的页面。",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "发布设置"
        verbose_name_plural = "发布设置"
        constraints = [
            models.CheckConstraint(
                condition=Q(signoff_display__in=["posts", "names"]),
                name="publishingsettings_signoff_display_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization}发布设置"


# The three sections every 政策解读 has (what the policy is for and what it does;
# assessment practice for interpretation packages, docs/disclosure.md).
INTERPRETATION_SECTIONS = (
    ("background", "背景"),
    ("purpose", "目的"),
    ("measures", "主要举措"),
)
QA_MAX_PAIRS = 50
VIDEO_MAX_LINKS = 10


def clean_qa(pairs) -> list[dict[str, str]]:
    """The 简明问答 as ``[{"question", "answer"}]``: both parts of every pair filled;
    blank rows dropped.  Raises ValidationError naming each wrong pair."""
    if pairs in (None, ""):
        return []
    if not isinstance(pairs, list):
        raise ValidationError("简明问答的格式不正确。", code="qa_format")
    out, errors = [], []
    for n, pair in enumerate(pairs, 1):
        if not isinstance(pair, dict):
            errors.append(f"第{n}组问答的格式不正确。")
            continue
        question = str(pair.get("question") or "").strip()
        answer = str(pair.get("answer") or "").strip()
        if not question and not answer:
            continue
        if not question:
            errors.append(f"第{n}组问答缺少问题。")
        elif not answer:
            errors.append(f"第{n}组问答缺少回答。")
        else:
            out.append({"question": question, "answer": answer})
    if len(out) > QA_MAX_PAIRS:
        errors.append(f"简明问答最多{QA_MAX_PAIRS}组。")
    if errors:
        raise ValidationError(errors, code="qa_invalid")
    return out


def clean_videos(links) -> list[dict[str, str]]:
    """Video links as ``[{"title", "url"}]``: http(s) only, a title for each
    (shown as a link text; no third-party player is embedded)."""
    if links in (None, ""):
        return []
    if not isinstance(links, list):
        raise ValidationError("视频链接的格式不正确。", code="video_format")
    out, errors = [], []
    for n, link in enumerate(links, 1):
        if not isinstance(link, dict):
            errors.append(f"第{n}个视频链接的格式不正确。")
            continue
        title = str(link.get("title") or "").strip()
        url = str(link.get("url") or "").strip()
        if not title and not url:
            continue
        if not url.lower().startswith(("http://", "https://")) or len(url) > 500:
            errors.append(f"第{n}个视频链接的网址须以 http:// 或 https:// 开头（不超过500字符）。")
        elif not title:
            errors.append(f"第{n}个视频链接缺少标题。")
        else:
            out.append({"title": title[:200], "url": url})
    if len(out) > VIDEO_MAX_LINKS:
        errors.append(f"视频链接最多{VIDEO_MAX_LINKS}个。")
    if errors:
        raise ValidationError(errors, code="video_invalid")
    return out


class InterpretationContent(models.Model):
    """The structured part of a 政策解读 item: its required sections, an optional
    简明问答 and video links (the item's ``body`` stays the free text)."""

    item = models.OneToOneField(
        Item,
        verbose_name="政策解读",
        on_delete=models.CASCADE,
        related_name="interpretation_content",
    )
    # Plain text (shown with line breaks, escaped): no HTML to sanitise.  Required
    # (clean() says which, the constraint backs it); blank=True only so that the
    # message is clean()'s, not the generic one.
    background = models.TextField("背景", blank=True)
    purpose = models.TextField("目的", blank=True)
    measures = models.TextField("主要举措", blank=True)
    # [{"question": ..., "answer": ...}] — models.clean_qa.
    qa = models.JSONField("简明问答", default=list, blank=True)
    # [{"title": ..., "url": ...}] — models.clean_videos (http(s) only).
    videos = models.JSONField("视频链接", default=list, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "解读材料"
        verbose_name_plural = "解读材料"
        constraints = [
            models.CheckConstraint(
                condition=~Q(background="") & ~Q(purpose="") & ~Q(measures=""),
                name="interpretation_sections_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}（解读材料）"

    def missing_sections(self) -> list[str]:
        return [label for name, label in INTERPRETATION_SECTIONS if not getattr(self, name).strip()]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, object] = {}
        for name, label in INTERPRETATION_SECTIONS:
            if not (getattr(self, name) or "").strip():
                errors[name] = f"请填写“{label}”：政策解读须包含背景、目的和主要举措。"
        for name, check in (("qa", clean_qa), ("videos", clean_videos)):
            try:
                setattr(self, name, check(getattr(self, name)))
            except ValidationError as exc:
                errors[name] = exc.messages
        if errors:
            raise ValidationError(errors)


class InterpretationFigure(models.Model):
    """A 图解 image of a 政策解读, stored through ``gongkai.uploads`` (checked as an
    image, size-bounded); its alternative text is required (accessibility)."""

    item = models.ForeignKey(
        Item, verbose_name="政策解读", on_delete=models.CASCADE, related_name="figures"
    )
    path = models.CharField("存储路径", max_length=300)
    original_name = models.CharField("文件名", max_length=255)
    kind = models.CharField("类型", max_length=10)
    size = models.PositiveBigIntegerField("大小（字节）")
    width = models.PositiveIntegerField("宽（像素）")
    height = models.PositiveIntegerField("高（像素）")
    alt_text = models.CharField(
        "图片说明（替代文字）",
        max_length=300,
        help_text="读屏软件朗读的文字：概括图中的要点，供视障人士理解。",
    )
    order = models.PositiveIntegerField("排序", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "图解"
        verbose_name_plural = "图解"
        ordering = ["item", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="figure_alt_text_required"),
        ]

    def __str__(self) -> str:
        return self.alt_text


# --- Dedicated columns: 行政事业性收费 and 建议提案办理结果 (docs/decisions.md D68) ----


class FeeItem(models.Model):
    """One 行政事业性收费 item the body collects (条例第二十条第（八）项:
    行政事业性收费项目及其依据、标准).  A body with none marks that catalogue
    column 不适用 with its reason instead."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.CASCADE,
        related_name="fee_items",
    )
    name = models.CharField("收费项目名称", max_length=200)
    basis = models.TextField("收费依据", help_text="设立收费的文件名称及文号。")
    standard = models.TextField("收费标准")
    authority = models.CharField("批准机关", max_length=200, blank=True)
    collector = models.CharField("执收单位", max_length=200, blank=True)
    note = models.CharField("备注（减免政策等）", max_length=300, blank=True)
    abolished_on = models.DateField("取消日期", null=True, blank=True)
    order = models.PositiveIntegerField("排序", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "行政事业性收费项目"
        verbose_name_plural = "行政事业性收费项目"
        ordering = ["organization", "order", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.abolished_on and not date_in_range(self.abolished_on):
            raise ValidationError({"abolished_on": "取消日期超出可接受的范围。"})


class ProposalKind(models.TextChoices):
    NPC = "npc", "人大代表建议"
    CPPCC = "cppcc", "政协委员提案"


class ProposalRole(models.TextChoices):
    MAIN = "main", "主办"
    ASSIST = "assist", "协办"


class ProposalOutcome(models.TextChoices):
    # The usual A/B/C classification of a reply (所提问题已经解决或采纳 / 列入计划
    # 逐步解决 / 因条件限制等留作参考).
    ADOPTED = "adopted", "解决采纳"
    PLANNED = "planned", "列入计划"
    REFERENCE = "reference", "留作参考"


class ProposalReply(models.Model):
    """The 办理结果 of one 人大代表建议 or 政协委员提案 the body handled (国办发〔2014〕
    46号: bodies publish the replies; 条例第二十条第（十五）项).  The reply's full text
    is a published item (``item``), which went through 条例第十七条 review."""

    Kind = ProposalKind
    Role = ProposalRole
    Outcome = ProposalOutcome

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.CASCADE,
        related_name="proposal_replies",
    )
    year = models.PositiveIntegerField("年度")
    kind = models.CharField("类别", max_length=10, choices=ProposalKind.choices)
    number = models.CharField("建议（提案）编号", max_length=50)
    title = models.CharField("标题", max_length=300)
    role = models.CharField(
        "办理方式", max_length=10, choices=ProposalRole.choices, default=ProposalRole.MAIN
    )
    outcome = models.CharField("办理结果", max_length=10, choices=ProposalOutcome.choices)
    replied_on = models.DateField("答复日期")
    summary = models.TextField("办理情况摘要", blank=True)
    item = models.ForeignKey(
        Item,
        verbose_name="答复全文（已公开的政府信息）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposal_replies",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "建议提案办理结果"
        verbose_name_plural = "建议提案办理结果"
        ordering = ["organization", "-year", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "kind", "number"],
                name="proposal_reply_unique_number",
                violation_error_message="本机关该年度已登记这个编号的建议（提案）。",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ProposalKind.values), name="proposal_reply_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=ProposalOutcome.values),
                name="proposal_reply_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_kind_display()}第{self.number}号"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.replied_on and not date_in_range(self.replied_on):
            errors["replied_on"] = "答复日期超出可接受的范围。"
        if self.year is not None and not date_in_range(dt.date(min(max(self.year, 1), 9999), 1, 1)):
            errors["year"] = "年度超出可接受的范围。"
        if (
            self.item_id
            and self.organization_id
            and self.item.organization_id != self.organization_id
        ):
            errors["item"] = "所关联的政府信息不属于本机关。"
        if errors:
            raise ValidationError(errors)
