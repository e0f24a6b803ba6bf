"""Demo applications.

甘河滩镇 received NO applications in 2024 (its published 2024 report has an
all-zero table 3 and must stay so); it gets 2025 and 2026 applications in
various states.  柳林镇 and 河湾区民政局 get 2024 applications with outcomes
(one carried into 2025) so the district's 2024 report has numbers.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongkai.organizations.demo import rules_docx
from gongkai.workcal.selectors import calendar

from . import delivery, services


def _receive(
    now,
    org,
    user,
    on,
    *,
    name,
    description,
    applicant_type="natural",
    channel="in_person",
    phone="13800000000",
    **kw,
):
    extra = {}
    if channel == "registered_mail":
        extra["signed_for_on"] = on
    elif channel != "in_person":
        extra["confirmed_on"] = on
    return services.application_receive(
        organization=org,
        channel=channel,
        applicant_type=applicant_type,
        applicant_name=name,
        id_number=kw.pop("id_number", ""),
        phone=phone,
        email=kw.pop("email", ""),
        address=kw.pop("address", "河湾区"),
        description=description,
        form_wanted=kw.pop("form_wanted", "paper"),
        delivery=kw.pop("delivery", "mail"),
        submitted_on=on,
        acting_user=user,
        now=now,
        **extra,
        **kw,
    )


def _close(now, app, user, outcome, on, reasons=""):
    services.application_close(
        application=app, outcome=outcome, reply_on=on, acting_user=user, reasons=reasons, now=now
    )


def _past(ctx) -> tuple[int, int]:
    """The two demo years for 甘河滩: last year and this year (never 2024)."""
    this = max(ctx.today.year, 2026)
    return this - 1, this


def load(ctx) -> None:
    cal = calendar()
    _liulin_2024(ctx)
    _minzheng_2024(ctx)
    _ganhetan(ctx, cal)
    _intake(ctx, cal)
    # This morning's reminder run, as the daily job makes it: the clerks find
    # their 即将到期/已超期 notices in the back office.
    sent = services.reminders_send(today=ctx.today)
    ctx.log(f"依申请公开：今日办理期限提醒 {len(sent)} 条。")


def _liulin_2024(ctx) -> None:
    org, user = ctx.liulin, ctx.liulin_clerk
    a = _receive(
        ctx.now,
        org,
        user,
        date(2024, 3, 11),
        name="王小红",
        description="柳林镇2023年度城乡居民最低生活保障资金发放情况",
    )
    _close(ctx.now, a, user, "granted", date(2024, 3, 28))
    a = _receive(
        ctx.now,
        org,
        user,
        date(2024, 5, 20),
        name="河湾绿源农业有限公司",
        applicant_type="commercial",
        description="柳林镇2024年高标准农田建设项目招标文件及中标结果",
    )
    services.application_consult(
        application=a,
        kind="third_party_consulted",
        on=date(2024, 5, 27),
        party="河湾建工集团有限公司",
        acting_user=user,
        now=ctx.now,
    )
    services.application_record_consultation_answer(
        application=a,
        on=date(2024, 6, 5),
        acting_user=user,
        note="第三方不同意公开其报价明细",
        now=ctx.now,
    )
    _close(
        ctx.now,
        a,
        user,
        "partial",
        date(2024, 6, 20),
        "报价明细涉及第三方商业秘密，依条例第十五条不予公开，其余部分予以公开。",
    )
    a = _receive(
        ctx.now,
        org,
        user,
        date(2024, 8, 5),
        name="刘建军",
        description="柳林镇某村2019年土地征收补偿明细",
        channel="registered_mail",
    )
    _close(
        ctx.now,
        a,
        user,
        "unable_not_held",
        date(2024, 8, 23),
        "经查，该事项由区自然资源局负责，本机关不掌握。",
    )
    a = _receive(
        ctx.now,
        org,
        user,
        date(2024, 9, 2),
        name="刘建军",
        description="柳林镇某村2019年土地征收补偿明细",
        channel="registered_mail",
    )
    _close(
        ctx.now,
        a,
        user,
        "declined_repeat",
        date(2024, 9, 12),
        "与2024年8月5日的申请内容相同，已经答复。",
    )
    a = _receive(
        ctx.now,
        org,
        user,
        date(2024, 10, 14),
        name="陈律师事务所",
        applicant_type="legal_service",
        description="柳林镇综合行政执法队2024年行政处罚案卷（编号LL2024-031）",
        channel="email",
    )
    _close(
        ctx.now,
        a,
        user,
        "withheld_enforcement",
        date(2024, 11, 5),
        "该案卷属于行政执法案卷信息，依条例第十六条第二款可以不予公开。",
    )
    # Received in December 2024 and answered in January 2025: carried over.
    a = _receive(
        ctx.now,
        org,
        user,
        date(2024, 12, 23),
        name="赵晓明",
        description="柳林镇2024年农村公路养护资金使用情况",
    )
    _close(ctx.now, a, user, "granted", date(2025, 1, 10))


def _minzheng_2024(ctx) -> None:
    org, user = ctx.minzheng, ctx.minzheng_clerk
    a = _receive(
        ctx.now,
        org,
        user,
        date(2024, 4, 8),
        name="孙丽",
        description="河湾区2023年临时救助资金发放明细",
    )
    _close(ctx.now, a, user, "granted", date(2024, 4, 26))
    a = _receive(
        ctx.now,
        org,
        user,
        date(2024, 6, 17),
        name="河湾区养老服务研究中心",
        applicant_type="research",
        description="河湾区养老机构床位数及入住率统计（2021-2023年）",
        channel="online",
    )
    _close(
        ctx.now,
        a,
        user,
        "unable_needs_creation",
        date(2024, 7, 10),
        "该统计需另行汇总制作，依条例第三十八条不予提供。",
    )
    a = _receive(
        ctx.now, org, user, date(2024, 7, 1), name="周某", description="本人母亲的低保审批材料"
    )
    _close(
        ctx.now, a, user, "withheld_third_party", date(2024, 7, 22), "涉及其他家庭成员个人隐私。"
    )
    a = _receive(
        ctx.now,
        org,
        user,
        date(2024, 9, 9),
        name="李某",
        description="要求民政局确认本人婚姻登记档案真实性",
        channel="ordinary_mail",
    )
    _close(
        ctx.now,
        a,
        user,
        "declined_confirmation",
        date(2024, 9, 20),
        "要求确认档案真实性不属于获取政府信息，依条例第三十九条不作为政府信息公开申请处理。",
    )


def _ganhetan(ctx, cal) -> None:
    org, user, head = ctx.ganhetan, ctx.clerk, ctx.office_head
    last, this = _past(ctx)
    unit = ctx.units.get("社会事务办公室")
    # Last year: closed with various outcomes.
    a = _receive(
        ctx.now,
        org,
        user,
        date(last, 3, 12),
        name="马文",
        description="甘河滩镇农村危房改造补助对象名单及补助标准",
        unit=unit,
    )
    _close(ctx.now, a, user, "granted", date(last, 4, 2))
    a = _receive(
        ctx.now,
        org,
        user,
        date(last, 6, 9),
        name="甘河滩红星商贸有限公司",
        applicant_type="commercial",
        description="甘河滩镇集贸市场改造项目合同",
        channel="registered_mail",
    )
    extension = services.application_extension_request(
        application=a,
        days=10,
        reason="需调取合同档案并征询项目单位",
        on=date(last, 6, 26),
        acting_user=user,
        now=ctx.now,
    )
    services.application_extension_decide(
        extension_request=extension,
        approve=True,
        on=date(last, 6, 27),
        acting_user=head,
        now=ctx.now,
    )
    _close(ctx.now, a, user, "partial", date(last, 7, 18), "合同中的银行账户信息已作区分处理。")
    a = _receive(
        ctx.now,
        org,
        user,
        date(last, 9, 15),
        name="韩某",
        description="信访事项处理进展",
        channel="online",
    )
    _close(
        ctx.now, a, user, "declined_petition", date(last, 9, 22), "属于信访事项，已转信访渠道办理。"
    )
    a = _receive(
        ctx.now,
        org,
        user,
        date(last, 11, 3),
        name="杨某",
        description="想了解一下镇里的事",
        channel="email",
    )
    services.application_request_correction(
        application=a,
        on=date(last, 11, 5),
        until=date(last, 11, 20),
        what="请写明所需信息的名称、文号或具体内容。",
        acting_user=user,
        now=ctx.now,
    )
    _close(ctx.now, a, user, "other_no_correction", date(last, 11, 28))

    # This year: open applications in different states, relative to today
    # (each received on a working day).
    today = ctx.today

    def ago(days: int) -> date:
        day = today - timedelta(days=days)
        while not cal.is_workday(day):
            day -= timedelta(days=1)
        return day

    start = ago(10)
    a = _receive(
        ctx.now,
        org,
        user,
        start,
        name="马文",
        description="甘河滩镇2026年农村危房改造补助对象名单及补助标准",
        unit=unit,
    )
    # Waiting for the 公开办负责人 (条例第三十三条第二款): shown on their dashboard.
    services.application_extension_request(
        application=a,
        days=15,
        reason="需汇总社会事务办公室和各村的材料",
        on=today,
        acting_user=user,
        now=ctx.now,
    )
    a = _receive(
        ctx.now,
        org,
        user,
        ago(12),
        name="高某",
        applicant_type="natural",
        description="甘河滩镇农村危房改造补助对象名单和补助标准（本年度）",
        channel="online",
    )
    a = _receive(
        ctx.now,
        org,
        user,
        ago(40),
        name="甘河滩镇老年协会",
        applicant_type="public_interest",
        description="镇敬老院运营经费收支情况",
        unit=unit,
    )  # overdue: nobody acted
    a = _receive(ctx.now, org, user, ago(5), name="吴某", description="关于修路的事", channel="fax")
    services.application_request_correction(
        application=a,
        on=min(cal.add_workdays(a.received_on, 1).as_date(), today),
        until=cal.add_workdays(a.received_on, 15).as_date(),
        what="请说明是哪条道路、哪一年度的什么信息。",
        acting_user=user,
        now=ctx.now,
    )
    a = _receive(
        ctx.now,
        org,
        user,
        ago(14),
        name="甘河滩砂石有限公司",
        applicant_type="commercial",
        description="镇域河道采砂许可及相关企业名单",
        channel="registered_mail",
    )
    services.application_consult(
        application=a,
        kind="third_party_consulted",
        on=min(cal.add_workdays(a.received_on, 2).as_date(), today),
        party="甘河滩第二砂石厂",
        acting_user=user,
        now=ctx.now,
    )
    a = _receive(
        ctx.now, org, user, date(this, 2, 2), name="许某", description="2025年镇财政预算执行情况"
    )
    _close(ctx.now, a, user, "granted", date(this, 2, 27))


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _workdays_back(cal, today: date, n: int) -> date:
    """The working day ``n`` working days before ``today`` (the demo's steps
    happen on working days, as an office's would)."""
    day = today
    while n:
        day -= timedelta(days=1)
        if cal.is_workday(day):
            n -= 1
    return day


def _intake(ctx, cal) -> None:
    """统一受理 opened by the district (条例第三十一条: the day of receipt is the
    platform's): one application waiting in the queue, one dispatched and not yet
    signed for, one signed and in progress, one answered with the released
    document and its service recorded.  No 甘河滩镇 application (its 2024 table 3
    stays the seed's; and these are this year's)."""
    district, today = ctx.district, ctx.today
    intake = services.intake_settings_save(
        organization=district,
        is_active=True,
        clock_start="platform",
        dispatch_days=None,
        intro="向区人民政府及其部门、各镇人民政府申请政府信息公开，可通过本平台统一提交，"
        "由区政务公开办公室分送承办机关答复。",
        acting_user=ctx.district_admin,
        now=_at(_workdays_back(cal, today, 40)),
    )
    clerk = ctx.district_clerk

    def receive(on: date, name: str, description: str, requested=None, **kw):
        return services.application_receive_unified(
            intake=intake,
            requested_organization=requested,
            channel="online",
            applicant_type="natural",
            applicant_name=name,
            id_number="",
            phone=kw.pop("phone", "13800000000"),
            email="",
            address="河湾区",
            description=description,
            form_wanted="electronic",
            delivery=kw.pop("delivery", "mail"),
            submitted_on=on,
            confirmed_on=on,
            acting_user=clerk,
            now=_at(on),
        )

    # Answered: received, dispatched to the 民政局, signed, answered, document released.
    on = _workdays_back(cal, today, 25)
    a = receive(on, "黄志勇", "河湾区2025年临时救助资金发放总额及救助人次", ctx.minzheng)
    day = _workdays_back(cal, today, 24)
    a = services.application_dispatch(
        application=a, to_organization=ctx.minzheng, acting_user=clerk, now=_at(day)
    )
    a = services.application_sign(application=a, acting_user=ctx.minzheng_clerk, now=_at(day))
    answered_on = _workdays_back(cal, today, 12)
    delivery.released_document_add(
        application=a,
        files=[
            SimpleUploadedFile(
                "linshijiuzhu-2025.docx",
                rules_docx(
                    "河湾区2025年临时救助资金发放情况",
                    "河湾区民政局",
                    ["2025年全区临时救助1,126人次，发放救助资金186.4万元。"],
                ),
                content_type="application/vnd.openxmlformats-officedocument."
                "wordprocessingml.document",
            )
        ],
        acting_user=ctx.minzheng_clerk,
        now=_at(answered_on),
    )
    _close(_at(answered_on), a, ctx.minzheng_clerk, "granted", answered_on)
    delivery.delivery_record_service(
        application=a,
        method="mail",
        served_on=_workdays_back(cal, today, 9),
        note="挂号信，申请人签收",
        acting_user=ctx.minzheng_clerk,
        now=_at(_workdays_back(cal, today, 9)),
    )
    # Signed by the 民政局 and in progress.
    on = _workdays_back(cal, today, 6)
    a = receive(on, "林素芬", "河湾区养老机构2026年运营补贴发放名单（机构名称及金额）")
    day = _workdays_back(cal, today, 5)
    a = services.application_dispatch(
        application=a, to_organization=ctx.minzheng, acting_user=clerk, now=_at(day)
    )
    services.application_sign(
        application=a, acting_user=ctx.minzheng_clerk, now=_at(_workdays_back(cal, today, 4))
    )
    # Dispatched to 柳林镇, not yet signed for.
    on = _workdays_back(cal, today, 2)
    a = receive(on, "周建新", "柳林镇2026年高标准农田建设项目验收报告", ctx.liulin)
    services.application_dispatch(
        application=a,
        to_organization=ctx.liulin,
        acting_user=clerk,
        now=_at(_workdays_back(cal, today, 1)),
    )
    # Received today, waiting in the district's queue.
    receive(today, "吴晓东", "河湾区2026年农村公路建设项目清单及资金安排")
