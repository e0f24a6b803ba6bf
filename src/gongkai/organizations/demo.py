"""Demo 机构概况, 政务新媒体 and 公开制度 (every name and number is invented).

For 河湾区人民政府, 甘河滩镇 and 河湾区民政局, each through its own administrator
and the profile services: the body's 机构职能, its leaders with their 分工,
public 科室 with duties and phones, a 政务新媒体 account with a QR code made
here (segno, a PNG of the account's address), and the body's own 公开制度 text
with one document (a DOCX written here).
"""

from __future__ import annotations

import datetime as dt
import io

import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from . import services
from .models import NewMediaPlatform
from .profile import (
    leader_save,
    new_media_save,
    organization_update_profile,
    rule_document_add,
    unit_update_public,
)

RULES_HTML = (
    "<h3>一、主动公开</h3>"
    "<p>{name}按照公开目录主动公开政府信息。拟公开的信息由承办科室起草，经保密审查、"
    "{approver}审批后，自形成或者变更之日起20个工作日内公开（《中华人民共和国政府信息公开条例》"
    "第二十六条）。</p>"
    "<h3>二、依申请公开</h3>"
    "<p>申请由{office}统一受理、登记，承办科室提出答复意见，经审批后答复；"
    "能够当场答复的当场答复，不能当场答复的自收到申请之日起20个工作日内答复（条例第三十三条）。</p>"
    "<h3>三、保密审查</h3>"
    "<p>公开前依照《中华人民共和国保守国家秘密法》和本机关保密审查办法逐件审查，"
    "不能确定是否可以公开的，报有关主管部门确定。</p>"
    "<h3>四、监督考核</h3>"
    "<p>政务公开工作纳入年度绩效考核；每年1月31日前公布上一年度政府信息公开工作年度报告。</p>"
)

PROFILES = {
    "district": {
        "admin": "hewan_admin",
        "approver_post": "分管副区长",
        "functions": "执行区人民代表大会及其常务委员会的决议和上级国家行政机关的决定、命令，"
        "规定行政措施，发布决定和命令；领导所属各工作部门和镇人民政府的工作；"
        "执行国民经济和社会发展计划、预算，管理本行政区域内的经济、教育、科学、文化、卫生、"
        "体育、城乡建设等行政工作。",
        "leaders": (
            ("韩东升", "区长", "主持区人民政府全面工作，负责审计、机构编制方面工作。"),
            (
                "罗晓梅",
                "常务副区长",
                "负责区政府常务工作，分管发展改革、财政、税务、统计、政务公开。",
            ),
            ("许建平", "副区长", "分管农业农村、水利、林业、乡村振兴、民政。"),
        ),
        "units": (
            ("区政府办公室秘书科", "负责区政府文电、会务、机要和信息工作。", "0999-86120010"),
            (
                "政务公开办公室",
                "负责全区政务公开工作的组织协调、指导推进和监督考核，"
                "受理向区人民政府提出的政府信息公开申请。",
                "0999-86120000",
            ),
        ),
        "media": ("河湾发布", NewMediaPlatform.WECHAT, "hewanfabu"),
        "rule": ("河湾区人民政府政务公开工作制度", "河政办发〔2023〕5号", 2023, 3, 15),
    },
    "ganhetan": {
        "admin": "ganhetan_admin",
        "approver_post": "镇长",
        "functions": "贯彻执行党和国家的路线方针政策和上级人民政府的决定、命令；"
        "编制并组织实施本镇经济和社会发展规划；负责本镇农业农村、社会事务、"
        "基层治理、安全生产、生态环境保护和便民服务等工作。",
        "leaders": (
            ("赵志强", "镇长", "主持镇政府全面工作，负责财政、审计工作。"),
            ("杜春燕", "副镇长", "分管社会事务、民政、医疗保障和政务公开工作。"),
            ("白玉成", "副镇长", "分管农业农村、水利、林业和防汛抗旱工作。"),
        ),
        "units": None,  # 甘河滩镇's own four units, below
        "media": ("甘河滩发布", NewMediaPlatform.WECHAT, "ganhetanfabu"),
        "rule": ("甘河滩镇政府信息公开工作制度", "甘政办发〔2024〕1号", 2024, 1, 8),
    },
    "minzheng": {
        "admin": "minzheng_admin",
        "approver_post": "分管局领导",
        "functions": "贯彻执行民政工作的法律法规和政策；负责社会救助、养老服务、"
        "儿童福利、社会组织登记管理、婚姻登记、殡葬管理和区划地名工作。",
        "leaders": (
            ("马建军", "局长", "主持局全面工作。"),
            ("彭丽华", "副局长", "分管社会救助、养老服务和政务公开工作。"),
        ),
        "units": (
            ("办公室", "负责机关日常运转、财务、政务公开和建议提案办理。", "0999-86150000"),
            ("社会救助股", "负责城乡低保、特困人员供养和临时救助工作。", "0999-86150012"),
            ("养老服务股", "负责养老机构监管和居家社区养老服务。", "0999-86150018"),
        ),
        "media": ("河湾民政", NewMediaPlatform.WECHAT, "hewanminzheng"),
        "rule": ("河湾区民政局政务公开工作规则", "河民办发〔2024〕2号", 2024, 2, 20),
    },
}

GANHETAN_UNIT_DUTIES = {
    "党政办公室": ("负责镇机关文电、会务、政务公开和便民服务中心管理。", "0999-86230000"),
    "经济发展办公室": ("负责经济运行、项目建设、安全生产和电力设施保护。", "0999-86230012"),
    "社会事务办公室": ("负责社会救助、养老、医疗保障、就业和退役军人服务。", "0999-86230016"),
    "农业农村办公室": ("负责农业生产、惠农补贴、农村土地承包和人居环境整治。", "0999-86230015"),
}


def qr_png(url: str) -> bytes:
    """A QR code of ``url`` as PNG bytes (segno, made locally)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def rules_docx(title: str, number: str, paragraphs: list[str]) -> bytes:
    document = Document()
    document.add_heading(title, level=1)
    document.add_paragraph(number)
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _profile(ctx, key: str, spec: dict) -> None:
    org = getattr(ctx, key)
    admin = ctx.users[spec["admin"]]
    now = ctx.now
    organization_update_profile(
        organization=org,
        acting_user=admin,
        functions=spec["functions"],
        rules_html=RULES_HTML.format(
            name=org.name, approver=spec["approver_post"], office=org.office_name
        ),
        now=now,
    )
    for order, (name, title, duties) in enumerate(spec["leaders"], 1):
        leader_save(
            organization=org,
            acting_user=admin,
            leader=None,
            name=name,
            title=title,
            duties=duties,
            order=order,
            now=now,
        )
    if spec["units"] is None:
        units = [(ctx.units[name], *GANHETAN_UNIT_DUTIES[name]) for name in GANHETAN_UNIT_DUTIES]
    else:
        units = [
            (services.unit_create(organization=org, name=name, acting_user=admin), duties, phone)
            for name, duties, phone in spec["units"]
        ]
    for order, (unit, duties, phone) in enumerate(units, 1):
        unit_update_public(
            unit=unit,
            organization=org,
            acting_user=admin,
            duties=duties,
            phone=phone,
            order=order,
            is_public=True,
            now=now,
        )
    name, platform, account_id = spec["media"]
    new_media_save(
        organization=org,
        acting_user=admin,
        account=None,
        name=name,
        platform=platform,
        account_id=account_id,
        order=1,
        qr_file=SimpleUploadedFile(
            f"{account_id}.png",
            qr_png(f"https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz={account_id}"),
            content_type="image/png",
        ),
        now=now,
    )
    title, number, year, month, day = spec["rule"]
    rule_document_add(
        organization=org,
        acting_user=admin,
        title=title,
        document_number=number,
        issued_on=dt.date(year, month, day),
        order=1,
        file=SimpleUploadedFile(
            "rules.docx",
            rules_docx(
                title,
                number,
                [
                    f"第一条 为规范{org.name}政府信息公开工作，根据《中华人民共和国政府信息公开条例》，"
                    "制定本制度。",
                    f"第二条 {org.office_name}负责本机关政府信息公开的日常工作。",
                    "第三条 拟公开的政府信息应当经保密审查，并经审批后公开。",
                    "第四条 本制度自印发之日起施行。",
                ],
            ),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        now=now,
    )


def load(ctx) -> None:
    for key, spec in PROFILES.items():
        _profile(ctx, key, spec)
    ctx.log("机构概况：区政府、甘河滩镇、区民政局的职能、领导分工、科室、政务新媒体和公开制度。")
