"""Formal letters (告知书、通知书) as DOCX, laid out after GB/T 9704-2012.

A body may reword each kind in the back office (``LetterTemplate``); the
defaults below cite the articles.  Bodies use ``{占位符}`` from
:data:`PLACEHOLDERS` and nothing else: ``check_template`` refuses, when the
template is saved, an unknown name, a format spec (``{申请人:d}`` used to
answer 500; ``{申请人:>999999999}`` would allocate a gigabyte), a conversion
(``!r``), attribute or index access (``.`` ``[``) and over-long templates.
``fill`` never calls ``str.format``: it splices the values in itself and
refuses anything but a plain placeholder, so a template stored before these
checks cannot run code or allocate memory; ``letter_generate`` then raises
:class:`LetterTemplateError` and the service records the step without the
letter (see ``owed_letters``) so that it can be generated once the template is
fixed.

Layout (GB/T 9704-2012 《党政机关公文格式》): A4; margins top 37 mm, bottom
35 mm, left 28 mm, right 26 mm; title in 方正小标宋简体 (宋体 fallback) 二号
(22 pt), centred; the 文号 line 〔年〕依申请第N号; body in 仿宋_GB2312 三号
(16 pt), first line indented two characters, 28 pt line spacing; the body's
name and the date at the end, right-aligned, ready to print and stamp.
"""

from __future__ import annotations

import io
import re
import secrets
from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from docx import Document
from docx.shared import Pt

from gongkai.annual.format import T3_ROW_BY_KEY
from gongkai.core import placeholders
from gongkai.fees import BASIS as FEE_BASIS
from gongkai.officedoc import (
    BODY_FONT,
    BODY_SIZE,
    CENTER,
    FALLBACKS,
    LINE_SPACING,
    RIGHT,
    TITLE_FONT,
    TITLE_SIZE,
    a4_gbt9704,
    add_paragraph,
)
from gongkai.workcal.selectors import calendar

from .clock import CONSULTATION_DAYS, OTHER_BODY_CONSULTED, THIRD_PARTY_CONSULTED
from .models import Application, ClockEvent, Letter, LetterKind, LetterTemplate
from .numbering import next_letter_number

# placeholder -> what it is (shown to administrators editing templates)
PLACEHOLDERS: dict[str, str] = {
    "机关名称": "本机关全称",
    "文号": "本文书的文号，如〔2024〕依申请第3号",
    "申请人": "申请人姓名或名称",
    "查询码": "申请的查询码",
    "收到日期": "收到申请之日（条例第三十一条）",
    "提交日期": "申请人提交/寄出日期",
    "申请内容": "申请人所需政府信息的描述",
    "答复期限": "当前答复期限",
    "成文日期": "本文书的日期",
    "补正事项": "需要补正的内容",
    "补正期限": "补正期限",
    "延期天数": "延长的工作日数",
    "延期理由": "延期理由",
    "征求对象": "被征求意见的第三方或机关",
    "征求意见期限": "被征求方的答复期限",
    "收费金额": "信息处理费金额（元）",
    "收费依据": "收费标准与计算过程",
    "缴费期限": "缴费期限",
    "说明期限": "申请人说明理由的期限",
    "延后期限": "依第三十五条确定的答复期限",
    "办理结果": "办理结果（表三情形）",
    "法律依据": "办理结果的法律依据",
    "答复日期": "答复日期",
    "答复说明": "经办人填写的理由或说明",
    "办公地址": "本机关政府信息公开工作机构地址",
    "联系电话": "本机关政府信息公开工作机构电话",
    "复议机关": "受理行政复议申请的机关（本机关设置中填写，或按行政复议法第二十四条推定）",
    "管辖法院": "受理行政诉讼的人民法院（本机关设置中填写；未填写时为“有管辖权的人民法院”）",
    "征求意见依据": "征求意见的条款：第三方为条例第三十二条，其他机关为条例第三十四条",
    "负责公开机关": "负责公开该信息的其他机关名称（条例第三十六条第（五）项）",
    "负责机关联系方式": "该机关的联系方式（条例第三十六条第（五）项）",
    "另行申请告知": "告知申请人向负责公开的机关申请的一句话（条例第三十六条第（五）项；未填写负责机关时为空）",
}

# Bounds on an administrator's template: the longest default body is under 300
# characters and uses fewer than 10 placeholders.
MAX_TITLE_LENGTH = 200  # LetterTemplate.title / Letter.title
MAX_BODY_LENGTH = 5000
MAX_FIELDS = 100

# Where to appeal.  行政复议法（2023年修订）第二十条: sixty days to apply for
# reconsideration; 行政诉讼法第四十六条: six months to sue.  The reconsideration
# body and the court come from the body's record (Organization.appeal_bodies):
# a letter never names a body it cannot vouch for, it says “有权受理的行政复议机关”
# / “有管辖权的人民法院” instead.
RELIEF = (
    "如对本告知不服，可以自收到本告知书之日起六十日内依法向{复议机关}申请行政复议，"
    "或者自收到本告知书之日起六个月内依法向{管辖法院}提起行政诉讼。"
)
# 行政复议法（2023年修订）第二十三条第一款第（四）项: “申请政府信息公开，行政机关
# 不予公开” must go to reconsideration first, and 第二款 obliges the body to say so
# when it decides.  The court after reconsideration depends on the decision
# (行政诉讼法第十八条第一款、第二十六条第二款), so it is not named here;
# 行政诉讼法第四十五条: fifteen days from receipt of the decision.
RELIEF_RECONSIDERATION_FIRST = (
    "如对本告知不服，可以自收到本告知书之日起六十日内依法向{复议机关}申请行政复议。"
    "根据《中华人民共和国行政复议法》第二十三条第一款第（四）项的规定，"
    "对本机关不予公开的决定不服的，应当先向{复议机关}申请行政复议；"
    "对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼。"
)
CONTACT = "联系地址：{办公地址}；联系电话：{联系电话}。"


@dataclass(frozen=True)
class DefaultTemplate:
    title: str
    body: str


DEFAULTS: dict[str, DefaultTemplate] = {
    LetterKind.GRANTED: DefaultTemplate(
        "政府信息公开申请答复告知书（予以公开）",
        "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（查询码{查询码}），"
        "您申请获取的信息为：“{申请内容}”。\n"
        "经审查，您申请获取的政府信息属于可以公开的政府信息。根据《中华人民共和国政府信息公开条例》"
        "第三十六条第（二）项的规定，本机关予以公开，现将有关政府信息向您提供。{答复说明}\n"
        f"{RELIEF}\n{CONTACT}",
    ),
    LetterKind.PARTIAL: DefaultTemplate(
        "政府信息公开申请答复告知书（部分公开）",
        "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（查询码{查询码}），"
        "您申请获取的信息为：“{申请内容}”。\n"
        "经审查，您申请获取的政府信息中含有不应当公开或者不属于政府信息的内容，但能够作区分处理。"
        "根据《中华人民共和国政府信息公开条例》第三十七条的规定，本机关向您提供可以公开的政府信息内容，"
        "并对不予公开的内容说明理由如下：{答复说明}\n"
        f"{RELIEF_RECONSIDERATION_FIRST}\n{CONTACT}",
    ),
    LetterKind.WITHHELD: DefaultTemplate(
        "政府信息公开申请答复告知书（不予公开）",
        "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（查询码{查询码}），"
        "您申请获取的信息为：“{申请内容}”。\n"
        "经审查，您申请获取的政府信息属于“{办理结果}”"
        "的情形。根据{法律依据}和《中华人民共和国政府信息公开条例》第三十六条第（三）项的规定，本机关决定不予公开。理由如下：{答复说明}\n"
        f"{RELIEF_RECONSIDERATION_FIRST}\n{CONTACT}",
    ),
    LetterKind.UNABLE: DefaultTemplate(
        "政府信息公开申请答复告知书（无法提供）",
        "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（查询码{查询码}），"
        "您申请获取的信息为：“{申请内容}”。\n"
        "经查，您申请获取的政府信息属于“{办理结果}”的情形。根据{法律依据}的规定，本机关无法提供。{另行申请告知}{答复说明}\n"
        f"{RELIEF}\n{CONTACT}",
    ),
    LetterKind.DECLINED: DefaultTemplate(
        "政府信息公开申请答复告知书（不予处理）",
        "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（查询码{查询码}），"
        "您申请获取的信息为：“{申请内容}”。\n"
        "经审查，您的申请属于“{办理结果}”的情形。根据{法律依据}的规定，"
        "本机关不予处理。{答复说明}\n"
        f"{RELIEF}\n{CONTACT}",
    ),
    LetterKind.OTHER: DefaultTemplate(
        "政府信息公开申请终止办理告知书",
        "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（查询码{查询码}），"
        "您申请获取的信息为：“{申请内容}”。\n"
        "因“{办理结果}”，根据{法律依据}的规定，本机关不再处理您的该项政府信息公开申请。{答复说明}\n"
        f"{RELIEF}\n{CONTACT}",
    ),
    LetterKind.CORRECTION: DefaultTemplate(
        "政府信息公开申请补正通知书",
        "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（查询码{查询码}），"
        "您申请获取的信息为：“{申请内容}”。\n"
        "经审查，您的申请内容不明确。根据《中华人民共和国政府信息公开条例》第三十条的规定，"
        "请您对以下事项作出补正：{补正事项}\n"
        "请于{补正期限}前向本机关提交补正后的申请。答复期限自本机关收到补正的申请之日起计算。"
        "无正当理由逾期不补正的，视为您放弃申请，本机关不再处理该政府信息公开申请。\n" + CONTACT,
    ),
    LetterKind.EXTENSION: DefaultTemplate(
        "政府信息公开申请延期答复告知书",
        "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（查询码{查询码}），"
        "您申请获取的信息为：“{申请内容}”。\n"
        "因{延期理由}，本机关不能在规定期限内作出答复。根据《中华人民共和国政府信息公开条例》"
        "第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长{延期天数}个工作日，"
        "延长后的答复期限为{答复期限}。\n特此告知。\n" + CONTACT,
    ),
    LetterKind.CONSULT_THIRD_PARTY: DefaultTemplate(
        "政府信息公开征求第三方意见函",
        "{征求对象}：\n本机关于{收到日期}收到一项政府信息公开申请，申请获取的信息为：“{申请内容}”。"
        "该信息可能涉及您（单位）的商业秘密、个人隐私等合法权益，公开后可能损害您（单位）的合法权益。\n"
        "根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求您（单位）的意见。"
        "请于{征求意见期限}前（自收到本函之日起15个工作日内）书面提出意见；逾期未提出意见的，"
        "由本机关依照条例的规定决定是否公开。\n" + CONTACT,
    ),
    LetterKind.CONSULT_OTHER_BODY: DefaultTemplate(
        "政府信息公开征求意见函",
        "{征求对象}：\n本机关于{收到日期}收到一项政府信息公开申请，申请获取的信息为：“{申请内容}”。"
        "该信息涉及贵机关。\n根据《中华人民共和国政府信息公开条例》第三十四条的规定，现征求贵机关意见，"
        "请于{征求意见期限}前（自收到本函之日起15个工作日内）提出意见；逾期未提出意见的，视为同意公开。\n"
        + CONTACT,
    ),
    LetterKind.CONSULT_APPLICANT: DefaultTemplate(
        "政府信息公开申请征求意见告知书",
        "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（查询码{查询码}）。"
        "因您申请的信息需要征求{征求对象}的意见，根据《中华人民共和国政府信息公开条例》"
        "{征求意见依据}和第三十三条第三款的规定，征求意见所需时间不计算在答复期限内。\n"
        "特此告知。\n" + CONTACT,
    ),
    LetterKind.FEE: DefaultTemplate(
        "政府信息公开信息处理费收费通知书",
        "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（查询码{查询码}）。\n"
        f"根据《中华人民共和国政府信息公开条例》第四十二条和{FEE_BASIS}的规定，"
        "您的申请需缴纳信息处理费{收费金额}元。收费依据和标准：{收费依据}\n"
        "请您自收到本通知之日的次日起20个工作日内（即{缴费期限}前）缴纳。逾期未缴纳的，视为您放弃申请，"
        "本机关不再处理该申请。自发出收费通知至您缴费的期间不计算在答复期限内。\n" + CONTACT,
    ),
    LetterKind.REASONS: DefaultTemplate(
        "政府信息公开申请说明理由通知书",
        "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（查询码{查询码}）。\n"
        "您申请公开政府信息的数量、频次明显超过合理范围。根据《中华人民共和国政府信息公开条例》"
        "第三十五条的规定，请您于{说明期限}前说明理由。理由不合理的，本机关将告知您不予处理。\n"
        + CONTACT,
    ),
    LetterKind.LATER_DATE: DefaultTemplate(
        "政府信息公开申请答复期限告知书",
        "{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请（查询码{查询码}）。\n"
        "您说明的理由合理，但本机关无法在规定期限内答复。根据《中华人民共和国政府信息公开条例》"
        "第三十五条的规定，本机关确定于{延后期限}前答复。\n特此告知。\n" + CONTACT,
    ),
}

# Said when the body's record does not tell (never a guessed name).
UNKNOWN_RECONSIDERATION_BODY = "有权受理的行政复议机关"
UNKNOWN_COURT = "有管辖权的人民法院"

# 条例第三十二条: a third party — 公民、法人或者其他组织 — is consulted in writing;
# 第三十四条: other administrative agencies that made the information jointly.
CONSULTATION_BASIS = {
    THIRD_PARTY_CONSULTED: "第三十二条",
    OTHER_BODY_CONSULTED: "第三十四条",
}

OUTCOME_GROUP_KIND = {
    "granted": LetterKind.GRANTED,
    "partial": LetterKind.PARTIAL,
    "withheld": LetterKind.WITHHELD,
    "unable": LetterKind.UNABLE,
    "declined": LetterKind.DECLINED,
    "other": LetterKind.OTHER,
}


def cn_date(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "（未定）"


UNBALANCED = placeholders.UNBALANCED


class LetterTemplateError(Exception):
    """A stored template that cannot be filled safely; ``str()`` is Chinese."""

    def __init__(self, problems: list[str], *, kind: str = ""):
        self.problems = list(problems)
        self.kind = kind
        super().__init__("".join(self.problems))

    @property
    def message(self) -> str:
        label = template_label(self.kind) if self.kind else "文书"
        return (
            f"文书模板“{label}”有误，未能生成文书："
            + "".join(self.problems)
            + "请管理员或公开办负责人在“文书模板”中修改（或恢复默认）后，在本页“重新生成”。"
        )


def template_label(kind: str) -> str:
    """The template's name as the 文书模板 page lists it."""
    return LetterKind(kind).label if kind in LetterKind.values else kind


def field_problems(text: str) -> tuple[list[str], list[str]]:
    """(problems, plain placeholder names) of one template text.

    Only ``{名称}`` with a name from :data:`PLACEHOLDERS` is allowed: no format
    spec, no ``!`` conversion, no ``.`` or ``[`` access, no positional ``{}``
    (the shared checker, gongkai.core.placeholders).
    """
    return placeholders.field_problems(text, PLACEHOLDERS, max_fields=MAX_FIELDS)


def check_template(*, title: str, body: str) -> list[str]:
    """Problems with an administrator's template, in Chinese (empty = fine)."""
    return [f"{label}：{p}" for label, problems in template_problems(title, body) for p in problems]


def template_problems(title: str, body: str) -> list[tuple[str, list[str]]]:
    """Per part (标题 / 正文), what is wrong with it; each message names the bad text."""
    out: list[tuple[str, list[str]]] = []
    for label, text, limit in (
        ("标题", title or "", MAX_TITLE_LENGTH),
        ("正文", body or "", MAX_BODY_LENGTH),
    ):
        problems: list[str] = []
        if not text.strip():
            problems.append("不能为空。")
        elif len(text) > limit:
            problems.append(f"{label}过长（{len(text)} 字），最多 {limit} 字。")
        else:
            problems += [p + "。" for p in field_problems(text)[0]]
        out.append((label, problems))
    return out


def template_for(application: Application, kind: str) -> tuple[str, str]:
    own = LetterTemplate.objects.filter(organization=application.organization, kind=kind).first()
    if own is not None:
        return own.title, own.body
    default = DEFAULTS[kind]
    return default.title, default.body


# Punctuation a user may type at the end of a fragment that the letter then
# continues (“因{延期理由}，本机关…”) or ends itself.
_TRAILING = re.compile(r"[\s。．.，,；;：:、]+$")
_SENTENCE_END = ("。", "！", "？", "!", "?", "…")


def clean_fragment(text: str, *, sentence: bool = False) -> str:
    """A user-entered fragment made fit for the sentence a letter puts it in.

    Trailing commas, colons, semicolons and full stops are dropped, so
    “因需要协调多个部门。，本机关…” cannot happen; with ``sentence=True`` the
    fragment is a sentence of its own and ends with “。”.  Empty stays empty.
    """
    cleaned = _TRAILING.sub("", (text or "").strip())
    if sentence and cleaned and not cleaned.endswith(_SENTENCE_END):
        cleaned += "。"
    return cleaned


def facts(
    application: Application, event: ClockEvent | None, reference: str, issued_on: date
) -> dict[str, str]:
    org = application.organization
    row = T3_ROW_BY_KEY.get(application.outcome) if application.outcome else None
    data = event.data if event is not None else {}
    values = {
        "机关名称": org.name,
        "文号": reference,
        "申请人": application.applicant_name,
        "查询码": application.tracking_code,
        "收到日期": cn_date(application.received_on),
        "提交日期": cn_date(application.submitted_on),
        "申请内容": application.description,
        "答复期限": cn_date(application.due_on),
        "成文日期": cn_date(issued_on),
        "补正事项": clean_fragment(event.note, sentence=True)
        if event is not None and event.kind == "correction_requested"
        else "",
        "补正期限": cn_date(event.until) if event is not None and event.until else "",
        "延期天数": str(event.days) if event is not None and event.days else "",
        "延期理由": clean_fragment(event.note)
        if event is not None and event.kind == "extension"
        else "",
        "征求对象": event.party if event is not None else "",
        "征求意见期限": "",
        "收费金额": f"{data.get('amount', application.fee_amount):,}",
        "收费依据": data.get("basis", ""),
        "缴费期限": cn_date(application.waiting_until)
        if event is not None and event.kind == "fee_notice"
        else "",
        "说明期限": cn_date(event.until)
        if event is not None and event.kind == "reasons_requested"
        else "",
        "延后期限": cn_date(event.until)
        if event is not None and event.kind == "later_date_set"
        else "",
        "办理结果": re.sub(r"^\d+\.", "", row.label) if row else "",
        "法律依据": legal_basis(row),
        "答复日期": cn_date(application.reply_on),
        "答复说明": clean_fragment(application.reply_reasons, sentence=True),
        "办公地址": org.office_address or "（见本机关政府信息公开指南）",
        "联系电话": org.office_phone or "（见本机关政府信息公开指南）",
        "复议机关": org.effective_reconsideration_body() or UNKNOWN_RECONSIDERATION_BODY,
        "管辖法院": org.court.strip() or UNKNOWN_COURT,
        "征求意见依据": CONSULTATION_BASIS.get(event.kind, "") if event is not None else "",
    }
    if event is not None and event.kind in ("third_party_consulted", "other_body_consulted"):
        values["征求意见期限"] = cn_date(calendar().add_workdays(event.on, CONSULTATION_DAYS))
    values.update(apply_elsewhere(event))
    return values


def apply_elsewhere(event: ClockEvent | None) -> dict[str, str]:
    """条例第三十六条第（五）项: the body the applicant should apply to, as the
    closing step recorded it (services.closing), in the letter's words."""
    data = event.data if event is not None and event.kind == "closed" else {}
    name = data.get("responsible_body", "")
    contact = data.get("responsible_contact", "")
    sentence = (
        f"您申请获取的政府信息不属于本机关负责公开。根据{REGULATION}第三十六条第（五）项的规定，"
        f"负责公开该政府信息的行政机关为{name}（联系方式：{contact}），请您向该机关提出申请。"
        if name
        else ""
    )
    return {"负责公开机关": name, "负责机关联系方式": contact, "另行申请告知": sentence}


REGULATION = "《中华人民共和国政府信息公开条例》"


def legal_basis(row) -> str:
    """The outcome row's basis written out for a letter (条例 -> its full title)."""
    if row is None or not row.legal_basis:
        return f"{REGULATION}第三十六条"
    if row.legal_basis.startswith("条例"):
        return REGULATION + row.legal_basis[2:]
    return row.legal_basis


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with each ``{名称}`` replaced by its value.

    Never ``str.format``: a format spec, conversion or attribute access in a
    stored template raises :class:`LetterTemplateError` instead of running.
    """
    try:
        return placeholders.fill(text, values, PLACEHOLDERS, max_length=MAX_BODY_LENGTH)
    except placeholders.PlaceholderError as exc:
        raise LetterTemplateError(exc.problems) from exc


# XML 1.0 forbids most C0 control characters; python-docx refuses them with a
# ValueError.  Typed text (a name pasted from a spreadsheet) may carry them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _XML_INVALID.sub("", text)


def _line(doc, text: str, *, font: str = BODY_FONT, size=BODY_SIZE, **shape):
    # The GB/T 9704 font in the East Asian slot; Word falls back to the ascii/hAnsi
    # font (宋体, 仿宋) when it is absent.
    return add_paragraph(doc, text, font=font, size=size, latin=FALLBACKS[font], **shape)


def render_docx(*, title: str, body: str, org_name: str, reference: str, issued_on: date) -> bytes:
    """A GB/T 9704-style letter as DOCX bytes."""
    doc = Document()
    a4_gbt9704(doc)
    _line(doc, xml_safe(title), font=TITLE_FONT, size=TITLE_SIZE, align=CENTER, space_after=Pt(12))
    _line(doc, reference, align=CENTER, space_after=Pt(12))

    lines = [line.strip() for line in xml_safe(body).splitlines() if line.strip()]
    for i, line in enumerate(lines):
        # The salutation ("某某：") starts at the margin; paragraphs indent two characters.
        salutation = i == 0 and line.endswith("：")
        _line(
            doc,
            line,
            first_line_chars=None if salutation else 2,
            line_spacing=LINE_SPACING,
            space_after=Pt(0),
        )

    doc.add_paragraph()
    for text in (xml_safe(org_name), cn_date(issued_on)):
        # GB/T 9704 7.3.5: 右空四字
        _line(doc, text, align=RIGHT, right_chars=4, line_spacing=LINE_SPACING)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def letter_generate(
    *,
    application: Application,
    kind: str,
    event: ClockEvent | None,
    acting_user,
    issued_on: date,
) -> Letter:
    """Number, fill, render and store one letter (call inside the service's transaction).

    Raises :class:`LetterTemplateError` — before numbering or writing anything —
    when the body's stored template is not a safe template (see ``fill``).
    """
    org = application.organization
    raw_title, raw_body = template_for(application, kind)
    problems = check_template(title=raw_title, body=raw_body)
    if problems:
        raise LetterTemplateError(problems, kind=kind)
    number = next_letter_number(org, issued_on.year)
    reference = f"〔{issued_on.year}〕依申请第{number}号"
    values = facts(application, event, reference, issued_on)
    title = xml_safe(fill(raw_title, values))
    body = fill(raw_body, values)
    content = render_docx(
        title=title, body=body, org_name=org.name, reference=reference, issued_on=issued_on
    )
    letter = Letter(
        application=application,
        organization=org,
        event=event,
        kind=kind,
        year=issued_on.year,
        number=number,
        title=title[:200],
        issued_on=issued_on,
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    letter.file.save(f"{secrets.token_hex(16)}.docx", ContentFile(content), save=False)
    letter.save()
    return letter


# --- letters a broken template kept from being generated ---------------------------------

# ClockEvent.data key: {letter kind: Chinese message} for letters not generated.
LETTER_ERRORS = "letter_errors"


@dataclass(frozen=True)
class OwedLetter:
    event: ClockEvent
    kind: str
    label: str
    message: str


def owed_letters(application: Application) -> list[OwedLetter]:
    """Letters a step should have produced but a broken template prevented,
    oldest first; the application page offers to generate each again."""
    owed = []
    for event in application.events.order_by("on", "id"):
        for kind, message in (event.data or {}).get(LETTER_ERRORS, {}).items():
            label = LetterKind(kind).label if kind in LetterKind.values else kind
            owed.append(OwedLetter(event=event, kind=kind, label=label, message=message))
    return owed


def download_name(letter: Letter) -> str:
    return f"{letter.title}-{letter.application.tracking_code}-{letter.year}-{letter.number}.docx"
