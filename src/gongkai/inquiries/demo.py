"""Demo inquiries: a year of 政民互动 for 甘河滩镇 (answered and published Q&A,
one not published for lack of consent, one 不予受理, one overdue and one fresh
open question), a little for 柳林镇, so the district's supervisor view has
figures, and answered questions of 河湾区人民政府 and 河湾区民政局 themselves.  Dates are counted back from the day the demo is loaded."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gongkai.workcal.selectors import calendar

from .services import (
    inquiry_answer,
    inquiry_publish,
    inquiry_reject,
    inquiry_route,
    inquiry_submit,
    inquiry_withhold,
)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 20)))


def _workday_back(today: dt.date, days: int) -> dt.date:
    """A working day about ``days`` calendar days before ``today``."""
    cal = calendar()
    day = today - dt.timedelta(days=days)
    while not cal.is_workday(day):
        day -= dt.timedelta(days=1)
    return day


def _ask(org, received: dt.date, **fields):
    return inquiry_submit(organization=org, now=_at(received, 9), **fields)


def _answer(inquiry, user, day: dt.date, text: str, *, unit=None, router=None):
    if unit is not None:
        inquiry = inquiry_route(
            inquiry=inquiry, unit=unit, acting_user=router or user, now=_at(inquiry.received_on, 11)
        )
    return inquiry_answer(inquiry=inquiry, answer=text, acting_user=user, now=_at(day, 15))


def load(ctx) -> None:
    today = ctx.today
    cal = calendar()
    town = ctx.ganhetan
    clerk = ctx.clerk
    units = ctx.units

    # 1. 咨询, routed to 社会事务办公室, answered on time, published with consent.
    received = _workday_back(today, 150)
    q = _ask(
        town,
        received,
        kind="consult",
        subject="家中老人如何申请高龄津贴？",
        content=(
            "我是甘河滩村村民马玉珍，父亲今年满八十周岁，请问高龄津贴需要准备哪些材料、"
            "到哪里办理？我的电话13909511234，身份证号640121197005120027。"
        ),
        asker_name="马玉珍",
        phone="13909511234",
        consent_publish=True,
    )
    q = _answer(
        q,
        clerk,
        cal.add_workdays(received, 3).as_date(),
        "您好！年满80周岁的本镇户籍老人可申请高龄津贴。请携带老人身份证、户口簿和本人银行卡，"
        "到镇便民服务中心社会事务窗口填写申请表，经村委会初审、镇政府审核后报区民政局审批，"
        "审批通过后次月起按月发放。咨询电话：0999-86131000。",
        unit=units["社会事务办公室"],
    )
    inquiry_publish(inquiry=q, acting_user=clerk, now=_at(q.answered_on, 16))

    # 2. 建议, routed to 经济发展办公室, answered on time, published.
    received = _workday_back(today, 110)
    q = _ask(
        town,
        received,
        kind="suggest",
        subject="建议在滩北路口增设路灯",
        content="滩北路口到学校一段晚上没有路灯，学生晚自习放学很不安全，建议增设路灯。",
        asker_name="杨立新",
        phone="15109517788",
        email="yanglixin@example.com",
        consent_publish=True,
    )
    q = _answer(
        q,
        clerk,
        cal.add_workdays(received, 6).as_date(),
        "感谢您的建议。经现场查看，滩北路口至镇中学路段确需照明，镇政府已将该路段12盏太阳能路灯"
        "列入今年村庄亮化工程，计划下月底前完成安装。",
        unit=units["经济发展办公室"],
    )
    inquiry_publish(inquiry=q, acting_user=clerk, now=_at(q.answered_on, 16))

    # 3. 投诉, answered after the reply period (counted as late), published.
    received = _workday_back(today, 80)
    q = _ask(
        town,
        received,
        kind="complain",
        subject="新庄村垃圾清运不及时",
        content="新庄村东头垃圾收集点近两周没有清运，气味很大，希望尽快处理。",
        asker_name="周海燕",
        phone="0999-86139911",
        consent_publish=True,
    )
    late = cal.add_workdays(q.due_on, 2).as_date()
    q = _answer(
        q,
        clerk,
        late,
        "经核实，因清运车辆检修，新庄村收集点清运中断，现已恢复每日清运，并对保洁公司进行了约谈。"
        "答复晚于期限，向您致歉。",
        unit=units["农业农村办公室"],
    )
    inquiry_publish(inquiry=q, acting_user=clerk, now=_at(q.answered_on, 16))

    # 4. 咨询 without consent: answered, recorded as not published.
    received = _workday_back(today, 60)
    q = _ask(
        town,
        received,
        kind="consult",
        subject="宅基地审批进度",
        content="本人上月提交的宅基地申请现在到哪一步了？",
        asker_name="丁国庆",
        phone="18709512345",
        consent_publish=False,
    )
    q = _answer(
        q,
        clerk,
        cal.add_workdays(received, 5).as_date(),
        "您的申请已经村民代表会议讨论通过，镇自然资源所已完成现场踏勘，正在报镇政府审批。",
    )
    inquiry_withhold(
        inquiry=q, acting_user=clerk, now=_at(q.answered_on, 16), comment="留言人未同意公开。"
    )

    # 5. 不予受理: advertising.
    received = _workday_back(today, 40)
    q = _ask(
        town,
        received,
        kind="suggest",
        subject="优惠贷款咨询",
        content="低息贷款当天到账，详情加微信了解。",
        asker_name="李先生",
        phone="13300000000",
    )
    inquiry_reject(
        inquiry=q,
        reason="留言为商业广告，与政务无关，不予受理。",
        acting_user=clerk,
        now=_at(received, 14),
    )

    # 6. Overdue: routed to 农业农村办公室, still unanswered past its due date.
    received = _workday_back(today, 30)
    q = _ask(
        town,
        received,
        kind="consult",
        subject="耕地地力保护补贴什么时候发放？",
        content="今年的耕地地力保护补贴还没有收到，请问什么时候发放？",
        asker_name="何永刚",
        phone="13995112468",
        consent_publish=True,
    )
    inquiry_route(
        inquiry=q, unit=units["农业农村办公室"], acting_user=ctx.office_head, now=_at(received, 11)
    )

    # 7. Received two working days ago: open, within the period.
    received = _workday_back(today, 2)
    _ask(
        town,
        received,
        kind="suggest",
        subject="建议延长便民服务中心周末服务时间",
        content="外出务工人员周末回家办事，希望便民服务中心周六上午也能办理业务。",
        asker_name="白雪",
        phone="15809516677",
        consent_publish=True,
    )

    # 柳林镇: one answered on time, one overdue, for the district's figures.
    liulin_clerk = ctx.liulin_clerk
    received = _workday_back(today, 90)
    q = _ask(
        ctx.liulin,
        received,
        kind="consult",
        subject="农村危房改造申请条件",
        content="请问农村危房改造需要什么条件？",
        asker_name="韩德明",
        phone="13709518899",
        consent_publish=True,
    )
    q = _answer(
        q,
        liulin_clerk,
        cal.add_workdays(received, 4).as_date(),
        "农村低保户、分散供养特困人员、低保边缘家庭等住房经鉴定为C级、D级危房的，可向村委会提出申请。",
    )
    inquiry_publish(inquiry=q, acting_user=liulin_clerk, now=_at(q.answered_on, 16))
    received = _workday_back(today, 45)
    _ask(
        ctx.liulin,
        received,
        kind="complain",
        subject="村道破损严重",
        content="柳林村到镇上的村道坑洼很多，雨天无法通行。",
        asker_name="钱秀梅",
        phone="13809517766",
        consent_publish=False,
    )

    # 河湾区人民政府 and 河湾区民政局: their own questions, answered and published.
    for org, user, days, kind, subject, content, name, phone, answer in (
        (
            ctx.district,
            ctx.district_clerk,
            120,
            "consult",
            "区政府信息公开申请可以网上提交吗？",
            "想了解区里去年的重大建设项目安排，请问申请政府信息公开能不能在网上提交？",
            "田志华",
            "13609514455",
            "可以。请在本网站“依申请公开”栏目在线填写申请，也可以到区政府大楼3楼302室当面提交"
            "或者邮寄。区政府年度重大建设项目计划已主动公开，可在“法定主动公开内容—重大建设项目”中查阅。",
        ),
        (
            ctx.district,
            ctx.district_clerk,
            70,
            "suggest",
            "建议在滨河公园增设公共厕所",
            "滨河公园早晚散步的人很多，公园北段没有厕所，建议增设一座。",
            "罗淑芬",
            "15009513322",
            "感谢您的建议。区城市管理局已完成选址，滨河公园北段新建公共厕所一座，已列入明年城建计划。",
        ),
        (
            ctx.minzheng,
            ctx.minzheng_clerk,
            100,
            "consult",
            "低保申请需要多长时间审批？",
            "我母亲刚做完手术，家里困难，想申请低保，请问从申请到审批需要多长时间？",
            "石建军",
            "18209517733",
            "低保申请由户籍所在地镇人民政府受理，自受理之日起30日内完成审核确认；"
            "情况紧急的可以先申请临时救助。请携带身份证、户口簿和病历资料到镇便民服务中心办理。",
        ),
    ):
        received = _workday_back(today, days)
        q = _ask(
            org,
            received,
            kind=kind,
            subject=subject,
            content=content,
            asker_name=name,
            phone=phone,
            consent_publish=True,
        )
        q = _answer(q, user, cal.add_workdays(received, 4).as_date(), answer)
        inquiry_publish(inquiry=q, acting_user=user, now=_at(q.answered_on, 16))
    ctx.log("已创建政民互动留言：甘河滩镇7条、柳林镇2条、区政府2条、区民政局1条。")
