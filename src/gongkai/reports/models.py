"""The annual report document (政府信息公开工作年度报告) of a body for a year.

A draft holds the prose; its tables are computed from the records on every
view (``compute.report_compute``) and frozen into ``cells`` at submission;
publication refuses when the records no longer give those approved figures.
After publication the year is locked (``lock.py``): a
change to the records behind a published number needs a ReportCorrection.
The workflow is declared in ``workflow.py`` and taken in ``services.py``; this
module keeps fields and constraints.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.annual import format as fmt

from .compute import report_compute, report_of
from .workflow import REPORT, SOURCES

# The states and sources are declared once in workflow.py (Status.DRAFT == "draft").
Status = models.TextChoices("Status", REPORT.members())
Source = models.TextChoices(
    "Source", [(value.upper(), (value, label)) for value, label in SOURCES.items()]
)


SECTION_FIELDS: tuple[str, ...] = tuple(f"section_{s.number}" for s in fmt.SECTIONS)


class AnnualReport(models.Model):
    Status = Status
    Source = Source

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="机关",
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    source = models.CharField(
        "来源", max_length=16, choices=Source.choices, default=Source.PLATFORM
    )
    # The six sections of 条例第五十条 (headings from gongkai.annual.format).
    section_1 = models.TextField(fmt.SECTIONS[0].title, blank=True)
    section_2 = models.TextField(fmt.SECTIONS[1].title, blank=True)
    section_3 = models.TextField(fmt.SECTIONS[2].title, blank=True)
    section_4 = models.TextField(fmt.SECTIONS[3].title, blank=True)
    section_5 = models.TextField(fmt.SECTIONS[4].title, blank=True)
    section_6 = models.TextField(fmt.SECTIONS[5].title, blank=True)
    # Last year's section 五, copied when the draft is created, for the clerk to
    # report how those problems were fixed (format: section 五).
    previous_problems = models.TextField("上年报告所列问题", blank=True)
    # Canonical cell key -> value (int, or a decimal string for t2.fees).  Empty
    # for a draft (computed live); frozen at submission and at publication.
    cells = models.JSONField("表格数据", default=dict, blank=True)
    # The figures as first published, never changed by a correction.
    published_cells = models.JSONField("公布时的表格数据", default=dict, blank=True)
    return_comment = models.TextField("退回意见", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField("公布时间", null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="公布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Imported reports: the date the body published the original (elsewhere); it
    # becomes ``published_at`` when the 审批领导 confirms the import.
    source_published_on = models.DateField("原报告公布日期", null=True, blank=True)
    # Imported reports: the original file (gongkai.uploads path) and its name.
    source_path = models.CharField("原始文件", max_length=300, blank=True)
    source_name = models.CharField("原始文件名", max_length=255, blank=True)
    source_format = models.CharField("原始格式", max_length=10, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Who last changed the prose (start, edit, regenerate): the approver must be
    # someone else (separation of duties, issue #9).
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
        verbose_name = "政府信息公开工作年度报告"
        verbose_name_plural = "政府信息公开工作年度报告"
        ordering = ["organization", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="report_unique_year"),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="report_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="report_published_has_time",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2008) & Q(year__lte=2100), name="report_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization}{self.year}年政府信息公开工作年度报告"

    @property
    def title(self) -> str:
        return f"{self.organization.name}{self.year}年政府信息公开工作年度报告"

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_imported(self) -> bool:
        return self.source == Source.IMPORTED

    @property
    def is_editable(self) -> bool:
        return self.status == Status.DRAFT and self.source == Source.PLATFORM

    def to_report(self):
        """The document as a :class:`gongkai.annual.model.Report` (stored cells; a
        draft's cells are computed from the records)."""
        if self.cells or self.is_imported:
            return report_of(self)
        return report_of(
            self, cells=report_compute(organization=self.organization, year=self.year).cells
        )

    def section_texts(self) -> dict[int, str]:
        return {s.number: getattr(self, f"section_{s.number}") for s in fmt.SECTIONS}


class ReportCorrection(models.Model):
    """A recorded change to the records behind a published report (更正记录).

    Opened with a reason (the year accepts changes while it is open), closed
    when the changes are made: the cells that changed are stored before/after
    and the published report shows them.
    """

    report = models.ForeignKey(
        AnnualReport, verbose_name="年度报告", on_delete=models.PROTECT, related_name="corrections"
    )
    reason = models.TextField("更正理由")
    cells_before = models.JSONField("更正前的表格数据", default=dict, blank=True)
    # Only the cells that changed: key -> [before, after].
    changes = models.JSONField("变动的单元格", default=dict, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField("登记时间")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="完成人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField("完成时间", null=True, blank=True)
    # Section number (str) -> [text as published before this correction, corrected text].
    prose_changes = models.JSONField("正文更正", default=dict, blank=True)

    class Meta:
        verbose_name = "年度报告更正记录"
        verbose_name_plural = "年度报告更正记录"
        ordering = ["report", "opened_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="correction_has_reason"),
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(recorded_at__isnull=True),
                name="correction_one_open_per_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} 更正 {self.opened_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.recorded_at is None

    def prose_rows(self) -> list[tuple[str, str, str]]:
        """(section title, before, after) of the prose corrected, in section order."""
        return [
            (fmt.SECTION_BY_NUMBER[int(n)].title, before, after)
            for n, (before, after) in sorted(self.prose_changes.items(), key=lambda i: int(i[0]))
        ]

    def change_rows(self) -> list[tuple[str, str, object, object]]:
        return [
            (key, fmt.cell_label(key), before, after)
            for key, (before, after) in sorted(self.changes.items())
        ]


# The downloads of a published report, in the order the pages list them.
DOCUMENT_FORMATS: tuple[str, ...] = ("html", "docx", "xlsx", "json")


class ReportDocument(models.Model):
    """A published report's download in one format, made once and kept in storage.

    Written only by ``services.report_documents_generate`` (the
    ``reports.generate_documents`` job): one row per (report, format), replaced
    when the report's content changes.  ``digest`` is the content address of
    what the file was made from (``documents.documents_digest``); the download
    views send the file only when it equals the digest of the report as it is
    now, so a file made before a correction is never sent (docs/reports.md).
    """

    report = models.ForeignKey(
        AnnualReport, verbose_name="年度报告", on_delete=models.CASCADE, related_name="documents"
    )
    format = models.CharField("格式", max_length=8)
    digest = models.CharField("内容摘要", max_length=64)
    # The name in Django's default storage (data folder or S3-compatible bucket).
    path = models.CharField("存储位置", max_length=300)
    size = models.PositiveIntegerField("字节数")
    generated_at = models.DateTimeField("生成时间")

    class Meta:
        verbose_name = "年度报告下载文件"
        verbose_name_plural = "年度报告下载文件"
        ordering = ["report", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "format"], name="report_document_one_per_format"
            ),
            models.CheckConstraint(
                condition=Q(format__in=DOCUMENT_FORMATS), name="report_document_format_valid"
            ),
            models.UniqueConstraint(fields=["path"], name="report_document_unique_path"),
        ]
        indexes = [models.Index(fields=["digest", "format"], name="report_document_digest")]

    def __str__(self) -> str:
        return f"{self.report} {self.format}"


class SupervisionSettings(models.Model):
    """What a supervising body (county/district) sets for the bodies under it.

    条例第四十九条 fixes 31 January for departments and 31 March for county-level
    and higher governments; a 乡镇 reports to the county on a date the county sets.
    """

    organization = models.OneToOneField(
        "organizations.Organization",
        verbose_name="监督机关",
        on_delete=models.CASCADE,
        related_name="report_supervision",
    )
    town_deadline_month = models.PositiveSmallIntegerField("乡镇报告期限（月）", default=2)
    town_deadline_day = models.PositiveSmallIntegerField("乡镇报告期限（日）", default=20)
    # Indicator key -> weight (see assessment.INDICATORS); missing keys use defaults.
    indicator_weights = models.JSONField("考核指标权重", default=dict, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "年度报告监督设置"
        verbose_name_plural = "年度报告监督设置"
        constraints = [
            models.CheckConstraint(
                condition=Q(town_deadline_month__gte=1) & Q(town_deadline_month__lte=3),
                name="supervision_town_month_range",
            ),
            models.CheckConstraint(
                condition=Q(town_deadline_day__gte=1) & Q(town_deadline_day__lte=31),
                name="supervision_town_day_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} 年度报告监督设置"
