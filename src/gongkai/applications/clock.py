"""The reply clock of an application, as a pure function of its events.

No Django here: the services feed the stored events in, and store what comes
out (the state and ``Deadline.due_on``) as a cache.  The due date is never
typed; it is always ``compute_deadline(received_on, events, calendar)``.

Rules (条例 = 《中华人民共和国政府信息公开条例》, 2019).  第三十三条 has three
paragraphs: 第一款 reply on the spot where possible; 第二款 otherwise 20 working
days, plus the extension; 第三款 consultation time is not counted.

- 条例第三十三条第二款: reply within 20 working days of receipt; "N working days
  from receipt" is the N-th working day after the day of receipt
  (``Calendar.add_workdays(received_on, 20)``), whatever day the receipt was.
- 条例第三十条: a 补正 notice goes out once, within 7 working days of receipt,
  and states a period; the reply period starts again from the day the
  corrected application is received.  Until then there is no reply date.
- 条例第三十三条第二款: with the approval of the head of the disclosure office
  (公开办负责人) and notice to the applicant, the period may be extended by at
  most 20 working days (one extension, 1-20 days).
- 条例第三十三条第三款 with 第三十二条 / 第三十四条: the time spent consulting a
  third party or another body is not counted.  A consultation pauses the clock
  from its start day S to its answer day A: the working days in (S, A] are not
  counted, i.e. the due date moves later by ``workdays_between(S, A)``.  The
  third party / other body has 15 working days (第三十二条, 第三十四条: silence
  after that = consent for another body; the body decides itself for a third
  party), so a pause never exceeds ``add_workdays(S, 15)``; while the answer is
  awaited, the due date shown assumes the whole 15 days.
- 国办函〔2020〕109号: a fee notice is sent within the reply period; the
  applicant pays within 20 working days counted from the day after receiving
  it; notice-to-payment time is not counted (setting
  ``GONGKAI_FEE_PAUSES_CLOCK``, default on, passed in as ``fee_pauses``) —
  same pause arithmetic as a consultation, bounded by the payment deadline.
- 条例第三十五条: excessive applications — the body may ask for reasons; if the
  reasons are sound but the reply cannot be made in time it sets a later
  reply date (which then *is* the due date); if not, the application is
  closed as ``declined_excessive``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from gongkai.annual.format import T3_RESULT_ROWS, T3_ROW_BY_KEY
from gongkai.core.workflow import InvalidTransition, Table, Transition
from gongkai.workdays import DEFAULT_CALENDAR, Calendar, DateOutOfRange, ProvisionalScheduleWarning

REPLY_DAYS = 20  # 条例第三十三条第二款
MAX_EXTENSION_DAYS = 20  # 条例第三十三条第二款
CORRECTION_NOTICE_DAYS = 7  # 条例第三十条
CONSULTATION_DAYS = 15  # 条例第三十二条、第三十四条
PAYMENT_DAYS = 20  # 国办函〔2020〕109号

# --- events and states --------------------------------------------------------

CORRECTION_REQUESTED = "correction_requested"
CORRECTION_RECEIVED = "correction_received"
THIRD_PARTY_CONSULTED = "third_party_consulted"
OTHER_BODY_CONSULTED = "other_body_consulted"
CONSULTATION_ANSWERED = "consultation_answered"
EXTENSION = "extension"
FEE_NOTICE = "fee_notice"
FEE_PAID = "fee_paid"
REASONS_REQUESTED = "reasons_requested"
LATER_DATE_SET = "later_date_set"
CLOSED = "closed"

OPEN = "open"
AWAITING_CORRECTION = "awaiting_correction"
CONSULTING = "consulting"
AWAITING_PAYMENT = "awaiting_payment"
AWAITING_REASONS = "awaiting_reasons"
STATE_CLOSED = "closed"
OPEN_STATES = frozenset({OPEN, AWAITING_CORRECTION, CONSULTING, AWAITING_PAYMENT, AWAITING_REASONS})

# The one transition table (gongkai.core.workflow): the states with their
# labels, each event kind with the states it may happen in and the state after
# (``target=None``: unchanged), its audit verb ``application.<kind>`` and its
# label.  The labels are the statute's words: 条例第三十五条 "可以要求申请人说明
# 理由" / "可以确定延迟答复的合理期限".  models.py generates ``Status`` and
# ``EventKind`` from this table; the refusals below are the clock's sentences.
_EVENTS = (
    # kind, states it may happen in, state after, label
    (CORRECTION_REQUESTED, {OPEN}, AWAITING_CORRECTION, "发出补正通知"),  # 条例第三十条
    (CORRECTION_RECEIVED, {AWAITING_CORRECTION}, OPEN, "收到补正材料"),  # 条例第三十条
    (THIRD_PARTY_CONSULTED, {OPEN}, CONSULTING, "书面征求第三方意见"),  # 条例第三十二条
    (OTHER_BODY_CONSULTED, {OPEN}, CONSULTING, "征求其他机关意见"),  # 条例第三十四条
    (CONSULTATION_ANSWERED, {CONSULTING}, OPEN, "收到征求意见答复"),
    (EXTENSION, {OPEN, CONSULTING}, None, "延长答复期限"),  # 条例第三十三条第二款
    (FEE_NOTICE, {OPEN}, AWAITING_PAYMENT, "发出收费通知"),  # 国办函〔2020〕109号
    (FEE_PAID, {AWAITING_PAYMENT}, OPEN, "申请人缴费"),
    (REASONS_REQUESTED, {OPEN}, AWAITING_REASONS, "要求申请人说明理由"),  # 条例第三十五条
    (LATER_DATE_SET, {AWAITING_REASONS}, OPEN, "确定延迟答复的合理期限"),  # 条例第三十五条
    (CLOSED, OPEN_STATES, STATE_CLOSED, "答复办结"),
)

CLOCK = Table(
    "application",
    states={
        OPEN: "办理中",
        AWAITING_CORRECTION: "待申请人补正",
        CONSULTING: "征求意见中",
        AWAITING_PAYMENT: "待申请人缴费",
        AWAITING_REASONS: "待申请人说明理由",
        STATE_CLOSED: "已办结",
    },
    transitions=[
        Transition(kind, sources, target, verb=f"application.{kind}", label=label)
        for kind, sources, target, label in _EVENTS
    ],
    refusal="申请当前状态为“{state}”，不能{short}。",
    refusals={STATE_CLOSED: "申请已办结，不能再{short}。"},
    hints={
        (AWAITING_CORRECTION, EXTENSION): "请先登记收到补正材料。",
        (CONSULTING, FEE_NOTICE): "请先登记征求意见的答复。",
        (AWAITING_PAYMENT, EXTENSION): "请先登记缴费情况。",
    },
    unknown="未知的办理事项：{action}",
    permission_first=True,  # services check the handler's role before replaying
)

# Views of the table under the names the rest of the code reads.
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    t.action: (t.sources, t.target) for t in CLOCK.transitions
}
EVENT_LABEL = {t.action: t.label for t in CLOCK.transitions}
STATE_LABEL = dict(CLOCK.states)


class ClockError(ValueError):
    """An event that the law or the event order does not allow; the message is
    Chinese and shown to the clerk as it is."""


DATE_WRONG = "日期有误"


class DeadlineDateError(ClockError):
    """A date of the application cannot be computed with (e.g. a stored
    收到申请之日 of 9999-12-20, whose 20th working day would fall in the year
    10000).  A :class:`ClockError`, so every caller that handles an unreplayable
    history handles this too; the message starts with :data:`DATE_WRONG`."""


def date_error_message(what: str) -> str:
    return f"{DATE_WRONG}：{what}超出合理范围，无法计算答复期限，请核对并更正日期。"


@dataclass(frozen=True)
class Event:
    kind: str
    on: date
    until: date | None = None  # 补正 period end / later reply date
    days: int | None = None  # extension days
    approved: bool = False  # extension approved by the 公开办负责人
    outcome: str = ""  # closing only


@dataclass(frozen=True)
class Step:
    on: date  # the day of the event
    due_on: date | None  # the reply due date after it (None while suspended)
    reason: str  # Chinese: why the due date is what it is now
    article: str


@dataclass(frozen=True)
class Deadline:
    due_on: date | None
    provisional: bool
    history: list[Step]
    state: str = OPEN
    waiting_until: date | None = None  # the applicant's own date (补正/缴费/说明理由)
    period_start: date | None = None
    extension_days: int = 0
    paused_workdays: int = 0
    correction_deadline: date | None = None  # last day for sending a 补正 notice
    unknown_years: tuple[int, ...] = field(default_factory=tuple)

    @property
    def reasons(self) -> list[tuple[date | None, str, str]]:
        """``(due date, reason, article)`` per step, as the issue's history tuples."""
        return [(s.due_on, s.reason, s.article) for s in self.history]


def _fmt(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "—"


class _Clock:
    def __init__(self, received_on: date, calendar: Calendar, fee_pauses: bool) -> None:
        self.cal = calendar
        self.fee_pauses = fee_pauses
        self.received_on = received_on
        self.start = received_on
        self.ext = 0
        self.paused = 0
        self.override: date | None = None
        self.state = OPEN
        self.pause_start: date | None = None
        self.pause_limit: date | None = None
        self.waiting_until: date | None = None
        self.suspended = False
        self.unknown: set[int] = set()
        self.history: list[Step] = []
        self.last_on = received_on
        self.events: list[Event] = []

    def add(self, start: date, n: int) -> date:
        result = self.cal.add_workdays(start, n)
        self.unknown.update(result.unknown_years)
        return result.as_date()

    def between(self, a: date, b: date) -> int:
        return self.cal.workdays_between(a, b)

    def due(self) -> date | None:
        if self.suspended:
            return None
        if self.override is not None:
            return self.override
        extra = 0
        if self.pause_start is not None and self.pause_limit is not None:
            extra = self.between(self.pause_start, self.pause_limit)
        return self.add(self.start, REPLY_DAYS + self.ext + self.paused + extra)

    def step(self, on: date, reason: str, article: str) -> None:
        self.history.append(Step(on, self.due(), reason, article))

    # -- the rules

    def apply(self, ev: Event) -> None:
        try:
            transition = CLOCK.check(self.state, ev.kind)
        except InvalidTransition as exc:
            raise ClockError(exc.message) from None
        label, after = transition.label, transition.target
        if ev.on < self.received_on:
            raise ClockError(
                f"{label}的日期（{_fmt(ev.on)}）不能早于收到申请之日（{_fmt(self.received_on)}）。"
            )
        if ev.on < self.last_on:
            raise ClockError(
                f"{label}的日期（{_fmt(ev.on)}）不能早于上一办理事项的日期（{_fmt(self.last_on)}）。"
            )
        getattr(self, f"_on_{ev.kind}")(ev)
        if after is not None:
            self.state = after
        self.last_on = ev.on
        self.events.append(ev)

    def _on_correction_requested(self, ev: Event) -> None:
        # 条例第三十条: once, within 7 working days of receipt, before anything else.
        if self.events:
            raise ClockError(
                "补正通知只能在收到申请后、其他办理事项之前一次性发出（条例第三十条）。"
            )
        limit = self.add(self.received_on, CORRECTION_NOTICE_DAYS)
        if ev.on > limit:
            raise ClockError(
                f"补正通知应当自收到申请之日起7个工作日内发出（条例第三十条），"
                f"本件最晚应于{_fmt(limit)}发出，{_fmt(ev.on)}已超过期限。"
            )
        if ev.until is None or ev.until <= ev.on:
            raise ClockError("补正通知须写明合理的补正期限（晚于通知日期）（条例第三十条）。")
        self.suspended = True
        self.waiting_until = ev.until
        self.step(
            ev.on,
            f"发出补正通知，请申请人于{_fmt(ev.until)}前补正；答复期限自收到补正申请之日起重新计算",
            "条例第三十条",
        )

    def _on_correction_received(self, ev: Event) -> None:
        self.suspended = False
        self.waiting_until = None
        self.start = ev.on
        self.paused = 0
        late = (
            "（逾期补正，经审查理由正当予以接收）"
            if self.events[-1].until and ev.on > self.events[-1].until
            else ""
        )
        self.step(
            ev.on,
            f"收到补正申请{late}，答复期限自{_fmt(ev.on)}起重新计算20个工作日",
            "条例第三十条、第三十三条第二款",
        )

    def _start_pause(self, ev: Event, limit: date, reason: str, article: str) -> None:
        self.pause_start = ev.on
        self.pause_limit = limit
        self.step(ev.on, reason, article)

    def _on_third_party_consulted(self, ev: Event) -> None:
        limit = self.add(ev.on, CONSULTATION_DAYS)
        self._start_pause(
            ev,
            limit,
            f"书面征求第三方意见，第三方应于{_fmt(limit)}前答复；征求意见期间不计入答复期限（按最长15个工作日预计）",
            "条例第三十二条、第三十三条第三款",
        )

    def _on_other_body_consulted(self, ev: Event) -> None:
        limit = self.add(ev.on, CONSULTATION_DAYS)
        self._start_pause(
            ev,
            limit,
            f"征求其他机关意见，被征求机关应于{_fmt(limit)}前答复（逾期视为同意）；征求意见期间不计入答复期限（按最长15个工作日预计）",
            "条例第三十四条、第三十三条第三款",
        )

    def _end_pause(self, ev: Event) -> int:
        assert self.pause_start is not None and self.pause_limit is not None
        end = min(ev.on, self.pause_limit)
        days = self.between(self.pause_start, end)
        self.paused += days
        self.pause_start = self.pause_limit = None
        return days

    def _on_consultation_answered(self, ev: Event) -> None:
        capped = self.pause_limit is not None and ev.on > self.pause_limit
        days = self._end_pause(ev)
        note = "（超过15个工作日的部分计入答复期限）" if capped else ""
        self.step(
            ev.on,
            f"征求意见结束，不计入答复期限的工作日为{days}个{note}",
            "条例第三十三条第三款",
        )

    def _on_extension(self, ev: Event) -> None:
        # 条例第三十三条第二款: one extension, approved by the 公开办负责人, ≤ 20 days.
        if any(e.kind == EXTENSION for e in self.events):
            raise ClockError("本申请已经延期一次，不能再次延期（条例第三十三条第二款）。")
        if self.override is not None:
            raise ClockError("已依条例第三十五条确定答复期限，不能再延期。")
        days = ev.days or 0
        if not 1 <= days <= MAX_EXTENSION_DAYS:
            raise ClockError("延长答复期限最长不得超过20个工作日（条例第三十三条第二款）。")
        if not ev.approved:
            raise ClockError(
                "延长答复期限须经政府信息公开工作机构负责人（公开办负责人）同意（条例第三十三条第二款）。"
            )
        due = self.due()
        if due is not None and ev.on > due:
            raise ClockError(
                f"答复期限已于{_fmt(due)}届满，不能再决定延期（条例第三十三条第二款）。"
            )
        self.ext += days
        self.step(
            ev.on,
            f"经公开办负责人同意延长答复期限{days}个工作日，并告知申请人",
            "条例第三十三条第二款",
        )

    def _on_fee_notice(self, ev: Event) -> None:
        due = self.due()
        if due is not None and ev.on > due:
            raise ClockError(
                f"收费通知应当在答复期限（{_fmt(due)}）内发出（国办函〔2020〕109号）。"
            )
        limit = self.add(ev.on, PAYMENT_DAYS)
        self.waiting_until = limit
        if self.fee_pauses:
            self._start_pause(
                ev,
                limit,
                f"发出收费通知，申请人应于{_fmt(limit)}前缴费；通知至缴费期间不计入答复期限（按最长20个工作日预计）",
                "国办函〔2020〕109号",
            )
        else:
            self.step(ev.on, f"发出收费通知，申请人应于{_fmt(limit)}前缴费", "国办函〔2020〕109号")

    def _on_fee_paid(self, ev: Event) -> None:
        if self.waiting_until is not None and ev.on > self.waiting_until:
            raise ClockError(
                f"缴费期限已于{_fmt(self.waiting_until)}届满，应按逾期未缴费终止办理（国办函〔2020〕109号）。"
            )
        self.waiting_until = None
        if self.fee_pauses and self.pause_start is not None:
            days = self._end_pause(ev)
            self.step(
                ev.on, f"申请人已缴费，不计入答复期限的工作日为{days}个", "国办函〔2020〕109号"
            )
        else:
            self.step(ev.on, "申请人已缴费", "国办函〔2020〕109号")

    def _refuse_after_due(self, ev: Event, what: str) -> None:
        due = self.due()
        if due is not None and ev.on > due:
            raise ClockError(f"答复期限已于{_fmt(due)}届满，不能再{what}（条例第三十五条）。")

    def _on_reasons_requested(self, ev: Event) -> None:
        # 条例第三十五条: asking for reasons happens within the reply period.
        self._refuse_after_due(ev, EVENT_LABEL[REASONS_REQUESTED])
        if ev.until is None or ev.until <= ev.on:
            raise ClockError(
                f"{EVENT_LABEL[REASONS_REQUESTED]}须写明合理的期限（晚于通知日期）（条例第三十五条）。"
            )
        self.waiting_until = ev.until
        self.step(
            ev.on,
            f"申请数量、频次明显超过合理范围，要求申请人于{_fmt(ev.until)}前说明理由",
            "条例第三十五条",
        )

    def _on_later_date_set(self, ev: Event) -> None:
        # 条例第三十五条: "无法在规定期限内答复" — decided before the period runs out.
        self._refuse_after_due(ev, "确定延后的答复期限")
        due = self.due()
        if ev.until is None or (due is not None and ev.until <= due):
            raise ClockError(
                f"延后的答复期限应当晚于现有答复期限（{_fmt(due)}）（条例第三十五条）。"
            )
        self.waiting_until = None
        self.override = ev.until
        self.step(
            ev.on,
            "申请人理由合理但无法在期限内答复，确定延后的答复期限并告知申请人",
            "条例第三十五条",
        )

    def _on_closed(self, ev: Event) -> None:
        if not ev.outcome:
            raise ClockError("办结时必须选择办理结果（表三的一种情形）。")
        if ev.outcome not in T3_RESULT_ROWS:
            raise ClockError(f"未知的办理结果：{ev.outcome}")
        if ev.outcome == "other_no_correction":
            if self.state != AWAITING_CORRECTION:
                raise ClockError(
                    "只有发出补正通知且申请人未补正的申请，才能按“逾期不补正”办结（条例第三十条）。"
                )
            if self.waiting_until is not None and ev.on <= self.waiting_until:
                raise ClockError(
                    f"补正期限（{_fmt(self.waiting_until)}）尚未届满，不能按“逾期不补正”办结。"
                )
        if ev.outcome == "other_unpaid":
            if self.state != AWAITING_PAYMENT:
                raise ClockError(
                    "只有发出收费通知且申请人未缴费的申请，才能按“逾期未缴费”办结（国办函〔2020〕109号）。"
                )
            if self.waiting_until is not None and ev.on <= self.waiting_until:
                raise ClockError(
                    f"缴费期限（{_fmt(self.waiting_until)}）尚未届满，不能按“逾期未缴费”办结。"
                )
        if ev.outcome == "unable_unclear" and not any(
            e.kind == CORRECTION_RECEIVED for e in self.events
        ):
            raise ClockError("“补正后申请内容仍不明确”须在收到补正材料之后使用（条例第三十条）。")
        if self.pause_start is not None:
            self._end_pause(ev)
        self.waiting_until = None
        row = T3_ROW_BY_KEY[ev.outcome]
        # "（二）部分公开（区分处理的，…）" -> "部分公开"; "4.保护第三方合法权益" -> as is without "4."
        label = re.sub(r"^（[一二]）|^\d+\.", "", row.label.split("（区分处理")[0])
        self.history.append(
            Step(ev.on, self.due(), f"答复办结：{label}", row.legal_basis or "条例第三十六条")
        )


def replay(
    received_on: date,
    events: Iterable[Event],
    calendar: Calendar | None = None,
    *,
    fee_pauses: bool = True,
) -> Deadline:
    """Check ``events`` in order against the rules and compute the deadline.

    Raises :class:`ClockError` (Chinese message) at the first event the law or
    the order does not allow, and :class:`DeadlineDateError` when a date is so
    wrong that the working-day calendar cannot count from it.
    """
    try:
        return _replay(received_on, events, calendar, fee_pauses)
    except DateOutOfRange as exc:
        raise DeadlineDateError(
            date_error_message(f"收到申请之日（{_fmt(received_on)}）或办理事项的日期")
        ) from exc


def _replay(
    received_on: date, events: Iterable[Event], calendar: Calendar | None, fee_pauses: bool
) -> Deadline:
    cal = DEFAULT_CALENDAR if calendar is None else calendar
    with warnings.catch_warnings():
        # Provisional years are reported through Deadline.provisional instead.
        warnings.simplefilter("ignore", ProvisionalScheduleWarning)
        clock = _Clock(received_on, cal, fee_pauses)
        correction_deadline = clock.add(received_on, CORRECTION_NOTICE_DAYS)
        clock.history.append(
            Step(
                received_on, clock.due(), "自收到申请之日起20个工作日内答复", "条例第三十三条第二款"
            )
        )
        for ev in events:
            clock.apply(ev)
        due = clock.due()
    return Deadline(
        due_on=due,
        provisional=bool(clock.unknown),
        history=clock.history,
        state=clock.state,
        waiting_until=clock.waiting_until,
        period_start=clock.start,
        extension_days=clock.ext,
        paused_workdays=clock.paused,
        correction_deadline=correction_deadline,
        unknown_years=tuple(sorted(clock.unknown)),
    )


def compute_deadline(
    received_on: date,
    events: Sequence[Event],
    calendar: Calendar | None = None,
    *,
    fee_pauses: bool = True,
) -> Deadline:
    """The reply due date of an application received on ``received_on``."""
    return replay(received_on, events, calendar, fee_pauses=fee_pauses)


# --- 条例第三十一条: the day of receipt ---------------------------------------------


def receipt_date(
    *,
    channel: str,
    submitted_on: date | None,
    signed_for_on: date | None = None,
    confirmed_on: date | None = None,
) -> date:
    """The 收到申请之日 for a channel (条例第三十一条); ClockError when a date is missing."""
    if channel == "in_person":
        # 条例第三十一条第（一）项: handed in -> the day it is handed in.
        if submitted_on is None:
            raise ClockError("当面提交的申请须填写提交日期。")
        return submitted_on
    if channel == "registered_mail":
        # 第（二）项: by post -> the day the body signs for it.
        if signed_for_on is None:
            raise ClockError("邮寄的申请须填写签收日期（条例第三十一条第（二）项）。")
        day = signed_for_on
    elif channel in ("ordinary_mail", "online", "fax", "email", "other"):
        # 第（二）项 平常信函 -> the day confirmed with the applicant;
        # 第（三）项 online / fax / e-mail -> the day both sides confirm.
        if confirmed_on is None:
            raise ClockError("该渠道的申请须填写与申请人确认的日期（条例第三十一条）。")
        day = confirmed_on
    else:
        raise ClockError(f"未知的申请渠道：{channel}")
    if submitted_on is not None and day < submitted_on:
        raise ClockError("收到申请之日不能早于申请人提交/寄出的日期。")
    return day
