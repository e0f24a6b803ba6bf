"""Demo data for proactive disclosure (written for the demo; every person is invented).

甘河滩镇: a year (2024) of published items — 预算/决算, 通知公告, 惠农补贴公示
with masked ID numbers, a policy still lacking its interpretation — with their
channels; a normative document with its interpretation in 2025 (the seed
annual report for 2024 shows no 规范性文件, and the reports demo publishes it); two 公示 whose period runs around
today; items waiting for the demo reviewer and approver; an overdue draft.
Catalogue seeded and guide generated for every body; YearlyFigures 2024 = 0.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gongkai.privacy import mask
from gongkai.privacy.sample import id_check_char

from . import services
from .models import Category, Item, NormativeDocument, Publication

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


def _subsidy_body() -> str:
    lines = [
        "根据《河湾区2024年耕地地力保护补贴实施方案》，经村组申报、村委会审核、镇农业农村办公室复核，"
        "现将甘河滩镇2024年耕地地力保护补贴发放情况予以公示。",
        "补贴标准：每亩125元。",
        "序号\t姓名\t身份证号\t村组\t补贴面积（亩）\t补贴金额（元）",
    ]
    for n, (name, district, birth, serial, village, area, amount) in enumerate(SUBSIDY_ROWS, 1):
        lines.append(
            f"{n}\t{name}\t{_id_number(district, birth, serial)}\t{village}\t{area}\t{amount}"
        )
    lines.append("公示期内如有异议，请向镇农业农村办公室反映，联系电话：0999-86230015。")
    # The published version carries masked ID numbers (条例第十五条: personal privacy).
    return mask("\n".join(lines))


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
            recorded_by=ctx.clerk,
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
            "body": "一、部门职责及机构设置\n二、2024年收支总预算情况\n"
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
    _history(
        ctx,
        org,
        cats,
        {
            "title": "《甘河滩镇农村人居环境整治村庄保洁管理办法》政策解读",
            "body": "一、制定背景\n二、主要内容：明确保洁责任、经费保障和考核办法。\n"
            "三、群众关心的问题：保洁费用由镇村两级承担，不向农户收取。",
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
            "body": mask(
                "经入户调查、民主评议，现将第三季度城乡低保对象予以公示。\n"
                f"1\t赵小军\t{_id_number('612526', '19851017', '035')}\t甘河滩村二组\t2人\n"
                f"2\t孙凤英\t{_id_number('612526', '19490408', '026')}\t柳树湾村一组\t1人"
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

    for title, category, article, days in (
        (f"{today.year}年第四季度城乡居民最低生活保障拟保对象公示", "C08", "a21_08", 7),
        ("农村危房改造拟补助对象公示", "B09", "a20_11", 5),
    ):
        item = publish(
            create(
                title=title,
                body="经农户申请、村级评议、镇级审核，现将拟补助（拟保）对象予以公示。"
                "名单中身份证号码已隐去中间位数。公示期内如有异议，请向镇社会事务办公室反映。",
                formed_on=today - dt.timedelta(days=3),
                kind=K.LIST,
                category=cats[category],
                article_item=article,
                unit=ctx.units["社会事务办公室"],
                notice_from=today - dt.timedelta(days=2),
                notice_to=today + dt.timedelta(days=days - 3),
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
    cats = {c.code: c for c in Category.objects.filter(organization=ctx.ganhetan)}
    _ganhetan_history(ctx, cats)
    _ganhetan_current(ctx, cats)
    _other_bodies(ctx)
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
