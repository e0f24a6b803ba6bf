"""考核: configurable indicators with weights, scored per body and per 科室.

Each indicator gives a score 0-100 with the counts behind it and the records
that cost points; an indicator with nothing to measure is 不适用 and its weight
is left out of the total.  Weights come from the supervising body's
SupervisionSettings (``indicator_weights``), else the defaults below.

A deduction indicator (``deduction=True``) is not averaged: its weight is the
points taken off the total for each record behind it — one per 督办 the body
did not answer by its respond-by date (gongkai.urging).

Only what is due on ``today`` is scored: a report whose deadline has not come
is 不适用 (not 0), its originality is judged only once it is published (and
only against last year's published report), and an application past its
stored due date without a reply is late although it has no reply date yet.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from gongkai.annual.rules import COPY_FORWARD_THRESHOLD, prose_overlap
from gongkai.applications.models import Application
from gongkai.disclosure.models import Guide, Item
from gongkai.disclosure.selectors import publication_deadline
from gongkai.organizations.models import Organization
from gongkai.spreadsheets import xlsx_append  # names and records stay text, never formulas
from gongkai.urging.selectors import late_urgings, received_in
from gongkai.workcal.selectors import calendar
from gongkai.workdays import ProvisionalScheduleWarning

from .deadlines import deadline_for
from .models import AnnualReport, Status, SupervisionSettings
from .selectors import report_of
from .supervision import supervised_bodies


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    basis: str
    weight: int
    per_unit: bool  # can be scored per 科室
    deduction: bool = False  # weight = points off the total per record, not averaged


INDICATORS: tuple[Indicator, ...] = (
    Indicator("proactive_timely", "主动公开信息在20个工作日内公开", "条例第二十六条", 25, True),
    Indicator("replies_timely", "依申请公开在法定期限内答复", "条例第三十三条", 25, True),
    Indicator("policies_interpreted", "政策文件有关联的政策解读", "国办发〔2016〕80号", 15, True),
    Indicator("guide_updated", "政府信息公开指南本年度已更新", "条例第十二条", 10, False),
    Indicator("report_on_time", "年度报告按期公布", "条例第四十九条", 15, False),
    Indicator("report_original", "年度报告正文与上年重复低于50%", "年度报告格式 规则11", 10, False),
    # No statute: the supervising body's own 督办 rule (docs/urging.md).
    Indicator(
        "urging_answered",
        "督办在回复期限内回复（每件逾期未回复的督办扣分）",
        "本级督办制度",
        2,
        False,
        deduction=True,
    ),
)
INDICATOR_BY_KEY = {i.key: i for i in INDICATORS}


@dataclass
class Score:
    indicator: Indicator
    weight: int
    numerator: int | None = None  # None: 不适用
    denominator: int | None = None
    records: list = field(default_factory=list)  # what cost points
    note: str = ""

    @property
    def applicable(self) -> bool:
        return self.denominator is not None and self.denominator > 0

    @property
    def value(self) -> float | None:
        if not self.applicable:
            return None
        if self.indicator.deduction:
            return -self.points_off
        return round(100 * self.numerator / self.denominator, 1)

    @property
    def points_off(self) -> float:
        """What a deduction indicator takes off the total: its weight per record."""
        return float(self.weight * len(self.records)) if self.indicator.deduction else 0.0


@dataclass
class Assessment:
    subject: str  # body or unit name
    scores: list[Score]

    @property
    def total(self) -> float | None:
        """The weighted mean of the applicable indicators, less the deductions (not below 0)."""
        used = [s for s in self.scores if s.applicable and s.weight and not s.indicator.deduction]
        weight = sum(s.weight for s in used)
        if not weight:
            return None
        mean = sum(s.value * s.weight for s in used) / weight
        return round(max(0.0, mean - sum(s.points_off for s in self.scores)), 1)


def weights_for(org: Organization) -> dict[str, int]:
    chain = [org.pk, *[a.pk for a in org.ancestors()]]
    settings = {
        s.organization_id: s.indicator_weights
        for s in SupervisionSettings.objects.filter(organization_id__in=chain)
    }
    for pk in chain:
        if settings.get(pk):
            return {i.key: int(settings[pk].get(i.key, i.weight)) for i in INDICATORS}
    return {i.key: i.weight for i in INDICATORS}


def _items(org, year, unit_id=None):
    qs = Item.objects.filter(
        organization=org,
        attribute=Item.Attribute.PROACTIVE,
        status=Item.Status.PUBLISHED,
        published_at__year=year,
    )
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    return qs


def _proactive(org, year, weight, unit_id=None) -> Score:
    # 条例第二十六条: within 20 working days of being formed or changed.
    cal = calendar()
    late, total = [], 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProvisionalScheduleWarning)
        for item in _items(org, year, unit_id).select_related("unit"):
            total += 1
            deadline = publication_deadline(item, cal)  # None: a wrong stored 形成日期
            if deadline is not None and timezone.localdate(item.published_at) > deadline:
                late.append(item)
    return Score(INDICATOR_BY_KEY["proactive_timely"], weight, total - len(late), total, late)


def _replies(org, year, weight, today: date, unit_id=None) -> Score:
    # 条例第三十三条: replied by the (possibly extended or suspended) due date.
    # An application counts in the year of its reply; one still unanswered
    # after its stored due date (``Application.is_overdue``) is already late and
    # counts in the year that due date lapsed, until a reply moves it to the
    # reply's year.  So at any moment an application is counted in one year only.
    # A suspended clock (补正: due_on is null) is never overdue.
    qs = Application.objects.filter(
        Q(reply_on__year=year) | Q(reply_on__isnull=True, due_on__year=year, due_on__lt=today),
        organization=org,
    )
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    rows = list(qs.select_related("unit"))
    late = [
        a
        for a in rows
        if a.is_overdue(today) or (a.due_on is not None and a.reply_on and a.reply_on > a.due_on)
    ]
    return Score(INDICATOR_BY_KEY["replies_timely"], weight, len(rows) - len(late), len(rows), late)


def _interpreted(org, year, weight, unit_id=None) -> Score:
    policies = list(
        _items(org, year, unit_id)
        .filter(kind__in=(Item.Kind.POLICY, Item.Kind.NORMATIVE))
        .prefetch_related("interpretations")
    )
    missing = [
        p
        for p in policies
        if not any(i.status == Item.Status.PUBLISHED for i in p.interpretations.all())
    ]
    return Score(
        INDICATOR_BY_KEY["policies_interpreted"],
        weight,
        len(policies) - len(missing),
        len(policies),
        missing,
    )


def _guide(org, year, weight) -> Score:
    guide = Guide.objects.filter(organization=org).first()
    ok = guide is not None and timezone.localdate(guide.updated_at).year == year
    note = (
        "尚未编制政府信息公开指南"
        if guide is None
        else f"最近更新：{timezone.localdate(guide.updated_at):%Y-%m-%d}"
    )
    return Score(INDICATOR_BY_KEY["guide_updated"], weight, int(ok), 1, [], note)


def _report_on_time(org, year, weight, report, today: date) -> Score:
    # 条例第四十九条: published by the deadline (31 January for departments, 31
    # March for governments, the county's date for towns).
    deadline = deadline_for(org, year)
    if report is None or report.status != Status.PUBLISHED:
        if today <= deadline:
            # Not yet due: 不适用, so its weight is left out of the total.  Scoring
            # it 0 would punish a body that still has time; scoring it in full
            # would credit a report nobody has seen.  Once published it is scored.
            note = f"{year}年度报告尚未到公布期限（{deadline:%Y-%m-%d}），暂不考核"
            return Score(INDICATOR_BY_KEY["report_on_time"], weight, None, None, [], note)
        note = f"{year}年度报告尚未公布（期限{deadline:%Y-%m-%d}，已逾期）"
        return Score(INDICATOR_BY_KEY["report_on_time"], weight, 0, 1, [], note)
    published = timezone.localdate(report.published_at)
    ok = published <= deadline
    note = f"公布于{published:%Y-%m-%d}，期限{deadline:%Y-%m-%d}"
    return Score(INDICATOR_BY_KEY["report_on_time"], weight, int(ok), 1, [], note)


def _report_original(org, year, weight, report, previous, today: date) -> Score:
    # Only what the public has seen is compared: this year's and last year's
    # *published* reports.  A draft or an import nobody has confirmed is not the
    # body's report yet, and scoring it would punish a body that still has time.
    indicator = INDICATOR_BY_KEY["report_original"]
    if report is None or report.status != Status.PUBLISHED:
        deadline = deadline_for(org, year)
        if today <= deadline:
            note = f"{year}年度报告尚未到公布期限（{deadline:%Y-%m-%d}），暂不考核"
        else:
            note = f"{year}年度报告尚未公布，不适用（按期公布一项已计0分）"
        return Score(indicator, weight, None, None, [], note)
    if previous is None or previous.status != Status.PUBLISHED:
        return Score(indicator, weight, None, None, [], f"上年（{year - 1}年度）报告未公布，不适用")
    share = prose_overlap(report_of(report).prose(), report_of(previous).prose())
    if share is None:
        return Score(indicator, weight, None, None, [], "报告没有正文，不适用")
    ok = share <= COPY_FORWARD_THRESHOLD
    return Score(indicator, weight, int(ok), 1, [], f"与上年重复约{share:.0%}")


def _urgings(org, year, weight, today: date) -> Score:
    # A 督办 counts in the year its respond-by date falls in, once that date has
    # passed; it is late when not answered by then (still unanswered, answered
    # after it, or closed without an answer) — escalated by the daily job or not yet.
    indicator = INDICATOR_BY_KEY["urging_answered"]
    due = received_in(org, year).filter(respond_by__lt=today).count()
    if not due:
        return Score(indicator, weight, None, None, [], "本年度没有到期的督办，不扣分")
    late = list(late_urgings(org, year, today=today))
    note = f"到期督办{due}件，逾期未回复{len(late)}件，每件扣{weight}分，共扣{weight * len(late)}分"
    return Score(indicator, weight, due - len(late), due, late, note)


def assess_body(org: Organization, year: int, *, today: date) -> Assessment:
    w = weights_for(org)
    # Published reports only (an unpublished one is "not published" for both
    # report indicators; F10 of the review of issue #9).
    reports = {
        r.year: r
        for r in AnnualReport.objects.filter(
            organization=org, year__in=(year, year - 1), status=Status.PUBLISHED
        ).select_related("organization")
    }
    report, previous = reports.get(year), reports.get(year - 1)
    return Assessment(
        org.name,
        [
            _proactive(org, year, w["proactive_timely"]),
            _replies(org, year, w["replies_timely"], today),
            _interpreted(org, year, w["policies_interpreted"]),
            _guide(org, year, w["guide_updated"]),
            _report_on_time(org, year, w["report_on_time"], report, today),
            _report_original(org, year, w["report_original"], report, previous, today),
            _urgings(org, year, w["urging_answered"], today),
        ],
    )


def assess_units(org: Organization, year: int, *, today: date) -> list[Assessment]:
    w = weights_for(org)
    out = []
    for unit in org.units.filter(is_active=True).order_by("name"):
        out.append(
            Assessment(
                unit.name,
                [
                    _proactive(org, year, w["proactive_timely"], unit.pk),
                    _replies(org, year, w["replies_timely"], today, unit.pk),
                    _interpreted(org, year, w["policies_interpreted"], unit.pk),
                ],
            )
        )
    return out


def export_xlsx(title: str, assessments: list[Assessment]) -> bytes:
    from openpyxl import Workbook  # loaded on export only, like gongkai.annual.writers
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "考核得分"
    indicators = [s.indicator for s in assessments[0].scores] if assessments else []
    xlsx_append(ws, [title])
    xlsx_append(
        ws,
        ["对象", "总分"]
        + [
            f"{i.label}（{f'每件扣{s.weight}分' if i.deduction else f'权重{s.weight}'}，{i.basis}）"
            for i, s in zip(indicators, assessments[0].scores, strict=True)
        ]
        if assessments
        else ["对象", "总分"],
    )
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for a in assessments:
        xlsx_append(
            ws,
            [a.subject, a.total]
            + [
                (
                    (
                        f"扣{s.points_off:g}分（{s.numerator}/{s.denominator}）"
                        if s.indicator.deduction
                        else f"{s.value}（{s.numerator}/{s.denominator}）"
                    )
                    if s.applicable
                    else "不适用"
                )
                for s in a.scores
            ],
        )
    detail = wb.create_sheet("扣分记录")
    xlsx_append(detail, ["对象", "指标", "记录", "说明"])
    for a in assessments:
        for s in a.scores:
            for record in s.records:
                xlsx_append(detail, [a.subject, s.indicator.label, str(record), ""])
            if s.note:
                xlsx_append(detail, [a.subject, s.indicator.label, "", s.note])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def assess_supervised(org: Organization, year: int, *, today: date) -> list[Assessment]:
    return [assess_body(body, year, today=today) for body in supervised_bodies(org)]


def default_year(today: date) -> int:
    return today.year - 1
