"""The events that produce messages: one table of truth.

Each :class:`Event` has its key (``<noun>.<fact>``), a Chinese label, who hears
of it (the applicant or asker, the body's staff, or both), the group a staff
member switches on or off in their preferences, the placeholders its templates
may use, and the default wording per channel.  A body rewords any of them in
the back office (``NotificationTemplate``); the wording is checked against the
event's placeholders on save, like the letter templates
(:mod:`gongkai.core.placeholders`).

Pure: no Django import.
"""

from __future__ import annotations

from dataclasses import dataclass

APPLICANT = "applicant"  # the applicant, asker or commenter (a Person)
STAFF = "staff"  # back-office users of the body

EMAIL = "email"
SMS = "sms"
INAPP = "inapp"
CHANNELS: dict[str, str] = {EMAIL: "电子邮件", SMS: "短信", INAPP: "站内通知"}
# In-app notices exist only for back-office users.
APPLICANT_CHANNELS = (EMAIL, SMS)
STAFF_CHANNELS = (INAPP, EMAIL, SMS)

# Preference groups: a staff member turns a channel on or off per group.
GROUPS: dict[str, str] = {
    "cases": "申请办理",
    "deadlines": "期限提醒",
    "urging": "督办",
    "interaction": "政民互动与意见征集",
}

# Placeholders every event's templates may use.
COMMON: dict[str, str] = {
    "机关名称": "本机关全称",
    "链接": "查看详情的网址（申请人：查询页面；工作人员：后台页面）",
}
APPLICATION: dict[str, str] = {
    "申请人": "申请人姓名或名称",
    "查询码": "申请的查询码",
    "收到日期": "收到申请之日（条例第三十一条）",
    "答复期限": "当前答复期限",
    "申请内容": "申请内容摘要（前50字）",
}


@dataclass(frozen=True)
class Wording:
    subject: str  # e-mail subject; the in-app notice's title
    body: str  # e-mail body; the in-app notice's text
    sms: str  # the short text message


@dataclass(frozen=True)
class Event:
    key: str
    label: str
    group: str  # key of GROUPS (staff preferences)
    placeholders: dict[str, str]  # besides COMMON
    applicant: Wording | None  # None: the applicant is not told
    staff: Wording | None  # None: staff are not told

    @property
    def audiences(self) -> tuple[str, ...]:
        return tuple(
            a for a, w in ((APPLICANT, self.applicant), (STAFF, self.staff)) if w is not None
        )

    @property
    def allowed(self) -> dict[str, str]:
        return {**COMMON, **self.placeholders}

    def default(self, audience: str, channel: str) -> tuple[str, str]:
        """(subject, body) of the built-in wording for ``audience`` on ``channel``."""
        wording = self.applicant if audience == APPLICANT else self.staff
        if wording is None:
            raise UnknownEvent(f"{self.key} has no {audience} wording")
        if channel == SMS:
            return "", wording.sms
        return wording.subject, wording.body


def _app(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**APPLICATION, **(extra or {})}


def _case(label: str, extra: str = "") -> Wording:
    """Staff wording of an applicant-facing step of an application."""
    return Wording(
        f"【政府信息公开】申请{{查询码}}：{label}",
        f"申请{{查询码}}（{{申请人}}）：{label}。{extra}答复期限{{答复期限}}。\n"
        "申请内容：{申请内容}\n查看：{链接}",
        f"【{{机关名称}}】申请{{查询码}}：{label}，答复期限{{答复期限}}。",
    )


_SIGN = "\n\n{机关名称}"
_STATUS = "您可凭查询码在以下网址查询办理进度：{链接}"

EVENTS: dict[str, Event] = {
    e.key: e
    for e in [
        Event(
            "application.received",
            "收到申请",
            "cases",
            _app(),
            applicant=Wording(
                "【政府信息公开】已收到您的申请（查询码{查询码}）",
                "{申请人}：\n本机关已于{收到日期}收到您的政府信息公开申请（查询码{查询码}）。"
                "答复期限：{答复期限}（条例第三十三条）。\n" + _STATUS + _SIGN,
                "【{机关名称}】已收到您的政府信息公开申请，查询码{查询码}，答复期限{答复期限}。",
            ),
            staff=_case("新收到申请", "收到日期{收到日期}，"),
        ),
        Event(
            "application.correction_requested",
            "要求补正",
            "cases",
            _app({"补正事项": "需要补正的内容", "补正期限": "补正期限"}),
            applicant=Wording(
                "【政府信息公开】请补正您的申请（查询码{查询码}）",
                "{申请人}：\n您的政府信息公开申请（查询码{查询码}）内容不明确，"
                "需要补正：{补正事项}\n请在{补正期限}前补正；答复期限自本机关收到补正之日起计算，"
                "无正当理由逾期不补正的，视为放弃申请（条例第三十条）。补正通知书另行送达。\n"
                + _STATUS
                + _SIGN,
                "【{机关名称}】您的信息公开申请（查询码{查询码}）需补正，请于{补正期限}前补正，详见补正通知书。",
            ),
            staff=_case("已通知申请人补正", "补正期限{补正期限}，"),
        ),
        Event(
            "application.extension",
            "延长答复期限",
            "cases",
            _app({"延期天数": "延长的工作日数", "延期理由": "延期理由"}),
            applicant=Wording(
                "【政府信息公开】您的申请答复期限已延长（查询码{查询码}）",
                "{申请人}：\n因{延期理由}，经本机关政府信息公开工作机构负责人同意，"
                "您的申请（查询码{查询码}）答复期限延长{延期天数}个工作日，至{答复期限}"
                "（条例第三十三条第二款）。延期答复告知书另行送达。\n" + _STATUS + _SIGN,
                "【{机关名称}】您的信息公开申请（查询码{查询码}）答复期限延长至{答复期限}。",
            ),
            staff=_case("答复期限已延长", "延长{延期天数}个工作日，"),
        ),
        Event(
            "application.fee_notice",
            "收费通知",
            "cases",
            _app({"收费金额": "信息处理费金额（元）", "缴费期限": "缴费期限"}),
            applicant=Wording(
                "【政府信息公开】信息处理费缴费通知（查询码{查询码}）",
                "{申请人}：\n您的申请（查询码{查询码}）需缴纳信息处理费{收费金额}元"
                "（条例第四十二条），请在{缴费期限}前缴纳。收费通知书另行送达。\n"
                + _STATUS
                + _SIGN,
                "【{机关名称}】您的信息公开申请（查询码{查询码}）需缴信息处理费{收费金额}元，缴费期限{缴费期限}。",
            ),
            staff=_case("已发出收费通知", "收费{收费金额}元，缴费期限{缴费期限}，"),
        ),
        Event(
            "application.answered",
            "已答复",
            "cases",
            _app(
                {
                    "答复日期": "答复日期",
                    "办理结果": "办理结果",
                    "答复书": "答复告知书可否在查询页面下载的一句话",
                }
            ),
            applicant=Wording(
                "【政府信息公开】您的申请已答复（查询码{查询码}）",
                "{申请人}：\n本机关已于{答复日期}答复您的政府信息公开申请（查询码{查询码}），"
                "办理结果：{办理结果}。{答复书}：{链接}" + _SIGN,
                "【{机关名称}】您的信息公开申请（查询码{查询码}）已答复，{答复书}。",
            ),
            staff=_case("已答复办结", "办理结果：{办理结果}，答复日期{答复日期}；原"),
        ),
        Event(
            "application.consultation_sent",
            "征求意见",
            "cases",
            _app({"征求意见期限": "被征求方的答复期限"}),
            applicant=Wording(
                "【政府信息公开】您的申请需征求意见（查询码{查询码}）",
                "{申请人}：\n办理您的申请（查询码{查询码}）需要征求意见（条例第三十二条、第三十四条），"
                "征求意见所需时间不计算在答复期限内（条例第三十三条第三款）。\n" + _STATUS + _SIGN,
                "【{机关名称}】您的信息公开申请（查询码{查询码}）需征求意见，所需时间不计入答复期限。",
            ),
            staff=_case("已发出征求意见", "被征求方应于{征求意见期限}前答复，"),
        ),
        Event(
            "application.due_soon",
            "即将到期",
            "deadlines",
            _app({"剩余工作日": "距答复期限的工作日数（0 为今日到期）"}),
            applicant=None,
            staff=Wording(
                "【政府信息公开】申请{查询码}将于{答复期限}到期",
                "申请{查询码}（{申请人}）的答复期限为{答复期限}，还剩{剩余工作日}个工作日"
                "（条例第三十三条）。\n申请内容：{申请内容}\n请登录平台办理：{链接}",
                "【{机关名称}】申请{查询码}将于{答复期限}到期，请及时办理。",
            ),
        ),
        Event(
            "application.overdue",
            "已超期",
            "deadlines",
            _app(),
            applicant=None,
            staff=Wording(
                "【政府信息公开】申请{查询码}已超过答复期限",
                "申请{查询码}（{申请人}）的答复期限{答复期限}已过，尚未答复（条例第三十三条）。\n"
                "申请内容：{申请内容}\n请登录平台办理：{链接}",
                "【{机关名称}】申请{查询码}已超过答复期限{答复期限}，请尽快办理。",
            ),
        ),
        Event(
            "application.applicant_lapsed",
            "申请人办理期限已过",
            "deadlines",
            _app({"申请人期限": "补正、缴费或说明理由的期限"}),
            applicant=None,
            staff=Wording(
                "【政府信息公开】申请{查询码}的申请人办理期限已过",
                "申请{查询码}（{申请人}）的补正、缴费或说明理由期限{申请人期限}已过"
                "（条例第三十条、第四十二条），请核实后办结或继续办理：{链接}",
                "【{机关名称}】申请{查询码}的申请人期限{申请人期限}已过，请核实。",
            ),
        ),
        Event(
            "application.assigned",
            "分办转办到达",
            "cases",
            _app({"来源": "分办或转办的来源"}),
            applicant=None,
            staff=Wording(
                "【政府信息公开】新的申请{查询码}已转到本单位",
                "申请{查询码}（{申请人}）已由{来源}分办或转办至本单位，答复期限{答复期限}。\n"
                "申请内容：{申请内容}\n请登录平台办理：{链接}",
                "【{机关名称}】申请{查询码}已转到本单位，答复期限{答复期限}。",
            ),
        ),
        Event(
            "application.returned",
            "申请被退回",
            "cases",
            _app({"退回理由": "退回的理由"}),
            applicant=None,
            staff=Wording(
                "【政府信息公开】申请{查询码}已被退回",
                "申请{查询码}（{申请人}）已被退回，理由：{退回理由}\n请登录平台处理：{链接}",
                "【{机关名称}】申请{查询码}已被退回，请登录平台处理。",
            ),
        ),
        Event(
            "urging.received",
            "收到督办",
            "urging",
            {"督办事项": "督办的事项", "督办机关": "发出督办的机关", "办理期限": "督办的办理期限"},
            applicant=None,
            staff=Wording(
                "【政府信息公开】收到督办：{督办事项}",
                "{督办机关}督办：{督办事项}\n请在{办理期限}前办理并反馈：{链接}",
                "【{机关名称}】收到{督办机关}督办，办理期限{办理期限}，请登录平台查看。",
            ),
        ),
        Event(
            "urging.answered",
            "督办已反馈",
            "urging",
            {"督办事项": "督办的事项", "反馈机关": "反馈的机关"},
            applicant=None,
            staff=Wording(
                "【政府信息公开】督办已反馈：{督办事项}",
                "{反馈机关}已反馈督办事项“{督办事项}”，请查看：{链接}",
                "【{机关名称}】{反馈机关}已反馈督办事项，请登录平台查看。",
            ),
        ),
        Event(
            "inquiry.answered",
            "留言已答复",
            "interaction",
            {"留言人": "留言人姓名", "查询码": "留言的查询码", "留言标题": "留言标题"},
            applicant=Wording(
                "【政民互动】您的留言已答复（查询码{查询码}）",
                "{留言人}：\n您的留言“{留言标题}”已答复，可凭查询码{查询码}查看：{链接}" + _SIGN,
                "【{机关名称}】您的留言（查询码{查询码}）已答复，可凭查询码查看。",
            ),
            staff=None,
        ),
        Event(
            "consultation.closed",
            "意见征集结束",
            "interaction",
            {"征集标题": "意见征集的标题", "截止日期": "征集截止日期", "意见数": "收到的意见条数"},
            applicant=None,
            staff=Wording(
                "【意见征集】“{征集标题}”已于{截止日期}结束",
                "意见征集“{征集标题}”已于{截止日期}结束，共收到{意见数}条意见。"
                "请研究处理并公布意见采纳情况：{链接}",
                "【{机关名称}】意见征集“{征集标题}”已结束，共{意见数}条意见，请处理。",
            ),
        ),
    ]
}


class UnknownEvent(LookupError):
    pass


def get(key: str) -> Event:
    try:
        return EVENTS[key]
    except KeyError:
        raise UnknownEvent(f"没有名为“{key}”的通知事件。") from None


def channels_for(audience: str) -> tuple[str, ...]:
    return APPLICANT_CHANNELS if audience == APPLICANT else STAFF_CHANNELS
