"""Forms validate input; they never change state (services do)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from gongkai.bounds import BoundedDateField
from gongkai.organizations.models import Organization, Unit
from gongkai.uploads import UploadRejected, check_upload

from .models import (
    Category,
    Guide,
    ImportJob,
    Item,
    ListEntry,
    NormativeDocument,
    Publication,
    PublishingSettings,
    StandardCatalogue,
)
from .services import ATTACHMENT_KINDS, EDITABLE_FIELDS, standard_rows_parse
from .services.interpretation import figure_max_bytes

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ItemForm(forms.ModelForm):
    source_url = forms.URLField(
        label="来源网址",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="可选：原文网址（http:// 或 https://）。",
    )
    attachments = MultipleFileField(
        label="附件",
        required=False,
        help_text="可多选。允许 PDF、OFD、Word、Excel、JPG、PNG、TXT；网页、SVG 和可执行文件会被拒绝。",
    )
    remove_attachments = forms.ModelMultipleChoiceField(
        label="删除附件",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Item
        fields = EDITABLE_FIELDS
        field_classes = {f: BoundedDateField for f in ("formed_on", "notice_from", "notice_to")}
        widgets = {
            "formed_on": DATE,
            "notice_from": DATE,
            "notice_to": DATE,
            "body": forms.Textarea(attrs={"rows": 12}),
            "attribute_reason": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.TextInput(),
        }
        help_texts = {
            "formed_on": "条例第二十六条：自形成或变更之日起20个工作日内公开。",
            "attribute": "国办发〔2016〕80号：起草时即认定公开属性；非主动公开须写明理由和依据。",
            "notice_from": "公示类信息填写，电子屏按公示期滚动显示。",
            "body_format": "选“HTML”时只保留安全的标签，脚本和样式会被清除。",
            "interprets": "仅“政策解读”填写：关联所解读的政策文件或规范性文件。",
            "is_reposted": "转载其他机关或网站发布的信息时勾选，并填写信息来源。",
            "source_name": "转载时必填：原发布机关或网站的名称。",
        }

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(
            organization=organization
        ).order_by("order", "code")
        self.fields["unit"].queryset = Unit.objects.filter(
            organization=organization, is_active=True
        )
        policies = Item.objects.filter(
            organization=organization, kind__in=(Item.Kind.POLICY, Item.Kind.NORMATIVE)
        ).exclude(status__in=(Item.Status.WITHDRAWN, Item.Status.RECORDED))
        if self.instance.pk:
            policies = policies.exclude(pk=self.instance.pk)
        self.fields["interprets"].queryset = policies
        if self.instance.pk:
            self.fields["remove_attachments"].queryset = self.instance.attachments.all()
        else:
            del self.fields["remove_attachments"]

    def clean_attachments(self):
        # Only for the message next to the field; the write path checks each file
        # itself (services -> uploads.store_checked_upload), whoever calls it.
        files = self.cleaned_data.get("attachments") or []
        errors = []
        for file in files:
            try:
                check_upload(file, allowed=ATTACHMENT_KINDS)
            except UploadRejected as exc:
                errors.append(f"{file.name}：{exc.messages[0]}")
        if errors:
            raise forms.ValidationError(errors)
        return files

    def item_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in EDITABLE_FIELDS}


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="撤回理由", widget=forms.Textarea(attrs={"rows": 3}))


class ItemFilterForm(forms.Form):
    q = forms.CharField(label="标题或文号", required=False)
    status = forms.ChoiceField(label="状态", required=False)
    kind = forms.ChoiceField(label="类型", required=False)
    category = forms.ModelChoiceField(label="目录类目", queryset=None, required=False)
    unit = forms.ModelChoiceField(label="科室", queryset=None, required=False)
    year = forms.IntegerField(
        label="年度（形成日期）", required=False, min_value=2000, max_value=2100
    )

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "全部"), *Item.Status.choices]
        self.fields["kind"].choices = [("", "全部"), *Item.Kind.choices]
        self.fields["category"].queryset = Category.objects.filter(organization=organization)
        self.fields["unit"].queryset = Unit.objects.filter(organization=organization)
        self.fields["category"].empty_label = "全部"
        self.fields["unit"].empty_label = "全部"


class PublicationForm(forms.ModelForm):
    class Meta:
        model = Publication
        fields = ["channel", "published_on", "note"]
        field_classes = {"published_on": BoundedDateField}
        widgets = {"published_on": DATE}


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = [
            "parent",
            "name",
            "code",
            "order",
            "applies",
            "not_applicable_reason",
            "content_elements",
            "basis",
            "time_limit",
            "channels",
            "unit",
        ]
        widgets = {
            "content_elements": forms.Textarea(attrs={"rows": 2}),
            "basis": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"code": "字母、数字或连字符，机关内唯一；会出现在索引号中。"}

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        parents = Category.objects.filter(organization=organization)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["unit"].queryset = Unit.objects.filter(
            organization=organization, is_active=True
        )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.replace("-", "").isascii() or not code.replace("-", "").isalnum():
            raise forms.ValidationError("类目代码只能由字母、数字和连字符组成。")
        return code

    def clean(self):
        data = super().clean()
        if not data.get("applies") and not (data.get("not_applicable_reason") or "").strip():
            self.add_error("not_applicable_reason", "标为不适用时，请写明理由。")
        return data


class GuideForm(forms.ModelForm):
    class Meta:
        model = Guide
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 30})}


DOCUMENT_DATES = (
    "issued_on",
    "effective_from",
    "valid_until",
    "amended_on",
    "abolished_on",
    "expired_on",
)


class NormativeDocumentForm(forms.ModelForm):
    class Meta:
        model = NormativeDocument
        fields = [
            "kind",
            "title",
            "document_number",
            "issued_on",
            "effective_from",
            "valid_until",
            "status",
            "amended_on",
            "abolished_on",
            "expired_on",
            "item",
            "replaced_by",
            "note",
        ]
        field_classes = {f: BoundedDateField for f in DOCUMENT_DATES}
        widgets = {f: DATE for f in DOCUMENT_DATES}
        help_texts = {
            "valid_until": "有效期的最后一天；过了这一天即不再计入“现行有效”。",
            "kind": "规章仅限有规章制定权的机关（《立法法》第九十三条）。",
            "replaced_by": "已修订、已废止或已失效时，选择修订或替代它的文件（须先登记）；"
            "公开页面的失效文件清单和本文件页面的提示会链接到它。",
        }

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        if not organization.may_make_regulations:
            self.fields["kind"].choices = [
                c for c in self.fields["kind"].choices if c[0] != NormativeDocument.Kind.REGULATION
            ]
        self.fields["item"].queryset = Item.objects.filter(
            organization=organization, kind__in=(Item.Kind.NORMATIVE, Item.Kind.POLICY)
        )
        others = NormativeDocument.objects.filter(organization=organization)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["replaced_by"].queryset = others


class YearlyFiguresForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    licensing = forms.IntegerField(label="行政许可 本年处理决定数量", min_value=0)
    penalty = forms.IntegerField(label="行政处罚 本年处理决定数量", min_value=0)
    coercion = forms.IntegerField(label="行政强制 本年处理决定数量", min_value=0)
    fees = forms.DecimalField(
        label="行政事业性收费 本年收费金额（万元）",
        min_value=0,
        max_digits=18,
        decimal_places=6,
        help_text="单位：万元，最多6位小数。例如 1,234.5 元填 0.12345。",
    )


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label="导入内容", choices=ImportJob.Kind.choices)
    file = forms.FileField(label="文件（.xlsx 或 .csv）")

    def clean_file(self):
        file = self.cleaned_data["file"]
        check_upload(file, allowed={"xlsx", "csv"})
        return file


class ImportDeclineForm(forms.Form):
    """An approver's reason for not confirming an import that publishes rows."""

    reason = forms.CharField(
        label="不同意导入的理由",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- 三项清单 and standard catalogues ----------------------------------------------------


WITHHELD_REASON_HELP = "如：涉及国家秘密、商业秘密、个人隐私，或属于内部事务信息、过程性信息。"
WITHHELD_BASIS_HELP = "写明条文，如：《中华人民共和国政府信息公开条例》第十四条。"


class ListEntryForm(forms.ModelForm):
    class Meta:
        model = ListEntry
        fields = ["name", "content", "reason", "basis", "unit", "order"]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 2}),
            "reason": forms.Textarea(attrs={"rows": 2}),
            "basis": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, organization: Organization, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        self.instance.kind = kind
        self.fields["unit"].queryset = Unit.objects.filter(
            organization=organization, is_active=True
        )
        if kind == ListEntry.Kind.WITHHELD:
            self.fields["reason"].label = "不予公开的理由"
            self.fields["basis"].label = "法律依据"
            self.fields["reason"].help_text = WITHHELD_REASON_HELP
            self.fields["basis"].help_text = WITHHELD_BASIS_HELP
        else:
            self.fields["reason"].label = "说明"
            self.fields["basis"].label = "依据"


class NoteForm(forms.Form):
    note = forms.CharField(
        label="修订说明",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="本次修订改了什么、为什么；会在公开页面的修订记录中显示。",
    )


class StandardForm(forms.Form):
    title = forms.CharField(label="标准目录名称", max_length=200)
    target_level = forms.ChoiceField(
        label="适用层级",
        choices=StandardCatalogue._meta.get_field("target_level").choices,
        required=False,
    )
    rows = forms.CharField(
        label="类目（每行一个）",
        widget=forms.Textarea(attrs={"rows": 16, "class": "mono"}),
        required=False,
        help_text="每行：代码 | 名称 | 上级代码 | 公开内容 | 公开依据 | 公开时限 | 公开渠道；"
        "后面几列可以不写。上级类目须写在下级类目之前。",
    )

    def clean_rows(self):
        try:
            return standard_rows_parse(self.cleaned_data["rows"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc


# --- 政策解读 package and publishing settings ---------------------------------------


class InterpretationForm(forms.Form):
    """The required sections of a 政策解读 (plain text, shown with line breaks)."""

    background = forms.CharField(
        label="背景", widget=forms.Textarea(attrs={"rows": 4}), help_text="为什么出台这项政策。"
    )
    purpose = forms.CharField(
        label="目的", widget=forms.Textarea(attrs={"rows": 3}), help_text="政策要解决什么问题。"
    )
    measures = forms.CharField(
        label="主要举措",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="政策的主要内容、适用对象、标准和办理方式。",
    )


class QAForm(forms.Form):
    question = forms.CharField(label="问", required=False, max_length=500)
    answer = forms.CharField(
        label="答", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=3000
    )


class VideoForm(forms.Form):
    title = forms.CharField(label="视频标题", required=False, max_length=200)
    url = forms.CharField(
        label="视频网址",
        required=False,
        max_length=500,
        help_text="以 http:// 或 https:// 开头；页面上显示为链接，不嵌入第三方播放器。",
    )


QAFormSet = forms.formset_factory(QAForm, extra=2, max_num=50, absolute_max=60)
VideoFormSet = forms.formset_factory(VideoForm, extra=1, max_num=10, absolute_max=20)


class FigureForm(forms.Form):
    file = forms.FileField(label="图解图片")
    alt_text = forms.CharField(
        label="图片说明（替代文字）",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="必填：概括图中的要点，供读屏软件朗读（无障碍要求）。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = filesizeformat(figure_max_bytes()).replace("\xa0", " ")
        self.fields["file"].help_text = f"JPG 或 PNG，单张不超过 {limit}。"


class PublishingSettingsForm(forms.Form):
    publish_with_interpretation = forms.BooleanField(
        label="政策文件须与解读同步发布",
        required=False,
        help_text="国办发〔2016〕80号“三同步”：开启后政策文件、规范性文件须与政策解读一并审批、同时公开。",
    )
    signoff_display = forms.ChoiceField(
        label="拟稿、审核、签发的显示方式",
        choices=(),
        help_text="公开时按此设置确定并保存，之后人员或岗位变动不改写已公开的页面。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signoff_display"].choices = PublishingSettings.SignoffDisplay.choices
