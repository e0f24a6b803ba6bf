"""Demo 督办 (the wording is invented for the demo).

- 甘河滩镇: the district's supervisor urges the draft formed 40 days ago and still
  not published (条例第二十六条); the clerk acknowledges it the next working day
  and answers with a date by which it will be published.
- 柳林镇: its report on last year is still a draft after the town deadline
  (20 February, 条例第四十九条 and the district's date); the 督办 of 2 March
  went unanswered and was escalated the day after its respond-by date.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from gongkai.disclosure.models import Item
from gongkai.workcal.selectors import calendar

from . import services, targets


def _at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _workday_after(cal, day: date, n: int = 1) -> date:
    return cal.add_workdays(day, n).as_date()


def _overdue_item(ctx, cal) -> None:
    item = (
        Item.objects.filter(organization=ctx.ganhetan, status=Item.Status.DRAFT)
        .order_by("formed_on")
        .first()
    )
    # Sent on the last working day a week before today (targets checks that the
    # 条例第二十六条 deadline had passed by then).
    sent = ctx.today - timedelta(days=7)
    while not cal.is_workday(sent):
        sent -= timedelta(days=1)
    target = targets.item_target(item, sent, cal)
    urging = services.urging_send(
        sender=ctx.district,
        target=target,
        text=target.default_text(),
        acting_user=ctx.supervisor,
        now=_at(sent),
    )
    acknowledged = _workday_after(cal, sent)
    urging = services.urging_acknowledge(
        urging=urging, acting_user=ctx.clerk, now=_at(acknowledged, 10)
    )
    services.urging_answer(
        urging=urging,
        response="已签收。该信息因流转合同备案数据核对延误，现已核对完毕，"
        "将于承诺日期前完成保密审查和审批并公开。",
        done_by=ctx.today + timedelta(days=5),
        acting_user=ctx.clerk,
        now=_at(_workday_after(cal, acknowledged), 15),
    )


def _late_report(ctx, cal) -> None:
    year = ctx.today.year - 1
    sent = date(year + 1, 3, 2)
    while not cal.is_workday(sent):
        sent += timedelta(days=1)
    if year <= 2024 or sent >= ctx.today:
        return
    target = targets.report_target(ctx.liulin, year, sent)
    urging = services.urging_send(
        sender=ctx.district,
        target=target,
        text=target.default_text(),
        acting_user=ctx.supervisor,
        now=_at(sent),
    )
    escalated = _workday_after(cal, urging.respond_by)
    if escalated < ctx.today:
        services.urging_escalate(urging=urging, now=_at(escalated, 7))


def load(ctx) -> None:
    cal = calendar()
    _overdue_item(ctx, cal)
    _late_report(ctx, cal)
    ctx.log("督办：甘河滩镇逾期未公开信息已签收并回复；柳林镇年度报告督办逾期未回复，已升级。")
