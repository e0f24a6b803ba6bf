"""Demo annual reports (the prose is invented for the demo).

- 河湾区 sets the town deadline: 20 February (条例第四十九条 leaves it to the county).
- 甘河滩镇 2024: made on the platform from the records (all zeros, like the seed
  report), with a section 六 (收取信息处理费0元); submitted on 5, approved on 7
  and published on 10 February 2025, on time (every stamp from these dates).  Last year (today.year - 1, if after
  2024): generated on 12 January, published on 13 February, on time.
- 柳林镇 2024: published on 5 March 2025, after the town deadline (late); last year:
  still a draft, late again.
- 河湾区民政局 2024: published on 20 January 2025, on time (31 January).
- 河湾区人民政府 2024: published on 24 January 2025, on time; last year (if after
  2024): submitted on 20 January, awaiting approval.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from gongkai.annual.rules import PLACEHOLDER_RE
from gongkai.audit.services import audit_record
from gongkai.disclosure import services as disclosure_services
from gongkai.disclosure.models import YearlyFigures

from . import prose, services
from .models import AnnualReport, Status, SupervisionSettings
from .selectors import cells_to_json, report_compute

GANHETAN_2024 = {
    1: (
        "2024年，甘河滩镇认真贯彻落实《中华人民共和国政府信息公开条例》，围绕主动公开、依申请公开、"
        "政府信息管理、平台建设和监督保障推进政务公开工作，充分发挥公示栏、微信群、公众号等渠道作用，"
        "加强政策解读，提升群众获得感。\n"
        "（一）主动公开方面：对拟公开的文件实行保密审查和审批，突出“权、钱、人、事”等群众关心的事项，"
        "通过公示栏、电子屏、微信公众号和微信群及时发布。\n"
        "（二）依申请公开方面：2024年，我镇未收到政府信息公开申请。\n"
        "（三）政府信息管理方面：规范信息发布程序，做好公开属性源头认定，确保发布及时、准确、安全。\n"
        "（四）平台建设方面：在镇政府院内设置公示栏，在便民服务大厅安装电子屏，重要事项同步在公众号发布。\n"
        "（五）监督保障方面：主要领导负总责、党政办公室具体承办，将政务公开成效纳入各科室年度绩效考核。"
        "2024年未发生因不履行政务公开义务而被追究责任的情况。"
    ),
    2: "本镇无规章制定权。行政规范性文件的制发、废止和现行有效情况，以及行政许可、行政处罚、行政强制和行政事业性收费情况见下表。",
    3: "2024年，我镇未收到政府信息公开申请，无上年结转申请。",
    4: "2024年，我镇未发生因政府信息公开引起的行政复议、行政诉讼。",
    5: (
        "（一）存在的主要问题：一是公示栏内容更新不够及时；二是政策解读形式较为单一。\n"
        "（二）改进措施：一是建立公示栏每月更新台账，由党政办公室专人负责；"
        "二是结合入户走访、村民代表会议开展面对面解读。"
    ),
    6: "2024年，我镇未收取信息处理费，收取信息处理费0元。无其他需要报告的事项。",
}


DEMO_FILL = "按年度工作要点落实，情况见本机关政务公开工作台账。"
# What a body's clerk writes for each instruction of the generated draft (invented
# for the demo), in the order the instructions appear; DEMO_FILL for any other.
DEMO_FILLS = {
    prose.PLATFORMS: [
        "依托区政府门户网站政府信息公开专栏发布信息，在办公场所设置公示栏，"
        "重要信息同步在政务新媒体发布。"
    ],
    prose.SUPERVISION: [
        "明确办公室承担政务公开日常工作，配备兼职工作人员1名；全年组织业务培训2次，"
        "将政务公开纳入年度考核，未发生责任追究情况。"
    ],
    prose.RECTIFICATION: ["上年度指出的栏目更新不及时问题，已建立每月检查制度，整改完成。"],
    prose.FILL: [
        "一是政策解读形式较为单一；二是工作人员业务能力有待提高。",
        "一是推行图文、问答等多种解读形式；二是每季度开展一次业务培训和自查。",
    ],
    prose.OTHER_MATTERS: ["本年度无其他需要报告的事项。"],
}


def _fill(text: str) -> str:
    left = {k: list(v) for k, v in DEMO_FILLS.items()}

    def one(match) -> str:
        fills = left.get(match.group(0))
        return fills.pop(0) if fills else DEMO_FILL

    return PLACEHOLDER_RE.sub(one, text)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone())


def _enter_figures(org, year: int, user) -> None:
    """The year's 年度主动公开数据 (zeros, invented for the demo): without them table 2
    has four blank cells and the report cannot pass the checker (format rule 9)."""
    if YearlyFigures.objects.filter(organization=org, year=year).exists():
        return
    if user is not None:
        disclosure_services.yearly_figures_save(
            organization=org,
            acting_user=user,
            year=year,
            licensing=0,
            penalty=0,
            coercion=0,
            fees=Decimal("0"),
        )
    else:  # the demo gives this body no staff: as its administrator would enter them
        YearlyFigures.objects.create(organization=org, year=year)


def _direct(
    org,
    year: int,
    status: str,
    when: date | None,
    sections: dict | None = None,
    *,
    clerk=None,
):
    """Demo shortcut for bodies without a full staff: the same cells and generated
    prose as the services produce, stored in the given state, audited."""
    _enter_figures(org, year, clerk)
    report = AnnualReport(organization=org, year=year)
    services._fill_generated(report)
    for number in range(1, 7):  # the clerk's part of the generated draft (invented for the demo)
        text = getattr(report, f"section_{number}")
        setattr(report, f"section_{number}", _fill(text))
    if sections:
        for number, text in sections.items():
            setattr(report, f"section_{number}", text)
    cells = cells_to_json(report_compute(organization=org, year=year).cells)
    report.status = status
    report.cells = cells
    report.submitted_at = _at(when) if when else None
    if status == Status.PUBLISHED:
        report.published_cells = cells
        report.published_at = _at(when)
    report.save()
    audit_record(
        actor=None,
        organization=org,
        verb="report.demo",
        obj=report,
        to_state=status,
        comment="演示数据",
    )
    return report


def _ganhetan_last_year(ctx, last: int) -> None:
    """甘河滩镇's report on last year: generated from the records in January, the
    clerk's parts written, then submitted, approved and published before the
    town deadline of 20 February (条例第四十九条; the district's date).  While
    that deadline is still ahead of the demo's today, it stays a draft."""
    start = date(last + 1, 1, 12)
    submit, approve, publish = date(last + 1, 2, 9), date(last + 1, 2, 11), date(last + 1, 2, 13)
    report = services.report_start(
        organization=ctx.ganhetan, year=last, acting_user=ctx.clerk, today=start, now=_at(start)
    )
    if publish >= ctx.today:
        return
    _enter_figures(ctx.ganhetan, last, ctx.office_head)
    sections = {n: _fill(getattr(report, f"section_{n}")) for n in range(1, 7)}
    services.report_update_prose(
        report=report, sections=sections, acting_user=ctx.clerk, now=_at(start)
    )
    services.report_submit(report=report, acting_user=ctx.clerk, now=_at(submit))
    services.report_approve(report=report, acting_user=ctx.approver, now=_at(approve))
    services.report_publish(report=report, acting_user=ctx.approver, now=_at(publish))


def load(ctx) -> None:
    SupervisionSettings.objects.create(
        organization=ctx.district, town_deadline_month=2, town_deadline_day=20
    )
    # 甘河滩镇 2024: through the real workflow, published on time (its 2024 年度主动公开数据
    # are entered by the disclosure demo; submitting needs them, format rule 9).
    report = services.report_start(
        organization=ctx.ganhetan,
        year=2024,
        acting_user=ctx.clerk,
        today=date(2025, 1, 20),
        now=_at(date(2025, 1, 20)),
    )
    services.report_update_prose(
        report=report, sections=GANHETAN_2024, acting_user=ctx.clerk, now=_at(date(2025, 1, 20))
    )
    # One clock: every stamp of the 2024 report is taken from the demo's own dates.
    services.report_submit(report=report, acting_user=ctx.clerk, now=_at(date(2025, 2, 5)))
    services.report_approve(report=report, acting_user=ctx.approver, now=_at(date(2025, 2, 7)))
    services.report_publish(report=report, acting_user=ctx.approver, now=_at(date(2025, 2, 10)))
    last = ctx.today.year - 1
    if last > 2024:
        _ganhetan_last_year(ctx, last)
    _direct(ctx.liulin, 2024, Status.PUBLISHED, date(2025, 3, 5), clerk=ctx.liulin_clerk)
    if last > 2024:
        # 柳林镇 is late again: its report on last year is still a draft (the
        # district's 督办 on it is in the urging demo).
        _direct(ctx.liulin, last, Status.DRAFT, None, clerk=ctx.liulin_clerk)
    _direct(ctx.minzheng, 2024, Status.PUBLISHED, date(2025, 1, 20), clerk=ctx.minzheng_clerk)
    # 河湾区人民政府 publishes its own 2024 report on time (条例第四十九条: 1月31日前);
    # its report on last year waits for approval.
    clerk = ctx.district_clerk
    _direct(ctx.district, 2024, Status.PUBLISHED, date(2025, 1, 24), clerk=clerk)
    if last > 2024:
        _direct(ctx.district, last, Status.SUBMITTED, date(last + 1, 1, 20), clerk=clerk)
    ctx.log(
        "年度报告：甘河滩镇2024年度已按期公布，柳林镇逾期公布，区民政局、区政府按期公布；"
        "区政府上一年度报告待审批；柳林镇上一年度报告尚未公布。"
    )
