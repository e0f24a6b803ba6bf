"""Bulk import of items and of the catalogue from XLSX or CSV (adoption).

Two steps: :func:`dry_run` reads the file and reports, row by row, every
problem in Chinese without writing anything; :func:`import_run` repeats the
check and, only when no row has an error, writes every row in one
transaction (all or nothing).  Columns are documented in docs/disclosure.md;
:func:`template_xlsx` produces the downloadable template.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from charset_normalizer import from_bytes
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.organizations.models import Organization, Unit

from . import permissions as perms
from . import services
from .law import ARTICLE_ITEM_CHOICES
from .models import Category, ImportJob, Item
from .services import sanitise_body

MAX_ROWS = 5000


@dataclass(frozen=True)
class Column:
    label: str
    required: bool = False
    help: str = ""
    example: str = ""


ITEM_COLUMNS: tuple[Column, ...] = (
    Column("标题", True, "政府信息的标题", "关于2023年耕地地力保护补贴发放情况的公示"),
    Column("文号", False, "", "甘政发〔2023〕12号"),
    Column("内容概述", False, "一句话概述", "公示本镇耕地地力保护补贴发放情况"),
    Column("正文", False, "纯文本", "根据有关规定，现将补贴发放情况公示如下……"),
    Column("形成日期", True, "格式 2023-05-06", "2023-05-06"),
    Column("公开属性", False, "主动公开/依申请公开/不予公开，空白为主动公开", "主动公开"),
    Column("不公开理由", False, "公开属性不是主动公开时必填", ""),
    Column("法律依据", False, "公开属性不是主动公开时必填", ""),
    Column("目录代码", False, "公开目录中的类目代码", "B17"),
    Column(
        "条例依据",
        False,
        "如“第二十条（七）”或“第二十一条 社会救助”",
        "第二十一条 贯彻落实农业农村政策",
    ),
    Column("类型", False, "通知公告/政策文件/规范性文件/政策解读/预决算/公示公告/其他", "公示公告"),
    Column("承办科室", False, "本机关已有的科室名称", ""),
    Column("主题词", False, "", "补贴 公示"),
    Column("公示期开始", False, "格式 2023-05-06", "2023-05-06"),
    Column("公示期结束", False, "格式 2023-05-12", "2023-05-12"),
    Column(
        "公开日期",
        False,
        "已在原网站公开的填写公开日期（导入为已公开，仅限公开办负责人或机关管理员）；空白则导入为草稿",
        "2023-05-06",
    ),
    Column("索引号", False, "原有索引号（仅已公开的信息）；空白则自动编号", ""),
)

CATALOGUE_COLUMNS: tuple[Column, ...] = (
    Column("类目代码", True, "字母、数字或连字符，机关内唯一", "B17"),
    Column("类目名称", True, "", "涉农补贴"),
    Column("上级类目代码", False, "空白为顶级类目", "B"),
    Column("排序", False, "整数，小的在前", "17"),
    Column("是否适用", False, "是/否，空白为是", "是"),
    Column("不适用理由", False, "“否”时必填", ""),
    Column("公开内容（要素）", False, "", "补贴对象、标准、金额"),
    Column("公开依据", False, "", "《中华人民共和国政府信息公开条例》"),
    Column("公开时限", False, "", "信息形成或变更之日起20个工作日内"),
    Column("公开渠道和载体", False, "", "政府网站、公示栏"),
)

COLUMNS = {ImportJob.Kind.ITEMS: ITEM_COLUMNS, ImportJob.Kind.CATALOGUE: CATALOGUE_COLUMNS}


@dataclass
class RowResult:
    number: int  # the row number as the clerk sees it in the spreadsheet (header = 1)
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    parsed: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Report:
    kind: str
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and all(r.ok for r in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(len(r.errors) for r in self.rows)


# --- reading the file -------------------------------------------------------------


def read_table(content: bytes, kind: str) -> list[list[str]]:
    """Rows of cell strings from XLSX or CSV bytes; raises ValueError (Chinese)."""
    if kind == "xlsx":
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any broken workbook gets one message
            raise ValueError("无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏。") from exc
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell(v) for v in row])
        workbook.close()
        return rows
    best = from_bytes(content).best()
    if best is None:
        raise ValueError("无法识别 CSV 文件的文字编码，请另存为 UTF-8 编码的 CSV。")
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(str(best)))]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _parse_date(text: str) -> dt.date:
    cleaned = text.strip().replace("/", "-").replace(".", "-")
    cleaned = cleaned.replace("年", "-").replace("月", "-").replace("日", "")
    try:
        y, m, d = (int(p) for p in cleaned.split("-"))
        return dt.date(y, m, d)
    except ValueError:
        raise ValueError(f"“{text}”不是有效日期，请写成 2024-05-06") from None


def _choice(text: str, choices, what: str) -> str:
    for value, label in choices:
        if text in (value, str(label)):
            return value
    labels = "、".join(str(label) for _, label in choices)
    raise ValueError(f"{what}“{text}”无法识别，可选：{labels}")


def _article(text: str) -> str:
    for key, label in ARTICLE_ITEM_CHOICES:
        if text == key or label == text or label.startswith(text):
            return key
    raise ValueError(f"条例依据“{text}”无法识别，请写成“第二十条（七）”或“第二十一条 社会救助”")


def _rows(content: bytes, file_kind: str, kind: str, report: Report) -> list[RowResult]:
    try:
        table = read_table(content, file_kind)
    except ValueError as exc:
        report.file_errors.append(str(exc))
        return []
    table = [row for row in table if any(cell for cell in row)]
    if not table:
        report.file_errors.append("文件是空的。")
        return []
    header = [h.strip().rstrip("*＊").strip() for h in table[0]]
    columns = COLUMNS[kind]
    missing = [c.label for c in columns if c.required and c.label not in header]
    if missing:
        report.file_errors.append(
            "第1行（表头）缺少必需的列：" + "、".join(missing) + "。请使用下载的模板。"
        )
        return []
    known = {c.label for c in columns}
    unknown = [h for h in header if h and h not in known]
    if unknown:
        report.file_errors.append("表头中有无法识别的列：" + "、".join(unknown) + "。")
    if len(table) - 1 > MAX_ROWS:
        report.file_errors.append(f"一次最多导入{MAX_ROWS}行，请拆分文件。")
        return []
    results = []
    for offset, row in enumerate(table[1:], start=2):
        values = {h: (row[i] if i < len(row) else "") for i, h in enumerate(header) if h}
        results.append(RowResult(offset, values))
    return results


# --- validation -------------------------------------------------------------------------


def _check_item_row(row: RowResult, org: Organization, ctx: dict) -> None:
    v = row.values
    data: dict[str, Any] = {}

    def need(label: str) -> str:
        value = v.get(label, "").strip()
        if not value:
            row.errors.append(f"“{label}”不能为空")
        return value

    data["title"] = need("标题")[:300]
    for label, name in (
        ("文号", "document_number"),
        ("内容概述", "summary"),
        ("主题词", "subject_words"),
    ):
        data[name] = v.get(label, "").strip()
    data["body"] = sanitise_body(v.get("正文", ""), Item.BodyFormat.PLAIN)
    for label, name, required in (
        ("形成日期", "formed_on", True),
        ("公示期开始", "notice_from", False),
        ("公示期结束", "notice_to", False),
        ("公开日期", "published_on", False),
    ):
        text = need(label) if required else v.get(label, "").strip()
        data[name] = None
        if text:
            try:
                data[name] = _parse_date(text)
            except ValueError as exc:
                row.errors.append(f"“{label}”{exc}")
    for label, name, parse in (
        ("公开属性", "attribute", lambda t: _choice(t, Item.Attribute.choices, "公开属性")),
        ("类型", "kind", lambda t: _choice(t, Item.Kind.choices, "类型")),
        ("条例依据", "article_item", _article),
    ):
        text = v.get(label, "").strip()
        if text:
            try:
                data[name] = parse(text)
            except ValueError as exc:
                row.errors.append(str(exc))
    data.setdefault("attribute", Item.Attribute.PROACTIVE)
    data.setdefault("kind", Item.Kind.OTHER)
    data["attribute_reason"] = v.get("不公开理由", "").strip()
    data["attribute_basis"] = v.get("法律依据", "").strip()
    if data["attribute"] != Item.Attribute.PROACTIVE:
        if not data["attribute_reason"]:
            row.errors.append("公开属性不是“主动公开”时，“不公开理由”必填")
        if not data["attribute_basis"]:
            row.errors.append("公开属性不是“主动公开”时，“法律依据”必填")
        if data.get("published_on"):
            row.errors.append("只有主动公开的信息才能填写“公开日期”")
    code = v.get("目录代码", "").strip()
    data["category"] = None
    if code:
        data["category"] = ctx["categories"].get(code)
        if data["category"] is None:
            row.errors.append(f"目录代码“{code}”在本机关的公开目录中不存在")
    unit_name = v.get("承办科室", "").strip()
    data["unit"] = None
    if unit_name:
        data["unit"] = ctx["units"].get(unit_name)
        if data["unit"] is None:
            row.errors.append(f"承办科室“{unit_name}”不存在，请先在机关设置中添加")
    nf, nt = data.get("notice_from"), data.get("notice_to")
    if bool(nf) != bool(nt):
        row.errors.append("公示期需同时填写开始和结束日期")
    elif nf and nt and nf > nt:
        row.errors.append("公示期结束日期不能早于开始日期")
    index_number = v.get("索引号", "").strip()
    data["index_number"] = index_number
    if index_number:
        if not data.get("published_on"):
            row.errors.append("填写了“索引号”的行必须同时填写“公开日期”")
        elif index_number in ctx["index_numbers"]:
            row.errors.append(f"索引号“{index_number}”已被使用")
        elif index_number in ctx["seen_index"]:
            row.errors.append(f"索引号“{index_number}”与第{ctx['seen_index'][index_number]}行重复")
        ctx["seen_index"].setdefault(index_number, row.number)
    if (
        data.get("published_on")
        and data.get("formed_on")
        and data["published_on"] < data["formed_on"]
    ):
        row.errors.append("公开日期不能早于形成日期")
    if data.get("published_on") and data["published_on"] > ctx["today"]:
        row.errors.append("公开日期不能晚于今天")
    if data.get("published_on") and not ctx["may_record_history"]:
        # 条例第十七条: an item becomes public only after review and approval; only
        # the office head or the body's administrator may vouch for old history.
        row.errors.append(
            "只有公开办负责人或机关管理员可以导入已公开的历史信息；"
            "请清空“公开日期”和“索引号”导入为草稿，或请他们导入本文件"
        )
    row.parsed = data


_CODE_OK = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")


def _check_category_row(row: RowResult, org: Organization, ctx: dict) -> None:
    v = row.values
    code = v.get("类目代码", "").strip()
    name = v.get("类目名称", "").strip()
    if not code:
        row.errors.append("“类目代码”不能为空")
    elif not set(code) <= _CODE_OK or len(code) > 20:
        row.errors.append(f"类目代码“{code}”只能由字母、数字和连字符组成，最长20位")
    elif code in ctx["categories"]:
        row.errors.append(f"类目代码“{code}”在本机关已存在")
    elif code in ctx["seen_codes"]:
        row.errors.append(f"类目代码“{code}”与第{ctx['seen_codes'][code]}行重复")
    if not name:
        row.errors.append("“类目名称”不能为空")
    parent = v.get("上级类目代码", "").strip()
    if parent and parent not in ctx["categories"] and parent not in ctx["seen_codes"]:
        row.errors.append(f"上级类目代码“{parent}”既不在本机关目录中，也不在本文件的前面几行中")
    order_text = v.get("排序", "").strip() or "0"
    try:
        order = int(order_text)
        if order < 0:
            raise ValueError
    except ValueError:
        row.errors.append(f"“排序”应为不小于0的整数，而不是“{order_text}”")
        order = 0
    applies_text = v.get("是否适用", "").strip() or "是"
    if applies_text not in ("是", "否"):
        row.errors.append(f"“是否适用”只能填“是”或“否”，而不是“{applies_text}”")
    applies = applies_text != "否"
    reason = v.get("不适用理由", "").strip()
    if not applies and not reason:
        row.errors.append("“是否适用”为“否”时，“不适用理由”必填")
    if code and code not in ctx["seen_codes"]:
        ctx["seen_codes"][code] = row.number
    row.parsed = {
        "code": code,
        "name": name[:100],
        "parent_code": parent,
        "order": order,
        "applies": applies,
        "not_applicable_reason": "" if applies else reason[:300],
        "content_elements": v.get("公开内容（要素）", ""),
        "basis": v.get("公开依据", ""),
        "time_limit": v.get("公开时限", "")[:200],
        "channels": v.get("公开渠道和载体", "")[:300],
    }


def dry_run(
    *, organization: Organization, kind: str, content: bytes, file_kind: str, acting_user
) -> Report:
    """Check every row and report every problem for ``acting_user``; writes nothing."""
    report = Report(kind=kind)
    report.rows = _rows(content, file_kind, kind, report)
    ctx = {
        "categories": {c.code: c for c in Category.objects.filter(organization=organization)},
        "units": {u.name: u for u in Unit.objects.filter(organization=organization)},
        "index_numbers": set(
            Item.objects.filter(organization=organization)
            .exclude(index_number="")
            .values_list("index_number", flat=True)
        ),
        "seen_index": {},
        "seen_codes": {},
        "today": timezone.localdate(),
        "may_record_history": perms.can_import_history(acting_user, organization),
    }
    check = _check_item_row if kind == ImportJob.Kind.ITEMS else _check_category_row
    for row in report.rows:
        check(row, organization, ctx)
    if not report.rows and not report.file_errors:
        report.file_errors.append("文件中除表头外没有数据行。")
    return report


# --- the import itself ---------------------------------------------------------------


class ImportFailed(ValidationError):
    pass


@transaction.atomic
def import_run(*, job: ImportJob, content: bytes, file_kind: str, acting_user) -> Report:
    """Import every row or none: repeats the dry run, then writes in this transaction."""
    org = job.organization
    if not perms.can_maintain(acting_user, org):
        raise PermissionDenied("您不能为本机关导入数据。")
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.imported_at is not None:
        raise ImportFailed("该文件已经导入过，不能重复导入。")
    report = dry_run(
        organization=org,
        kind=job.kind,
        content=content,
        file_kind=file_kind,
        acting_user=acting_user,
    )
    if not report.ok:
        raise ImportFailed(
            f"文件中有{report.error_count}处错误，未导入任何数据。请修改后重新上传。"
        )
    if job.kind == ImportJob.Kind.ITEMS:
        _import_items(org, report, acting_user)
    else:
        _import_categories(org, report, acting_user)
    job.imported_at = timezone.now()
    job.row_count = len(report.rows)
    job.error_count = 0
    job.save(update_fields=["imported_at", "row_count", "error_count"])
    audit_record(
        actor=acting_user,
        organization=org,
        verb=f"import.{job.kind}",
        data={"file": job.original_name, "rows": len(report.rows), "job": job.pk},
    )
    return report


def _import_items(org: Organization, report: Report, acting_user) -> None:
    for row in report.rows:
        data = dict(row.parsed)
        published_on = data.pop("published_on", None)
        index_number = data.pop("index_number", "")
        if published_on:
            # Adoption of history already published on the old website.
            services.item_record_history(
                organization=org,
                acting_user=acting_user,
                data=data,
                published_on=published_on,
                index_number=index_number,
                source=f"import row {row.number}",
            )
        else:
            item = Item(organization=org, created_by=acting_user, **data)
            item.full_clean()
            item.save()
            audit_record(
                actor=acting_user,
                organization=org,
                verb="item.import",
                obj=item,
                to_state=item.status,
                data={"source": f"import row {row.number}"},
            )


def _import_categories(org: Organization, report: Report, acting_user) -> None:
    by_code = {c.code: c for c in Category.objects.filter(organization=org)}
    for row in report.rows:
        data = dict(row.parsed)
        parent_code = data.pop("parent_code")
        category = Category(organization=org, parent=by_code.get(parent_code), **data)
        category.full_clean()
        category.save()
        by_code[category.code] = category
        audit_record(
            actor=acting_user,
            organization=org,
            verb="catalogue.import",
            obj=category,
            data={"row": row.number},
        )


def template_xlsx(kind: str) -> bytes:
    """The downloadable template: header (required columns marked *), help row, example."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "导入"
    columns = COLUMNS[kind]
    for i, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=i, value=column.label + ("*" if column.required else ""))
        cell.font = Font(bold=True)
        if column.help:
            cell.comment = Comment(column.help, "gongkai")
        sheet.cell(row=2, column=i, value=column.example)
        sheet.column_dimensions[cell.column_letter].width = max(12, len(column.label) * 3)
    notes = workbook.create_sheet("说明")
    notes.append(["列", "必填", "说明"])
    for column in columns:
        notes.append([column.label, "是" if column.required else "", column.help])
    notes.append([])
    notes.append(["第2行是示例，导入前请删除或改成真实数据。"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
