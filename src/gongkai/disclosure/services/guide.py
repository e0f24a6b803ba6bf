"""The 政府信息公开指南 (条例第十二条)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.organizations.models import Organization

from .. import permissions as perms
from ..law import TOWN_LEVELS
from ..models import (
    Category,
    Guide,
)
from ._common import _deny

# --- the guide (条例第十二条) ----------------------------------------------------


def guide_text_for(org: Organization, *, today: dt.date) -> str:
    """The 政府信息公开指南 text generated from the body's own data."""
    categories = list(
        Category.objects.filter(organization=org, parent__isnull=True, applies=True).order_by(
            "order", "code"
        )
    )
    children = {}
    for child in Category.objects.filter(organization=org, parent__isnull=False).order_by(
        "order", "code"
    ):
        children.setdefault(child.parent_id, []).append(child)
    lines = [
        f"{org.name}政府信息公开指南",
        "",
        "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）第十二条，"
        f"为便于公民、法人和其他组织获取{org.name}的政府信息，编制本指南。"
        "申请人在获取政府信息前，请仔细阅读本指南。",
        "",
        "一、主动公开",
        "（一）公开范围",
        "本机关依照《条例》第十九条、第二十条"
        + ("、第二十一条" if org.level in TOWN_LEVELS else "")
        + "的规定主动公开政府信息，具体内容见本机关政府信息公开目录。",
        "（二）信息分类与编排体系",
    ]
    if categories:
        for n, cat in enumerate(categories, start=1):
            names = "、".join(c.name for c in children.get(cat.pk, []) if c.applies)
            lines.append(f"{n}. {cat.name}" + (f"：{names}。" if names else "。"))
        not_applicable = Category.objects.filter(organization=org, applies=False)
        if not_applicable.exists():
            lines.append(
                "本机关不适用的目录类目："
                + "；".join(f"{c.name}（{c.not_applicable_reason}）" for c in not_applicable)
                + "。"
            )
    else:
        lines.append("政府信息按公开目录类目编排，每条信息标注索引号、标题、内容概述和生成日期。")
    lines += [
        "每条政府信息均标注索引号、名称、文号、内容概述、生成日期和公开日期。",
        "（三）公开方式",
        "本机关主动公开的政府信息通过政府网站政府信息公开专栏发布，"
        "并视情况通过公示栏、电子屏、政务新媒体、广播等方式公开（《条例》第二十三条至第二十五条）。",
        "（四）公开时限",
        "属于主动公开范围的政府信息，自该政府信息形成或者变更之日起20个工作日内予以公开"
        "（《条例》第二十六条）。",
        "",
        "二、依申请公开",
        "（一）受理机构",
    ]
    office = [
        ("名称", org.office_name or org.name),
        ("办公地址", org.office_address),
        ("邮政编码", org.office_postcode),
        ("办公时间", org.office_hours),
        ("联系电话", org.office_phone),
        ("传真", org.office_fax),
        ("电子邮箱", org.office_email),
        ("网站", org.office_website),
    ]
    lines += [f"{label}：{value}" for label, value in office if value]
    lines += [
        "（二）申请方式",
        "申请人应当采用书面形式（包括数据电文形式）提出申请，可以当面提交、邮寄、"
        "在线提交或传真；采用书面形式确有困难的，可以口头提出，由受理机构代为填写申请"
        "（《条例》第二十九条）。",
        "申请内容包括：申请人的姓名或者名称、身份证明、联系方式；申请公开的政府信息的名称、"
        "文号或者便于查询的其他特征性描述；申请公开的政府信息的形式要求，包括获取信息的方式、途径。",
        "（三）答复期限",
        "能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内答复；"
        "需要延长的，经政府信息公开工作机构负责人同意并告知申请人，延长期限最长不超过20个工作日"
        "（《条例》第三十三条）。",
        "（四）收费",
        "依申请提供政府信息，不收取费用；申请数量、频次明显超过合理范围的，"
        "按照《政府信息公开信息处理费管理办法》收取信息处理费（《条例》第四十二条）。",
        "",
        "三、监督和救济",
        "公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，"
        "可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，"
        "也可以依法申请行政复议或者提起行政诉讼（《条例》第五十一条）。",
        "",
        f"本指南生成于{today.year}年{today.month}月{today.day}日。",
    ]
    return "\n".join(lines)


def guide_generate(*, organization: Organization, acting_user, now: dt.datetime) -> Guide:
    """(Re)generate the guide text from the body's data; the clerk edits it afterwards."""
    if not perms.can_maintain(acting_user, organization):
        _deny("您不能维护本机关的政府信息公开指南。")
    return _guide_generate(organization, acting_user, now)


def guide_generate_system(*, organization: Organization, now: dt.datetime) -> Guide:
    """The system's own entry point (demo, seeding commands; no request, no role
    check, audit row without actor).  Never call it from a view."""
    return _guide_generate(organization, None, now)


@transaction.atomic
def _guide_generate(organization: Organization, acting_user, now: dt.datetime) -> Guide:
    text = guide_text_for(organization, today=timezone.localdate(now))
    guide, created = Guide.objects.select_for_update().get_or_create(
        organization=organization,
        defaults={"text": text, "generated_at": now, "updated_at": now, "updated_by": acting_user},
    )
    if not created:
        guide.text = text
        guide.generated_at = now
        guide.updated_at = now
        guide.updated_by = acting_user
        guide.save()
    audit_record(
        actor=acting_user, organization=organization, verb="guide.generate", obj=guide, at=now
    )
    return guide


@transaction.atomic
def guide_update(*, organization: Organization, acting_user, text: str, now: dt.datetime) -> Guide:
    """Replace the guide's text; shown on the portal at once.  Deliberately one
    person (a clerk): see docs/security.md, "not covered"."""
    if not perms.can_maintain(acting_user, organization):
        _deny("您不能维护本机关的政府信息公开指南。")
    if not (text or "").strip():
        raise ValidationError({"text": "指南正文不能为空。"})
    guide, _ = Guide.objects.select_for_update().get_or_create(
        organization=organization, defaults={"text": text, "updated_at": now}
    )
    guide.text = text.strip()
    guide.updated_at = now
    guide.updated_by = acting_user
    guide.save()
    audit_record(
        actor=acting_user, organization=organization, verb="guide.update", obj=guide, at=now
    )
    return guide
