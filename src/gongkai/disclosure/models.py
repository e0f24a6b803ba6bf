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

from gongkai.bounds import date_in_range
from gongkai.core import counting

from .law import ARTICLE_ITEM_CHOICES
from .workflow import EDITABLE_STATES, ITEM


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
        if errors:
            raise ValidationError(errors)

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
