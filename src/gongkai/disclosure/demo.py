"""Demo data for proactive disclosure (written for the demo; every person is invented).

甘河滩镇: a year (2024) of published items — 预算/决算, 通知公告, 惠农补贴公示
with masked ID numbers, a policy still lacking its interpretation — with their
channels; a normative document with its interpretation in 2025 (the seed
annual report for 2024 shows no 规范性文件, and the reports demo publishes it);
two 公示 published today whose period runs from today (never before publication);
items waiting for the demo reviewer and approver; an overdue draft.
河湾区人民政府 (its own column: 政府工作报告, 预决算, a 规范性文件 with its
interpretation, 统计公报, 应急预案, a 招聘公示), 河湾区民政局 and 柳林镇: smaller years.
Every list names the people it announces, ID numbers masked, the office's telephone
left readable; every numbered section has text under it.
Catalogue seeded and guide generated for every body; 甘河滩镇's YearlyFigures 2024 = 0.
Issue #11, through the services: publishing settings (甘河滩镇 names, the district
posts and 三同步), the district's revised 临时救助实施办法 published today with its
interpretation package and a 图解, one 已废止 and one 已修订 register row with their
replacements, a 转载 notice at 甘河滩镇, 三项清单 with two revisions (甘河滩镇 and the
district), the district's standard catalogue adopted by 甘河滩镇 only, and 收费 and
建议提案 rows for the district and the 民政局.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from gongkai.privacy import mask
from gongkai.privacy.sample import id_check_char

from . import services
from .models import (
    Category,
    InterpretationContent,
    Item,
    ListKind,
    NormativeDocument,
    ProposalReply,
    Publication,
    PublishingSettings,
)
from .services import columns, lists, standards

K = Item.Kind


def _id_number(district: str, birth: str, serial: str) -> str:
    first17 = f"{district}{birth}{serial}"
    return first17 + id_check_char(first17)


SUBSIDY_ROWS = (
    ("张桂兰", "612526", "19580312", "041", "张家村一组", "6.5", "812.50"),
    ("李德明", "612526", "19660721", "013", "张家村三组", "4.2", "525.00"),
    ("王秀英", "612526", "19710205", "028", "柳树湾村二组", "8.0", "1000.00"),
    ("刘建华", "612526", "19800916", "057", "石桥村一组", "3.1", "387.50"),
    ("陈玉兰", "612526", "19621130", "062", "石桥村四组", "5.6", "700.00"),
)


def _name_list(intro: str, header: str, rows, contact: str) -> str:
    """A 公示 that names the people it announces, in a table whose ID numbers are
    masked on publication (条例第十五条: personal privacy).  ``rows`` are (name,
    ID region, birth date, serial, *other columns).  Only the table is masked:
    the office's own telephone number in ``contact`` stays readable."""
    table = [header]
    for n, (name, region, birth, serial, *rest) in enumerate(rows, 1):
        table.append("\t".join([str(n), name, _id_number(region, birth, serial), *rest]))
    return "\n".join([intro, mask("\n".join(table)), contact])


def _subsidy_body() -> str:
    return _name_list(
        "根据《河湾区2024年耕地地力保护补贴实施方案》，经村组申报、村委会审核、镇农业农村办公室复核，"
        "现将甘河滩镇2024年耕地地力保护补贴发放情况予以公示。\n补贴标准：每亩125元。",
        "序号\t姓名\t身份证号\t村组\t补贴面积（亩）\t补贴金额（元）",
        SUBSIDY_ROWS,
        "公示期内如有异议，请向镇农业农村办公室反映，联系电话：0999-86230015。",
    )


# (name, ID region, birth date, serial, village, last column) of the running 公示.
NEW_BENEFIT_ROWS = (
    ("马成林", "612526", "19570623", "017", "甘河滩村一组", "3人"),
    ("杨桂芳", "612526", "19680914", "044", "东湾村二组", "1人"),
    ("冯志刚", "612526", "19790302", "051", "河口村三组", "4人"),
)
HOUSING_ROWS = (
    ("郭长顺", "612526", "19530118", "019", "石桥村二组", "C级"),
    ("吴凤莲", "612526", "19610527", "046", "柳树湾村三组", "D级"),
)

TOWN_SOCIAL_AFFAIRS = "公示期内如有异议，请向镇社会事务办公室反映，联系电话：0999-86230016。"


def _history(ctx, org, cats, spec: dict, published_on: dt.date, channels=()) -> Item:
    category = cats.get(spec.pop("category", ""))
    drafter = ctx.users.get(spec.pop("by", ""), None)
    if org == ctx.ganhetan:
        # Adoption as a user would do it: the office head records the old site's
        # history and the approver confirms it (two people).
        item = services.item_record_history(
            organization=org,
            acting_user=ctx.approver,
            recorded_by=ctx.office_head,
            data={**spec, "category": category},
            published_on=published_on,
            reviewed_by=ctx.reviewer,
            source="demo",
            now=ctx.now,
        )
    else:
        # The other demo bodies have only a clerk, who may not record history:
        # the demo loader itself records it (system entry point, no request).
        item = services.item_record_history_system(
            organization=org,
            created_by=drafter or ctx.clerk,
            data={**spec, "category": category},
            published_on=published_on,
            source="demo",
            now=ctx.now,
        )
    for channel, offset, note in channels:
        Publication.objects.create(
            item=item,
            channel=channel,
            published_on=published_on + dt.timedelta(days=offset),
            note=note,
            recorded_by=drafter or ctx.clerk,
        )
    return item


def _ganhetan_history(ctx, cats) -> None:
    org = ctx.ganhetan
    units = ctx.units
    C = Publication.Channel
    board = (C.BULLETIN_BOARD, 0, "镇便民服务中心公示栏")
    screen = (C.SCREEN, 0, "便民服务中心电子屏")
    group = (C.WECHAT_GROUP, 0, "各村村民微信群转发")
    account = (C.WECHAT_ACCOUNT, 1, "“甘河滩发布”公众号")
    broadcast = (C.BROADCAST, 1, "村村响广播")
    _history(
        ctx,
        org,
        cats,
        {
            "title": "甘河滩镇人民政府2024年部门预算公开",
            "summary": "2024年收支总预算、一般公共预算支出、“三公”经费预算及说明",
            "body": "一、部门职责及机构设置\n"
            "甘河滩镇人民政府负责本镇经济发展、社会事务、农业农村和社会治理等工作，"
            "内设党政办公室、经济发展办公室、社会事务办公室、农业农村办公室，"
            "纳入2024年部门预算编制范围的为镇本级。\n"
            "二、2024年收支总预算情况\n"
            "2024年收入预算合计1,286.40万元，其中一般公共预算拨款1,236.40万元，其他收入50.00万元。\n"
            "三、“三公”经费预算情况\n2024年“三公”经费预算12.60万元，比上年减少0.80万元。",
            "formed_on": dt.date(2024, 1, 26),
            "kind": K.BUDGET,
            "category": "B04",
            "article_item": "a20_07",
            "unit": units["党政办公室"],
            "subject_words": "预算 财政",
        },
        dt.date(2024, 2, 5),
        [account],
    )
    _history(
        ctx,
        org,
        cats,
        {
            "title": "关于做好2024年春耕生产工作的通知",
            "document_number": "甘政发〔2024〕3号",
            "body": "各村民委员会、镇直各单位：\n当前正值春耕备耕关键时期，请各村组织农资供应摸排，"
            "做好农机检修和技术指导，确保不误农时。",
            "formed_on": dt.date(2024, 2, 27),
            "kind": K.NOTICE,
            "category": "C01",
            "article_item": "a21_01",
            "unit": units["农业农村办公室"],
        },
        dt.date(2024, 3, 4),
        [board, broadcast],
    )
    policy = _history(
        ctx,
        org,
        cats,
        {
            "title": "甘河滩镇农村人居环境整治村庄保洁管理办法",
            "document_number": "甘政规〔2025〕1号",
            "body": "第一条 为巩固农村人居环境整治成果，建立村庄保洁长效机制，制定本办法。\n"
            "第二条 本办法适用于本镇行政区域内各行政村的村庄保洁工作。\n"
            "第三条 村庄保洁实行“户分类、村收集、镇转运”的工作机制。\n"
            "第十五条 本办法自2025年5月1日起施行，有效期五年。",
            "formed_on": dt.date(2025, 4, 10),
            "kind": K.NORMATIVE,
            "category": "A01",
            "article_item": "a20_01",
            "unit": units["经济发展办公室"],
        },
        dt.date(2025, 4, 11),
        [board, account],
    )
    NormativeDocument.objects.create(
        organization=org,
        kind=NormativeDocument.Kind.NORMATIVE,
        title=policy.title,
        document_number=policy.document_number,
        issued_on=dt.date(2025, 4, 10),
        effective_from=dt.date(2025, 5, 1),
        valid_until=dt.date(2030, 4, 30),
        item=policy,
    )
    interpretation = _history(
        ctx,
        org,
        cats,
        {
            "title": "《甘河滩镇农村人居环境整治村庄保洁管理办法》政策解读",
            "body": "一、制定背景\n2024年全镇完成农村人居环境整治三年行动，村庄保洁缺少长效机制，"
            "部分村存在保洁员配备不足、垃圾转运不及时的问题。\n"
            "二、主要内容\n明确保洁责任、人员配备、经费保障和考核办法；山区村按村庄面积和"
            "自然村数量配备保洁员；夏季垃圾转运每周三次。\n"
            "三、群众关心的问题\n保洁费用由镇村两级承担，不向农户收取。"
            "征求意见期间收到的意见建议及采纳情况已在意见征集栏目公布。",
            "formed_on": dt.date(2025, 4, 10),
            "kind": K.INTERPRETATION,
            "interprets": policy,
            "category": "A01",
            "article_item": "a20_01",
            "unit": units["经济发展办公室"],
        },
        dt.date(2025, 4, 14),
        [account],
    )
    # The 政策解读 package (docs/disclosure.md): sections and a 简明问答.
    InterpretationContent.objects.create(
        item=interpretation,
        background="2024年全镇完成农村人居环境整治三年行动，村庄保洁缺少长效机制，"
        "部分村存在保洁员配备不足、垃圾转运不及时的问题。",
        purpose="建立村庄保洁长效机制，让每个自然村都有人扫、有钱扫、有人管。",
        measures="明确保洁责任、人员配备、经费保障和考核办法；山区村按村庄面积和自然村数量"
        "配备保洁员；夏季垃圾转运每周三次。",
        qa=[
            {"question": "保洁费用要农户出吗？", "answer": "不收取。保洁费用由镇村两级承担。"},
            {
                "question": "征求意见时提的建议采纳了吗？",
                "answer": "意见建议及采纳情况已在意见征集栏目公布。",
            },
        ],
    )
    _history(
        ctx,
        org,
        cats,
        {
            "title": "甘河滩镇2024年耕地地力保护补贴发放情况公示",
            "body": _subsidy_body(),
            "formed_on": dt.date(2024, 5, 6),
            "kind": K.LIST,
            "category": "B17",
            "article_item": "a21_01",
            "unit": units["农业农村办公室"],
            "notice_from": dt.date(2024, 5, 8),
            "notice_to": dt.date(2024, 5, 14),
            "subject_words": "惠农补贴 公示",
        },
        dt.date(2024, 5, 8),
        [board, screen, group],
    )
    _history(
        ctx,
        org,
        cats,
        {
            "title": "甘河滩镇2024年特色种养业奖补办法",
            "document_number": "甘政发〔2024〕11号",
            "body": "为促进特色种养业发展，对新发展花椒、核桃种植和肉牛养殖的农户给予奖补。"
            "奖补标准见附表，申报时间为每年6月至8月。",
            "formed_on": dt.date(2024, 5, 20),
            "kind": K.POLICY,
            "category": "C01",
            "article_item": "a21_01",
            "unit": units["农业农村办公室"],
        },
        dt.date(2024, 5, 24),
        [board],
    )
    _history(
        ctx,
        org,
        cats,
        {
            "title": "关于做好2024年汛期防汛工作的通知",
            "document_number": "甘政发〔2024〕15号",
            "body": "各村民委员会：进入主汛期，请落实包村干部和巡查人员，"
            "对河道、山塘、地质灾害隐患点实行24小时值守。",
            "formed_on": dt.date(2024, 6, 3),
            "kind": K.NOTICE,
            "category": "B14",
            "article_item": "a20_12",
            "unit": units["党政办公室"],
        },
        dt.date(2024, 6, 5),
        [broadcast, group],
    )
    _history(
        ctx,
        org,
        cats,
        {
            "title": "甘河滩镇2024年乡村公益性岗位招聘公告",
            "body": "现面向本镇脱贫劳动力和就业困难人员招聘乡村公益性岗位人员20名，"
            "岗位包括道路养护、保洁和护林。报名时间为7月8日至7月19日，报名地点为各村委会。",
            "formed_on": dt.date(2024, 7, 4),
            "kind": K.NOTICE,
            "category": "B18",
            "article_item": "a20_11",
            "unit": units["社会事务办公室"],
        },
        dt.date(2024, 7, 8),
        [board, group, broadcast],
    )
    _history(
        ctx,
        org,
        cats,
        {
            "title": "甘河滩镇人民政府2023年部门决算公开",
            "summary": "2023年收支决算及“三公”经费决算说明",
            "body": "2023年度收入决算1,198.72万元，支出决算1,190.35万元；"
            "“三公”经费决算11.94万元，比预算减少1.46万元。",
            "formed_on": dt.date(2024, 8, 19),
            "kind": K.BUDGET,
            "category": "B04",
            "article_item": "a20_07",
            "unit": units["党政办公室"],
        },
        dt.date(2024, 8, 28),
        [account],
    )
    _history(
        ctx,
        org,
        cats,
        {
            "title": "关于2025年度城乡居民基本医疗保险集中缴费的通知",
            "body": "2025年度城乡居民医保个人缴费标准为每人每年400元，集中缴费期为"
            "2024年9月1日至12月31日，可通过微信、银行网点或村便民服务点缴纳。",
            "formed_on": dt.date(2024, 8, 30),
            "kind": K.NOTICE,
            "category": "B22",
            "article_item": "a20_11",
            "unit": units["社会事务办公室"],
        },
        dt.date(2024, 9, 2),
        [board, group, broadcast],
    )
    _history(
        ctx,
        org,
        cats,
        {
            "title": "甘河滩镇2024年第三季度城乡低保对象名单公示",
            "body": _name_list(
                "经入户调查、民主评议，现将第三季度城乡低保对象予以公示。",
                "序号\t户主姓名\t身份证号\t村组\t保障人数",
                (
                    ("赵小军", "612526", "19851017", "035", "甘河滩村二组", "2人"),
                    ("孙凤英", "612526", "19490408", "026", "柳树湾村一组", "1人"),
                ),
                TOWN_SOCIAL_AFFAIRS,
            ),
            "formed_on": dt.date(2024, 9, 25),
            "kind": K.LIST,
            "category": "C08",
            "article_item": "a21_08",
            "unit": units["社会事务办公室"],
            "notice_from": dt.date(2024, 9, 27),
            "notice_to": dt.date(2024, 10, 10),
        },
        dt.date(2024, 9, 27),
        [board, screen],
    )
    _history(
        ctx,
        org,
        cats,
        {
            "title": "关于加强秋冬季森林防火工作的通告",
            "document_number": "甘政通〔2024〕2号",
            "body": "即日起至2025年4月30日为森林防火期，禁止在林区及林缘野外用火、上坟烧纸和焚烧秸秆。",
            "formed_on": dt.date(2024, 10, 14),
            "kind": K.NOTICE,
            "category": "B05",
            "article_item": "a20_12",
            "unit": units["党政办公室"],
        },
        dt.date(2024, 10, 16),
        [board, broadcast, account],
    )


def _ganhetan_current(ctx, cats) -> None:
    """Items moving through the workflow now, and 公示 running around today."""
    org, today = ctx.ganhetan, ctx.today
    clerk, reviewer, approver = ctx.clerk, ctx.reviewer, ctx.approver

    def create(**data) -> Item:
        data.setdefault("kind", K.NOTICE)
        return services.item_create(organization=org, acting_user=clerk, data=data)

    def publish(item: Item) -> Item:
        item = services.item_submit(item=item, acting_user=clerk)
        item = services.item_review_pass(item=item, acting_user=reviewer, comment="经审查，不涉密")
        return services.item_approve(
            item=item, acting_user=approver, comment="同意公开", now=ctx.now
        )

    quarter = "一二三四"[(today.month - 1) // 3]
    for title, category, article, days, body in (
        (
            f"{today.year}年第{quarter}季度城乡居民最低生活保障拟保对象公示",
            "C08",
            "a21_08",
            7,
            _name_list(
                "经农户申请、入户调查、村级民主评议、镇级审核，现将拟纳入城乡居民最低生活保障的"
                "对象予以公示。",
                "序号\t户主姓名\t身份证号\t村组\t保障人数",
                NEW_BENEFIT_ROWS,
                TOWN_SOCIAL_AFFAIRS,
            ),
        ),
        (
            f"{today.year}年农村危房改造拟补助对象公示",
            "B09",
            "a20_11",
            5,
            _name_list(
                "经农户申请、村级评议、住房安全等级鉴定和镇级审核，现将拟补助对象予以公示。",
                "序号\t户主姓名\t身份证号\t村组\t鉴定等级",
                HOUSING_ROWS,
                TOWN_SOCIAL_AFFAIRS,
            ),
        ),
    ):
        # The 公示期 starts on the day the item is published, never before it.
        item = publish(
            create(
                title=title,
                body=body,
                formed_on=today - dt.timedelta(days=3),
                kind=K.LIST,
                category=cats[category],
                article_item=article,
                unit=ctx.units["社会事务办公室"],
                notice_from=today,
                notice_to=today + dt.timedelta(days=days - 1),
            )
        )
        services.publication_record(
            item=item,
            acting_user=clerk,
            channel=Publication.Channel.BULLETIN_BOARD,
            published_on=today,
            note="镇便民服务中心公示栏",
        )
        services.publication_record(
            item=item, acting_user=clerk, channel=Publication.Channel.SCREEN, published_on=today
        )
    # Waiting for the demo reviewer (one has a phone number the scanner flags).
    services.item_submit(
        item=create(
            title="关于开展冬季农村用电安全检查的通知",
            body="请各村于本月底前完成用电线路排查。联系人：镇经济发展办公室张明，电话13909991234。",
            formed_on=today - dt.timedelta(days=5),
            category=cats["B05"],
            unit=ctx.units["经济发展办公室"],
        ),
        acting_user=clerk,
    )
    services.item_submit(
        item=create(
            title="甘河滩镇冬春季农田水利建设工作安排",
            body="今冬明春计划整修渠道12公里、新建蓄水池3座，所需资金由区级专项资金和镇级配套解决。",
            formed_on=today - dt.timedelta(days=8),
            category=cats["C02"],
            article_item="a21_02",
            unit=ctx.units["农业农村办公室"],
        ),
        acting_user=clerk,
    )
    # Waiting for the approver.
    item = services.item_submit(
        item=create(
            title="关于调整镇便民服务中心办公时间的公告",
            body="自下月1日起，镇便民服务中心周六上午增设延时服务窗口（9:00—12:00）。",
            formed_on=today - dt.timedelta(days=2),
            category=cats["A02"],
            article_item="a20_02",
        ),
        acting_user=clerk,
    )
    services.item_review_pass(item=item, acting_user=reviewer)
    # Returned by the reviewer.
    item = services.item_submit(
        item=create(
            title="甘河滩村集体经济收益分配方案公示",
            body="分配名单附后。",
            formed_on=today - dt.timedelta(days=6),
            kind=K.LIST,
            category=cats["C07"],
        ),
        acting_user=clerk,
    )
    services.item_return(
        item=item, acting_user=reviewer, comment="附件名单缺失，请补充并隐去身份证号中间位数。"
    )
    # A draft formed long ago: overdue under 条例第二十六条.
    create(
        title="甘河滩镇2025年度农村土地承包经营权流转情况",
        body="全镇流转土地面积3,260亩，流转合同均已备案。",
        formed_on=today - dt.timedelta(days=40),
        category=cats["C03"],
        article_item="a21_03",
    )


def _other_bodies(ctx) -> None:
    liulin_cats = {c.code: c for c in Category.objects.filter(organization=ctx.liulin)}
    _history(
        ctx,
        ctx.liulin,
        liulin_cats,
        {
            "title": "柳林镇2024年部门预算公开",
            "body": "2024年收入预算合计986.20万元。",
            "formed_on": dt.date(2024, 1, 30),
            "kind": K.BUDGET,
            "category": "B04",
            "article_item": "a20_07",
            "by": "liulin_clerk",
        },
        dt.date(2024, 2, 8),
    )
    _history(
        ctx,
        ctx.liulin,
        liulin_cats,
        {
            "title": "柳林镇2024年高标准农田建设项目公示",
            "body": "项目建设规模2,000亩，总投资300万元，建设期为2024年4月至10月。",
            "formed_on": dt.date(2024, 3, 18),
            "kind": K.LIST,
            "category": "C02",
            "article_item": "a21_02",
            "by": "liulin_clerk",
        },
        dt.date(2024, 3, 22),
    )
    plan = _history(
        ctx,
        ctx.liulin,
        liulin_cats,
        {
            "title": "柳林镇2024年农村人居环境整治提升工作方案",
            "document_number": "柳政发〔2024〕6号",
            "body": "一、工作目标\n年底前全镇农村生活垃圾收运处置体系覆盖所有行政村，"
            "卫生厕所普及率达到85%以上。\n"
            "二、重点任务\n开展村庄清洁行动，推进农村改厕，治理农村生活污水。\n"
            "三、保障措施\n镇财政安排专项资金120万元，实行包村干部责任制。",
            "formed_on": dt.date(2024, 4, 8),
            "kind": K.POLICY,
            "category": "C01",
            "article_item": "a21_01",
            "by": "liulin_clerk",
        },
        dt.date(2024, 4, 10),
    )
    _history(
        ctx,
        ctx.liulin,
        liulin_cats,
        {
            "title": "《柳林镇2024年农村人居环境整治提升工作方案》解读",
            "body": "一、为什么制定方案\n巩固村庄清洁成果，补齐改厕和污水治理短板。\n"
            "二、群众能得到什么\n改厕农户每户补助1,200元，由镇政府统一验收后发放。",
            "formed_on": dt.date(2024, 4, 8),
            "kind": K.INTERPRETATION,
            "interprets": plan,
            "category": "C01",
            "article_item": "a21_01",
            "by": "liulin_clerk",
        },
        dt.date(2024, 4, 11),
    )
    mz_cats = {c.code: c for c in Category.objects.filter(organization=ctx.minzheng)}
    policy = _history(
        ctx,
        ctx.minzheng,
        mz_cats,
        {
            "title": "河湾区关于调整城乡居民最低生活保障标准的通知",
            "document_number": "河民发〔2024〕8号",
            "body": "自2024年7月1日起，城市低保标准调整为每人每月760元，农村低保标准调整为每人每年6,600元。",
            "formed_on": dt.date(2024, 6, 14),
            "kind": K.NORMATIVE,
            "category": "B19",
            "article_item": "a20_01",
            "by": "minzheng_clerk",
        },
        dt.date(2024, 6, 18),
    )
    NormativeDocument.objects.create(
        organization=ctx.minzheng,
        title=policy.title,
        document_number=policy.document_number,
        issued_on=dt.date(2024, 6, 14),
        effective_from=dt.date(2024, 7, 1),
        item=policy,
    )
    _history(
        ctx,
        ctx.minzheng,
        mz_cats,
        {
            "title": "《河湾区关于调整城乡居民最低生活保障标准的通知》解读",
            "body": "本次调整后，城市低保标准提高40元，农村低保标准提高360元。",
            "formed_on": dt.date(2024, 6, 14),
            "kind": K.INTERPRETATION,
            "interprets": policy,
            "category": "B19",
            "article_item": "a20_01",
            "by": "minzheng_clerk",
        },
        dt.date(2024, 6, 19),
    )


# 河湾区公开招聘社区工作者拟聘用人员 (name, ID region, birth, serial, 岗位, 总成绩).
RECRUIT_ROWS = (
    ("刘思远", "612501", "19960412", "031", "滨河街道社区工作者", "82.6"),
    ("陈佳怡", "612501", "19980825", "062", "滨河街道社区工作者", "81.9"),
    ("韩志鹏", "612501", "19951103", "017", "城关街道社区工作者", "80.4"),
)


def _district(ctx) -> None:
    """河湾区人民政府's own items: a year and a half of what a county government
    publishes, so that its column is not empty beside its towns'."""
    org = ctx.district
    cats = {c.code: c for c in Category.objects.filter(organization=org)}

    def history(spec: dict, published_on: dt.date, channels=()) -> Item:
        return _history(ctx, org, cats, {**spec, "by": "hewan_clerk"}, published_on, channels)

    C = Publication.Channel
    account = (C.WECHAT_ACCOUNT, 0, "“河湾发布”公众号")
    history(
        {
            "title": "2024年河湾区人民政府工作报告",
            "summary": "2023年工作回顾和2024年工作安排",
            "body": "一、2023年工作回顾\n全区地区生产总值完成186.4亿元，增长5.6%；"
            "城乡居民人均可支配收入分别达到41,260元和16,830元。\n"
            "二、2024年工作安排\n坚持稳中求进，重点抓好产业发展、城乡建设、民生保障和社会治理。\n"
            "三、2024年民生实事\n新建改建农村公路60公里，新增城镇就业2,800人，改造老旧小区12个。",
            "formed_on": dt.date(2024, 1, 18),
            "kind": K.OTHER,
            "category": "A03",
            "article_item": "a20_03",
            "subject_words": "政府工作报告",
        },
        dt.date(2024, 1, 24),
        [account],
    )
    history(
        {
            "title": "河湾区人民政府2024年部门预算公开",
            "summary": "区政府办公室2024年收支总预算、“三公”经费预算及说明",
            "body": "一、部门职责及机构设置\n区人民政府办公室负责区政府日常运转、"
            "政务信息、督查和政务公开等工作。\n"
            "二、2024年收支总预算情况\n2024年收入预算合计2,316.80万元，全部为一般公共预算拨款。\n"
            "三、“三公”经费预算情况\n2024年“三公”经费预算28.50万元，比上年减少2.10万元。",
            "formed_on": dt.date(2024, 2, 6),
            "kind": K.BUDGET,
            "category": "B04",
            "article_item": "a20_07",
            "subject_words": "预算 财政",
        },
        dt.date(2024, 2, 9),
        [account],
    )
    history(
        {
            "title": "河湾区2023年国民经济和社会发展统计公报",
            "body": "一、综合\n2023年全区地区生产总值186.4亿元，比上年增长5.6%。\n"
            "二、农业\n全年粮食总产量11.2万吨，增长1.8%。\n"
            "三、人民生活\n全区城镇居民人均可支配收入41,260元，农村居民人均可支配收入16,830元。",
            "formed_on": dt.date(2024, 3, 25),
            "kind": K.OTHER,
            "category": "A04",
            "article_item": "a20_04",
        },
        dt.date(2024, 3, 28),
        [account],
    )
    policy = history(
        {
            "title": "河湾区农村集体经营性建设用地入市管理办法",
            "document_number": "河政规〔2024〕1号",
            "body": "第一条 为规范农村集体经营性建设用地入市行为，保障农村集体经济组织和农民合法权益，"
            "制定本办法。\n"
            "第二条 本办法适用于本区行政区域内农村集体经营性建设用地的出让、出租和作价出资（入股）。\n"
            "第三条 入市应当经本集体经济组织成员的村民会议三分之二以上成员或者三分之二以上村民代表同意。\n"
            "第二十条 本办法自2024年6月1日起施行，有效期五年。",
            "formed_on": dt.date(2024, 4, 26),
            "kind": K.NORMATIVE,
            "category": "A01",
            "article_item": "a20_01",
            "subject_words": "土地 集体建设用地",
        },
        dt.date(2024, 4, 30),
        [account],
    )
    services.normative_document_save(
        organization=org,
        acting_user=ctx.district_clerk,
        document=None,
        data={
            "kind": NormativeDocument.Kind.NORMATIVE,
            "title": policy.title,
            "document_number": policy.document_number,
            "issued_on": dt.date(2024, 4, 26),
            "effective_from": dt.date(2024, 6, 1),
            "valid_until": dt.date(2029, 5, 31),
            "item": policy,
        },
    )
    history(
        {
            "title": "《河湾区农村集体经营性建设用地入市管理办法》政策解读",
            "body": "一、出台背景\n农村土地管理法修改后，集体经营性建设用地可以依法入市，"
            "需要明确本区的入市程序和收益分配。\n"
            "二、主要内容\n明确入市主体、入市程序、收益分配和监督管理。\n"
            "三、群众关心的问题\n入市须经村民会议或村民代表会议三分之二以上同意；"
            "土地增值收益调节金按成交价款的20%至30%征收，其余收益归集体经济组织。",
            "formed_on": dt.date(2024, 4, 26),
            "kind": K.INTERPRETATION,
            "interprets": policy,
            "category": "A01",
            "article_item": "a20_01",
        },
        dt.date(2024, 5, 6),
        [account],
    )
    history(
        {
            "title": "河湾区2024年重大建设项目计划",
            "body": "2024年全区安排重大建设项目36个，总投资128.6亿元，年度计划投资41.3亿元。"
            "其中产业项目14个、基础设施项目12个、社会民生项目10个。",
            "formed_on": dt.date(2024, 3, 8),
            "kind": K.POLICY,
            "category": "B02",
            "article_item": "a20_10",
        },
        dt.date(2024, 3, 15),
        [account],
    )
    history(
        {
            "title": "河湾区防汛抗旱应急预案（2024年修订）",
            "document_number": "河政办发〔2024〕12号",
            "body": "一、总则\n为做好水旱灾害突发事件防范与处置工作，保障人民群众生命财产安全，制定本预案。\n"
            "二、组织指挥体系\n区防汛抗旱指挥部负责全区防汛抗旱工作，各镇（街道）设立防汛抗旱指挥机构。\n"
            "三、应急响应\n应急响应分为四级，由区防汛抗旱指挥部根据汛情、旱情启动。",
            "formed_on": dt.date(2024, 5, 20),
            "kind": K.POLICY,
            "category": "B14",
            "article_item": "a20_12",
        },
        dt.date(2024, 5, 24),
        [account],
    )
    history(
        {
            "title": "河湾区2024年公开招聘社区工作者拟聘用人员公示",
            "body": _name_list(
                "根据《河湾区2024年公开招聘社区工作者公告》，经笔试、面试、体检和考察，"
                "现将拟聘用人员予以公示。",
                "序号\t姓名\t身份证号\t岗位\t总成绩",
                RECRUIT_ROWS,
                "公示期内如有异议，请向区人力资源和社会保障局反映，联系电话：0999-86128800。",
            ),
            "formed_on": dt.date(2024, 8, 12),
            "kind": K.LIST,
            "category": "B18",
            "article_item": "a20_11",
            "notice_from": dt.date(2024, 8, 14),
            "notice_to": dt.date(2024, 8, 20),
        },
        dt.date(2024, 8, 14),
        [account],
    )
    history(
        {
            "title": "河湾区人民政府2023年部门决算公开",
            "summary": "区政府办公室2023年收支决算及“三公”经费决算说明",
            "body": "一、收支决算总体情况\n2023年度收入决算2,248.36万元，支出决算2,231.90万元。\n"
            "二、“三公”经费决算情况\n2023年“三公”经费决算26.84万元，比预算减少3.76万元。",
            "formed_on": dt.date(2024, 8, 22),
            "kind": K.BUDGET,
            "category": "B04",
            "article_item": "a20_07",
        },
        dt.date(2024, 8, 30),
        [account],
    )
    history(
        {
            "title": "河湾区人民政府2025年部门预算公开",
            "summary": "区政府办公室2025年收支总预算、“三公”经费预算及说明",
            "body": "一、部门职责及机构设置\n区人民政府办公室负责区政府日常运转、"
            "政务信息、督查和政务公开等工作。\n"
            "二、2025年收支总预算情况\n2025年收入预算合计2,288.40万元，全部为一般公共预算拨款。\n"
            "三、“三公”经费预算情况\n2025年“三公”经费预算26.00万元，比上年减少2.50万元。",
            "formed_on": dt.date(2025, 2, 10),
            "kind": K.BUDGET,
            "category": "B04",
            "article_item": "a20_07",
        },
        dt.date(2025, 2, 14),
        [account],
    )


def _minzheng_more(ctx) -> None:
    """河湾区民政局: besides its 低保 standard and the interpretation, a list and a notice."""
    org = ctx.minzheng
    cats = {c.code: c for c in Category.objects.filter(organization=org)}
    _history(
        ctx,
        org,
        cats,
        {
            "title": "河湾区2024年第二季度特困人员供养对象名单公示",
            "body": _name_list(
                "经本人申请、镇（街道）审核，区民政局确认，现将2024年第二季度新增特困人员"
                "供养对象予以公示。",
                "序号\t姓名\t身份证号\t镇（街道）\t供养方式",
                (
                    ("高福来", "612526", "19450309", "013", "甘河滩镇", "分散供养"),
                    ("唐秀珍", "612527", "19420716", "028", "柳林镇", "集中供养"),
                ),
                "公示期内如有异议，请向区民政局社会救助股反映，联系电话：0999-86150012。",
            ),
            "formed_on": dt.date(2024, 7, 3),
            "kind": K.LIST,
            "category": "B19",
            "article_item": "a20_11",
            "notice_from": dt.date(2024, 7, 5),
            "notice_to": dt.date(2024, 7, 11),
            "by": "minzheng_clerk",
        },
        dt.date(2024, 7, 5),
    )
    _history(
        ctx,
        org,
        cats,
        {
            "title": "关于开展2024年度养老机构服务质量检查的通知",
            "document_number": "河民发〔2024〕15号",
            "body": "各镇人民政府、各养老机构：\n"
            "为提升养老服务质量，区民政局定于2024年10月对全区养老机构开展服务质量检查，"
            "重点检查消防安全、食品安全和服务规范。请各养老机构于9月30日前完成自查。",
            "formed_on": dt.date(2024, 9, 10),
            "kind": K.NOTICE,
            "category": "B20",
            "article_item": "a20_13",
            "by": "minzheng_clerk",
        },
        dt.date(2024, 9, 12),
    )


def load(ctx) -> None:
    for org in ctx.organizations:
        services.catalogue_seed_system(organization=org)
    na = Category.objects.filter(organization=ctx.ganhetan, code__in=("B16", "B21"))
    reasons = {"B16": "本镇未设城市综合执法机构，由区城市管理局负责", "B21": "户籍管理由派出所负责"}
    for category in na:
        services.category_save(
            organization=ctx.ganhetan,
            acting_user=ctx.admin,
            category=category,
            data={"applies": False, "not_applicable_reason": reasons[category.code]},
        )
    _publishing_settings(ctx)
    _standard(ctx)
    cats = {c.code: c for c in Category.objects.filter(organization=ctx.ganhetan)}
    _ganhetan_history(ctx, cats)
    _ganhetan_current(ctx, cats)
    _repost(ctx, cats)
    _other_bodies(ctx)
    _minzheng_more(ctx)
    _district(ctx)
    _district_void(ctx, _district_current(ctx))
    _lists(ctx)
    _columns(ctx)
    # The seed annual report for 2024 has zeros in these rows.
    services.yearly_figures_save(
        organization=ctx.ganhetan,
        acting_user=ctx.office_head,
        year=2024,
        licensing=0,
        penalty=0,
        coercion=0,
        fees=Decimal("0"),
    )
    for org in ctx.organizations:
        services.guide_generate_system(organization=org, now=ctx.now)
    ctx.log(f"主动公开：{Item.objects.count()} 条政府信息。")


# --- 发布设置, 三同步 package, 转载, 失效文件, 三项清单, 标准目录, 收费, 建议提案 ------------


def _publishing_settings(ctx) -> None:
    """甘河滩镇 names who drafted, reviewed and signed off; the district shows posts and
    publishes a policy together with its interpretation (三同步)."""
    services.publishing_settings_update(
        organization=ctx.ganhetan,
        acting_user=ctx.office_head,
        publish_with_interpretation=False,
        signoff_display=PublishingSettings.SignoffDisplay.NAMES,
    )
    services.publishing_settings_update(
        organization=ctx.district,
        acting_user=ctx.district_admin,
        publish_with_interpretation=True,
        signoff_display=PublishingSettings.SignoffDisplay.POSTS,
    )


def figure_png() -> bytes:
    """A small 图解 drawn here: three steps (申请 → 审核 → 发放) as boxes and arrows."""
    image = Image.new("RGB", (480, 160), "white")
    draw = ImageDraw.Draw(image)
    colours = ("#1f5fa8", "#2e8b57", "#c0392b")
    for n, colour in enumerate(colours):
        left = 20 + n * 160
        draw.rounded_rectangle((left, 50, left + 120, 110), radius=10, fill=colour)
        draw.ellipse((left + 45, 65, left + 75, 95), fill="white")
        if n < 2:
            draw.line((left + 122, 80, left + 158, 80), fill="#333333", width=4)
            draw.polygon([(left + 158, 80), (left + 148, 73), (left + 148, 87)], fill="#333333")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


FIGURE_ALT = (
    "临时救助办理流程图解：第一步，向户籍所在地镇人民政府提出申请；第二步，镇人民政府"
    "审核并公示；第三步，审核通过后发放救助金，急难情形可先行救助。"
)


def _district_current(ctx) -> NormativeDocument:
    """The district's revised 临时救助实施办法 and its interpretation package,
    drafted, reviewed and signed off together (三同步) and published today."""
    org, today = ctx.district, ctx.today
    cats = {c.code: c for c in Category.objects.filter(organization=org)}
    clerk = ctx.district_clerk
    number = f"河政规〔{today.year}〕2号"
    policy = services.item_create(
        organization=org,
        acting_user=clerk,
        data={
            "title": "河湾区城乡居民临时救助实施办法",
            "document_number": number,
            "body": "第一条 为保障遭遇突发性、紧迫性、临时性生活困难群众的基本生活，"
            "根据《社会救助暂行办法》，制定本办法。\n"
            "第二条 临时救助由户籍所在地或者经常居住地镇人民政府受理、审核，区民政局审批。\n"
            "第五条 救助标准按月低保标准的2至6倍确定；急难情形可先行救助，事后补齐手续。\n"
            f"第二十条 本办法自{today.year}年{today.month}月{today.day}日起施行，"
            "有效期五年。《河湾区城乡居民临时救助实施办法》（河政规〔2022〕2号）同时修订。",
            "formed_on": today - dt.timedelta(days=6),
            "kind": K.NORMATIVE,
            "category": cats["A01"],
            "article_item": "a20_01",
            "subject_words": "临时救助 社会救助",
        },
    )
    interpretation = services.item_create(
        organization=org,
        acting_user=clerk,
        data={
            "title": "《河湾区城乡居民临时救助实施办法》政策解读",
            "body": "本解读包括出台背景、目的、主要举措、简明问答和办理流程图解。",
            "formed_on": today - dt.timedelta(days=6),
            "kind": K.INTERPRETATION,
            "interprets": policy,
            "category": cats["A01"],
            "article_item": "a20_01",
        },
    )
    services.interpretation_save(
        item=interpretation,
        acting_user=clerk,
        background="2022年印发的临时救助实施办法执行三年来，急难情形救助不够及时、"
        "救助标准偏低的问题比较突出，需要根据新的低保标准修订。",
        purpose="让遭遇突发困难的群众能及时得到救助，做到“先救助、后审核”，防止发生冲击社会"
        "道德底线的事件。",
        measures="一是救助标准提高到月低保标准的2至6倍；二是急难情形由镇人民政府先行救助；"
        "三是非户籍人口可在经常居住地申请；四是审批时限由15个工作日缩短为10个工作日。",
        qa=[
            {
                "question": "不是本区户籍可以申请临时救助吗？",
                "answer": "可以。在本区经常居住的，可以向居住地镇人民政府申请。",
            },
            {
                "question": "遇到急事等不及审批怎么办？",
                "answer": "急难情形由镇人民政府先行救助，事后补齐手续。",
            },
            {
                "question": "救助金多少钱？",
                "answer": "按家庭困难程度，为月低保标准的2至6倍，一般一次性发放。",
            },
        ],
    )
    services.interpretation_figure_add(
        item=interpretation,
        acting_user=clerk,
        file=SimpleUploadedFile("liucheng.png", figure_png(), content_type="image/png"),
        alt_text=FIGURE_ALT,
    )
    for item in (policy, interpretation):
        item = services.item_submit(item=item, acting_user=clerk)
        services.item_review_pass(
            item=item, acting_user=ctx.district_reviewer, comment="经审查，不涉密"
        )
    # 三同步: approving the policy publishes the interpretation with it.
    services.item_approve(
        item=Item.objects.get(pk=policy.pk),
        acting_user=ctx.district_approver,
        comment="同意公开",
        now=ctx.now,
    )
    return services.normative_document_save(
        organization=org,
        acting_user=clerk,
        document=None,
        data={
            "kind": NormativeDocument.Kind.NORMATIVE,
            "title": "河湾区城乡居民临时救助实施办法",
            "document_number": number,
            "issued_on": today - dt.timedelta(days=6),
            "effective_from": today,
            "valid_until": dt.date(today.year + 5, today.month, 1) - dt.timedelta(days=1),
            "item": Item.objects.get(pk=policy.pk),
        },
    )


def _district_void(ctx, revised: NormativeDocument) -> None:
    """Two documents of the district's register that are no longer in force
    (条例第二十条: bodies publish their 规范性文件 and their validity): the
    入市 pilot rules, abolished when 河政规〔2024〕1号 took effect, and the 2022
    临时救助 rules, revised by today's document."""
    org = ctx.district
    cats = {c.code: c for c in Category.objects.filter(organization=org)}
    clerk = ctx.district_clerk
    current = NormativeDocument.objects.get(organization=org, document_number="河政规〔2024〕1号")
    pilot = _history(
        ctx,
        org,
        cats,
        {
            "title": "河湾区农村集体经营性建设用地入市试点暂行办法",
            "document_number": "河政规〔2021〕3号",
            "body": "第一条 为做好农村集体经营性建设用地入市试点工作，制定本办法。\n"
            "第二条 试点范围为甘河滩镇、柳林镇。\n"
            "第十二条 本办法自2021年9月1日起施行。",
            "formed_on": dt.date(2021, 8, 20),
            "kind": K.NORMATIVE,
            "category": "A01",
            "article_item": "a20_01",
            "by": "hewan_clerk",
        },
        dt.date(2021, 8, 25),
    )
    old_relief = _history(
        ctx,
        org,
        cats,
        {
            "title": "河湾区城乡居民临时救助实施办法",
            "document_number": "河政规〔2022〕2号",
            "body": "第一条 为保障困难群众基本生活，制定本办法。\n"
            "第五条 救助标准按月低保标准的1至3倍确定。\n"
            "第二十条 本办法自2022年7月1日起施行。",
            "formed_on": dt.date(2022, 6, 10),
            "kind": K.NORMATIVE,
            "category": "A01",
            "article_item": "a20_01",
            "by": "hewan_clerk",
        },
        dt.date(2022, 6, 15),
    )
    for item, data in (
        (
            pilot,
            {
                "issued_on": dt.date(2021, 8, 20),
                "effective_from": dt.date(2021, 9, 1),
                "status": NormativeDocument.Status.ABOLISHED,
                "abolished_on": dt.date(2024, 6, 1),
                "replaced_by": current,
                "note": "试点结束，由河政规〔2024〕1号替代",
            },
        ),
        (
            old_relief,
            {
                "issued_on": dt.date(2022, 6, 10),
                "effective_from": dt.date(2022, 7, 1),
                "status": NormativeDocument.Status.AMENDED,
                "amended_on": revised.issued_on,
                "replaced_by": revised,
            },
        ),
    ):
        services.normative_document_save(
            organization=org,
            acting_user=clerk,
            document=None,
            data={
                "kind": NormativeDocument.Kind.NORMATIVE,
                "title": item.title,
                "document_number": item.document_number,
                "item": item,
                **data,
            },
        )


def _repost(ctx, cats) -> None:
    """甘河滩镇 reposts the district's notice, naming where it comes from (转载)."""
    today = ctx.today
    item = services.item_create(
        organization=ctx.ganhetan,
        acting_user=ctx.clerk,
        data={
            "title": f"关于做好{today.year}年冬季森林防火工作的通知",
            "body": "各镇人民政府、区直各部门：\n进入冬季森林防火期，请严格落实野外用火管理，"
            "加强巡山护林和火灾隐患排查，确保不发生森林火灾。",
            "formed_on": today - dt.timedelta(days=4),
            "kind": K.NOTICE,
            "category": cats["B05"],
            "article_item": "a20_12",
            "unit": ctx.units["党政办公室"],
            "is_reposted": True,
            "source_name": "河湾区人民政府办公室",
            "source_url": "https://www.hewan.example.gov.cn/hewan/",
        },
    )
    item = services.item_submit(item=item, acting_user=ctx.clerk)
    item = services.item_review_pass(item=item, acting_user=ctx.reviewer, comment="经审查，不涉密")
    services.item_approve(item=item, acting_user=ctx.approver, comment="同意转载", now=ctx.now)


STANDARD_FILLS = {
    "A01": (
        "规范性文件的文号、名称、全文、施行日期和有效期",
        "条例第二十条第（一）项",
        "自形成之日起20个工作日内",
        "政府网站、公示栏",
    ),
    "B04": ("部门预算、决算及“三公”经费说明", "《预算法》第十四条", "批复后20日内", "政府网站"),
    "C08": (
        "城乡低保对象姓名、村组、保障人数（身份证号隐去）",
        "条例第二十一条",
        "审核后及时公示，公示期7天",
        "公示栏、政府网站",
    ),
    "B17": (
        "惠农补贴项目、标准、对象和金额",
        "条例第二十一条",
        "发放前公示，公示期7天",
        "公示栏、微信群",
    ),
}


def _standard(ctx) -> None:
    """The district publishes a standard catalogue for its towns; 甘河滩镇 adopts it
    (柳林镇 has not yet: the who-has table shows both)."""
    rows = standards.template_rows(ctx.ganhetan.level)
    for row in rows:
        if row["code"] in STANDARD_FILLS:
            content, basis, limit, channels = STANDARD_FILLS[row["code"]]
            row.update(content_elements=content, basis=basis, time_limit=limit, channels=channels)
        else:
            # 条例第二十一条 (what towns publish) and 第二十六条 (within 20 working days).
            row.update(
                basis="《中华人民共和国政府信息公开条例》第二十一条",
                time_limit="自信息形成或者变更之日起20个工作日内",
                channels="政府网站、便民服务中心公示栏",
            )
    standard = standards.standard_save(
        publisher=ctx.district,
        acting_user=ctx.district_admin,
        standard=None,
        title="河湾区镇人民政府基层政务公开标准目录",
        target_level=ctx.ganhetan.level,
        rows=rows,
    )
    version = standards.standard_publish(
        standard=standard,
        acting_user=ctx.district_admin,
        note="依照国务院部门制定的基层政务公开标准指引编制，首次发布",
        now=ctx.now - dt.timedelta(days=60),
    )
    standards.standard_adopt(
        organization=ctx.ganhetan,
        version=version,
        acting_user=ctx.clerk,
        now=ctx.now - dt.timedelta(days=45),
    )


LISTS = {
    "ganhetan": {
        "on_request": (
            (
                "本镇惠农补贴发放明细",
                "各村补贴对象、面积和金额（公示以外的明细）",
                "农业农村办公室",
            ),
            ("本镇农村危房改造资金使用情况", "补助对象、资金拨付和验收情况", "社会事务办公室"),
        ),
        "on_request_later": (
            "本镇村庄保洁经费使用情况",
            "保洁员配备和经费拨付情况",
            "经济发展办公室",
        ),
        "withheld": (
            (
                "信访人身份信息及信访材料",
                "涉及个人隐私，公开会对信访人的合法权益造成损害",
                "《中华人民共和国政府信息公开条例》第十五条；《信访工作条例》第四十五条",
                "党政办公室",
            ),
        ),
        "withheld_later": (
            "低保对象家庭收入、财产核对明细",
            "涉及个人隐私",
            "《中华人民共和国政府信息公开条例》第十五条；《社会救助暂行办法》第六十四条",
            "社会事务办公室",
        ),
    },
    "district": {
        "on_request": (
            ("区政府常务会议纪要中已经作出的决定事项", "会议决定的事项（过程性讨论除外）", ""),
            ("重大建设项目批准文件", "项目批准文号、建设规模和总投资", ""),
        ),
        "on_request_later": ("政府投资项目审计结果", "审计发现的问题和整改情况", ""),
        "withheld": (
            (
                "区政府常务会议讨论记录",
                "属于内部讨论记录，是行政机关在履行职责过程中形成的过程性信息",
                "《中华人民共和国政府信息公开条例》第十六条第二款",
                "",
            ),
        ),
        "withheld_later": (
            "涉密的防汛抗旱物资储备点位",
            "依法确定为国家秘密",
            "《中华人民共和国政府信息公开条例》第十四条；《中华人民共和国保守国家秘密法》第十三条",
            "",
        ),
    },
}


def _lists(ctx) -> None:
    """三项清单 for 甘河滩镇 and the district, each with two published revisions."""
    for key, publisher, maintainer in (
        ("ganhetan", ctx.office_head, ctx.clerk),
        ("district", ctx.district_admin, ctx.district_clerk),
    ):
        org = getattr(ctx, key)
        spec = LISTS[key]
        units = {u.name: u for u in org.units.all()}

        def entry(
            kind,
            name,
            content="",
            reason="",
            basis="",
            unit="",
            org=org,
            units=units,
            by=maintainer,
        ):
            lists.list_entry_save(
                organization=org,
                acting_user=by,
                entry=None,
                kind=kind,
                data={
                    "name": name,
                    "content": content,
                    "reason": reason,
                    "basis": basis,
                    "unit": units.get(unit),
                },
            )

        for name, content, unit in spec["on_request"]:
            entry(ListKind.ON_REQUEST, name, content, unit=unit)
        for name, reason, basis, unit in spec["withheld"]:
            entry(ListKind.WITHHELD, name, reason=reason, basis=basis, unit=unit)
        first = ctx.now - dt.timedelta(days=90)
        for kind in ListKind.values:
            lists.list_publish(
                organization=org, kind=kind, acting_user=publisher, note="首次发布", now=first
            )
        name, content, unit = spec["on_request_later"]
        entry(ListKind.ON_REQUEST, name, content, unit=unit)
        name, reason, basis, unit = spec["withheld_later"]
        entry(ListKind.WITHHELD, name, reason=reason, basis=basis, unit=unit)
        code, limit = (
            ("A03", "区人民代表大会审议通过后20个工作日内")
            if key == "district"
            else (
                "C03",
                "每年3月31日前公开上一年度流转情况",
            )
        )
        services.category_save(
            organization=org,
            acting_user=maintainer,
            category=Category.objects.get(organization=org, code=code),
            data={"time_limit": limit},
        )
        second = ctx.now - dt.timedelta(days=20)
        for kind, note in (
            (ListKind.PROACTIVE, "依公开目录更新公开时限"),
            (ListKind.ON_REQUEST, "新增一项依申请公开事项"),
            (ListKind.WITHHELD, "新增一项不予公开事项并写明依据"),
        ):
            lists.list_publish(
                organization=org, kind=kind, acting_user=publisher, note=note, now=second
            )


FEES = {
    "district": (
        (
            "不动产登记费",
            "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）",
            "住宅类每件80元；非住宅类每件550元",
            "国家发展改革委、财政部",
            "河湾区不动产登记中心",
            "小微企业、个体工商户免收",
        ),
        (
            "土地复垦费",
            "《土地复垦条例》第十八条",
            "按省定标准，每平方米4至8元",
            "省人民政府",
            "河湾区自然资源局",
            "",
        ),
    ),
    "minzheng": (
        (
            "殡葬基本服务费（遗体接运、存放、火化）",
            "《殡葬管理条例》；省发展改革委殡葬服务收费管理办法",
            "遗体接运每具200元，存放每日30元，火化每具500元",
            "省发展改革委",
            "河湾区殡仪馆",
            "城乡低保、特困人员免除基本殡葬服务费",
        ),
    ),
}

PROPOSALS = {
    "district": (
        (
            2025,
            ProposalReply.Kind.NPC,
            "第12号",
            "关于加快农村公路提档升级的建议",
            ProposalReply.Outcome.PLANNED,
            dt.date(2025, 6, 18),
            "已将甘河滩镇至柳林镇公路改造列入2026年计划，资金由区级交通专项安排。",
        ),
        (
            2025,
            ProposalReply.Kind.CPPCC,
            "第35号",
            "关于推进政务公开向村级延伸的提案",
            ProposalReply.Outcome.ADOPTED,
            dt.date(2025, 6, 25),
            "已在各镇便民服务中心设置政务公开专区，村级公开栏统一规范。",
        ),
    ),
    "minzheng": (
        (
            2025,
            ProposalReply.Kind.NPC,
            "第27号",
            "关于提高农村特困人员供养标准的建议",
            ProposalReply.Outcome.ADOPTED,
            dt.date(2025, 6, 20),
            "特困人员基本生活标准已按不低于低保标准1.3倍调整，自2025年7月1日执行。",
        ),
        (
            2025,
            ProposalReply.Kind.CPPCC,
            "第41号",
            "关于发展农村互助养老的提案",
            ProposalReply.Outcome.REFERENCE,
            dt.date(2025, 6, 27),
            "受场地和资金条件限制，先在两个村开展试点，其余留作今后工作参考。",
        ),
    ),
}


def _columns(ctx) -> None:
    """行政事业性收费 and 建议提案办理结果 of the district and the 民政局."""
    for key, clerk in (("district", ctx.district_clerk), ("minzheng", ctx.minzheng_clerk)):
        org = getattr(ctx, key)
        for order, (name, basis, standard, authority, collector, note) in enumerate(FEES[key], 1):
            columns.fee_item_save(
                organization=org,
                acting_user=clerk,
                fee=None,
                data={
                    "name": name,
                    "basis": basis,
                    "standard": standard,
                    "authority": authority,
                    "collector": collector,
                    "note": note,
                    "order": order,
                },
                now=ctx.now,
            )
        for year, kind, number, title, outcome, replied_on, summary in PROPOSALS[key]:
            columns.proposal_reply_save(
                organization=org,
                acting_user=clerk,
                reply=None,
                data={
                    "year": year,
                    "kind": kind,
                    "number": number,
                    "title": title,
                    "role": ProposalReply.Role.MAIN,
                    "outcome": outcome,
                    "replied_on": replied_on,
                    "summary": summary,
                },
                now=ctx.now,
            )
