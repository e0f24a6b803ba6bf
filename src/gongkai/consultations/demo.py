"""Demo 意见征集 of 甘河滩镇: one ended, with its 采纳情况 linked to the final
document (the 村庄保洁管理办法 published on 11 April 2025 by the disclosure demo),
one major decision open around the demo's today, with comments waiting; and
河湾区人民政府's own ended consultation on its 入市管理办法, 采纳情况 published."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gongkai.disclosure.models import Item

from .services import (
    Draft,
    comment_decide,
    comment_moderate,
    comment_record,
    comment_submit,
    consultation_approve,
    consultation_create,
    consultation_publish_feedback,
    consultation_submit,
)

MAIL = "999131 河湾区甘河滩镇人民路1号 甘河滩镇人民政府党政办公室（信封上请注明“意见征集”）"
EMAIL = "gongkai@ganhetan.example.gov.cn"
FAX = "0999-86230001"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _publish(ctx, draft: Draft, drafted_on: dt.date, *, org=None, clerk=None, approver=None):
    org, clerk, approver = org or ctx.ganhetan, clerk or ctx.clerk, approver or ctx.approver
    c = consultation_create(organization=org, acting_user=clerk, draft=draft, now=_at(drafted_on))
    consultation_submit(consultation=c, acting_user=clerk, now=_at(drafted_on, 15))
    # Published the morning its period starts: never a period before publication.
    return consultation_approve(consultation=c, acting_user=approver, now=_at(draft.start_on, 9))


def _ended(ctx) -> None:
    final = Item.objects.filter(
        organization=ctx.ganhetan, document_number="甘政规〔2025〕1号", status="published"
    ).first()
    if final is None:  # the disclosure demo did not run: nothing to link
        return
    c = _publish(
        ctx,
        Draft(
            title="甘河滩镇农村人居环境整治村庄保洁管理办法（征求意见稿）",
            body="第一条 为巩固农村人居环境整治成果，建立村庄保洁长效机制，制定本办法。\n"
            "第二条 本办法适用于本镇行政区域内各行政村的村庄保洁工作。\n"
            "第三条 村庄保洁实行“户分类、村收集、镇转运”的工作机制。\n"
            "第四条 各行政村按每三百户不少于一名的标准配备保洁员。\n"
            "第五条 村庄保洁经费由镇、村两级承担，可以向农户收取适当的卫生费。\n"
            "第六条 镇人民政府每季度对各村保洁工作进行考核。\n"
            "第十五条 本办法自印发之日起施行，有效期五年。",
            body_format="plain",
            explanation="一、起草背景：2024年全镇完成农村人居环境整治三年行动，村庄保洁缺少长效机制。\n"
            "二、起草依据：《中华人民共和国固体废物污染环境防治法》和县农村人居环境整治工作部署。\n"
            "三、主要内容：明确保洁责任、人员配备、经费保障和考核办法。\n"
            "四、需要说明的问题：第五条关于卫生费的规定是否保留，请重点提出意见。",
            is_major=False,
            start_on=dt.date(2025, 2, 12),
            end_on=dt.date(2025, 3, 14),
            mail_address=MAIL,
            email=EMAIL,
            fax=FAX,
            meeting="2025年3月5日上午9:30在镇政府三楼会议室召开村民代表座谈会，"
            "各村推荐代表2名，请于3月3日前向镇党政办公室报名。",
        ),
        drafted_on=dt.date(2025, 2, 7),
    )
    clerk = ctx.clerk
    online = [
        (
            dt.date(2025, 2, 14),
            "建议删除第五条中向农户收取卫生费的内容，保洁经费由财政保障，减轻群众负担。",
            "王德福",
            "13900001111",
        ),
        (
            dt.date(2025, 2, 20),
            "第四条按户数配备保洁员，山区村居住分散，建议按村庄面积和自然村数量综合确定。",
            "",
            "",
        ),
        (dt.date(2025, 2, 26), "建议每季度考核结果在村务公开栏公布，接受村民监督。", "李秀兰", ""),
        (dt.date(2025, 3, 2), "优价回收旧家电，上门服务，详询微信。", "", ""),
        (dt.date(2025, 3, 10), "建议把保洁员工资标准写进办法，防止拖欠。", "", "zhang@example.com"),
    ]
    comments = [
        comment_submit(
            consultation=c,
            content=text,
            name=name,
            contact=contact,
            consented=True,
            now=_at(day, 20),
        )
        for day, text, name, contact in online
    ]
    comments.append(
        comment_record(
            consultation=c,
            channel="meeting",
            content="座谈会上东湾村、河口村代表提出：垃圾转运车每周只来两次，夏季气味大，建议增加转运频次。",
            received_on=dt.date(2025, 3, 5),
            name="东湾村、河口村村民代表",
            acting_user=clerk,
            now=_at(dt.date(2025, 3, 5), 16),
        )
    )
    comments.append(
        comment_record(
            consultation=c,
            channel="mail",
            content="建议对主动分类的农户给予积分奖励。",
            received_on=dt.date(2025, 3, 12),
            name="赵某",
            contact="甘河滩镇西村三组",
            acting_user=clerk,
            now=_at(dt.date(2025, 3, 14), 11),
        )
    )
    fee, scattered, publish_results, spam, wages, transport, points = comments
    for x in (fee, scattered, publish_results, wages, transport, points):
        comment_moderate(
            comment=x, accept=True, acting_user=clerk, now=_at(dt.date(2025, 3, 14), 15)
        )
    comment_moderate(
        comment=spam,
        accept=False,
        reason="广告信息，与征求意见内容无关",
        acting_user=clerk,
        now=_at(dt.date(2025, 3, 14), 15),
    )
    later = _at(dt.date(2025, 3, 20), 10)
    for comment, decision, reason, summary in (
        (fee, "adopted", "", "删除向农户收取卫生费的规定，保洁经费由财政保障"),
        (scattered, "adopted", "", "山区村保洁员按村庄面积和自然村数量综合配备"),
        (
            publish_results,
            "partly",
            "考核结果在村务公开栏公布；涉及保洁员个人的扣分情况不对外公布。",
            "考核结果在村务公开栏公布",
        ),
        (
            wages,
            "not_adopted",
            "保洁员工资按县人社部门每年公布的标准执行，写入办法后不便随标准调整；"
            "办法第十条已规定按月足额发放。",
            "在办法中规定保洁员工资标准",
        ),
        (
            transport,
            "partly",
            "夏季（6月至9月）转运频次增加到每周三次，其他季节维持每周两次。",
            "增加垃圾转运频次",
        ),
        (
            points,
            "not_adopted",
            "积分奖励涉及资金来源，拟在明年村规民约修订时统筹研究。",
            "对主动分类的农户给予积分奖励",
        ),
    ):
        comment_decide(
            comment=comment,
            decision=decision,
            reason=reason,
            summary=summary,
            acting_user=clerk,
            now=later,
        )
    consultation_publish_feedback(
        consultation=c,
        final_item=final,
        summary="本次征求意见共收到有效意见建议6条，经镇党委会研究，已据此修改办法第四条、第五条、第六条和第九条，"
        "修改后的办法已于2025年4月10日印发。",
        acting_user=clerk,
        now=_at(dt.date(2025, 4, 11), 16),
    )


def _open(ctx) -> None:
    start = ctx.today - dt.timedelta(days=9)
    c = _publish(
        ctx,
        Draft(
            title="甘河滩镇集镇区域控制性详细规划（草案）",
            body="一、规划范围：集镇建成区及东侧拓展区，面积约2.6平方千米。\n"
            "二、功能布局：形成“一心两轴三片区”的空间结构。\n"
            "三、道路交通：新建集镇外环路，增设公共停车场两处。\n"
            "四、公共服务设施：规划中心幼儿园一处、农贸市场一处、公园绿地三处。",
            body_format="plain",
            explanation="集镇现行规划已实施十年，人口和用地情况变化较大。本规划属于重大行政决策，"
            "依照《重大行政决策程序暂行条例》第十五条公开征求意见，期限30日。规划图纸见附件说明。",
            is_major=True,
            start_on=start,
            end_on=start + dt.timedelta(days=30),
            mail_address=MAIL,
            email=EMAIL,
            meeting=f"{(start + dt.timedelta(days=20)):%Y年%m月%d日}下午在镇政府三楼会议室举行听证会，"
            "报名方式见镇政府公告栏。",
        ),
        drafted_on=start - dt.timedelta(days=3),
    )
    for offset, text in (
        (1, "建议外环路避开东湾村基本农田。"),
        (3, "公共停车场建议靠近农贸市场，方便赶集群众停车。"),
        (6, "希望幼儿园尽快建设，孩子上学要到县城。"),
    ):
        comment_submit(
            consultation=c,
            content=text,
            consented=True,
            now=_at(start + dt.timedelta(days=offset), 21),
        )
    first = c.comments.order_by("pk").first()
    comment_moderate(
        comment=first,
        accept=True,
        acting_user=ctx.clerk,
        now=_at(start + dt.timedelta(days=2), 9),
    )


def _district(ctx) -> None:
    """河湾区人民政府's own ended consultation, its 采纳情况 linked to 河政规〔2024〕1号."""
    final = Item.objects.filter(
        organization=ctx.district, document_number="河政规〔2024〕1号", status="published"
    ).first()
    if final is None:  # the disclosure demo did not run: nothing to link
        return
    clerk = ctx.district_clerk
    c = _publish(
        ctx,
        Draft(
            title="河湾区农村集体经营性建设用地入市管理办法（征求意见稿）",
            body="第一条 为规范农村集体经营性建设用地入市行为，保障农村集体经济组织和农民合法权益，"
            "制定本办法。\n"
            "第三条 入市应当经本集体经济组织成员的村民会议三分之二以上成员同意。\n"
            "第十二条 土地增值收益调节金按成交价款的20%征收。",
            body_format="plain",
            explanation="一、起草背景：土地管理法修改后，集体经营性建设用地可以依法入市，"
            "本区需要明确入市程序和收益分配。\n"
            "二、主要内容：入市主体、入市程序、收益分配和监督管理。",
            is_major=False,
            start_on=dt.date(2024, 3, 11),
            end_on=dt.date(2024, 4, 10),
            mail_address="999100 河湾区滨河路88号 河湾区人民政府办公室（信封上请注明“意见征集”）",
            email="gongkai@hewan.example.gov.cn",
            fax="0999-86120001",
        ),
        drafted_on=dt.date(2024, 3, 6),
        org=ctx.district,
        clerk=clerk,
        approver=ctx.district_approver,
    )
    online = [
        (
            dt.date(2024, 3, 15),
            "第三条只写了村民会议，建议同时允许三分之二以上村民代表同意，便于外出务工多的村操作。",
        ),
        (dt.date(2024, 3, 28), "调节金一律按20%征收不合理，建议按土地用途和区位分档。"),
        (dt.date(2024, 4, 8), "建议规定入市收益中分配给农户的比例。"),
    ]
    comments = [
        comment_submit(consultation=c, content=text, consented=True, now=_at(day, 20))
        for day, text in online
    ]
    for comment in comments:
        comment_moderate(
            comment=comment, accept=True, acting_user=clerk, now=_at(dt.date(2024, 4, 11), 9)
        )
    later = _at(dt.date(2024, 4, 18), 10)
    representatives, tiers, share = comments
    for comment, decision, reason, summary in (
        (representatives, "adopted", "", "允许经三分之二以上村民代表同意入市"),
        (
            tiers,
            "partly",
            "调节金按用途分为20%、25%、30%三档；区位因素由评估价格体现，不再另行分档。",
            "土地增值收益调节金按用途和区位分档",
        ),
        (
            share,
            "not_adopted",
            "收益分配属于集体经济组织自主决定的事项，办法只规定须经村民会议讨论决定并公开。",
            "规定入市收益分配给农户的比例",
        ),
    ):
        comment_decide(
            comment=comment,
            decision=decision,
            reason=reason,
            summary=summary,
            acting_user=clerk,
            now=later,
        )
    consultation_publish_feedback(
        consultation=c,
        final_item=final,
        summary="本次征求意见共收到意见建议3条，采纳1条、部分采纳1条、未采纳1条，"
        "已据此修改办法第三条和第十二条，修改后的办法已于2024年4月26日印发。",
        acting_user=clerk,
        now=_at(dt.date(2024, 4, 30), 16),
    )


def load(ctx) -> None:
    _ended(ctx)
    _open(ctx)
    _district(ctx)
