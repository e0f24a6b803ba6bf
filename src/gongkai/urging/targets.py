"""What a 督办 can be about: the four kinds of overdue things, found, described and
checked here once.

- an application not answered by its due date (条例第三十三条; the clock is
  ``applications``'s: suspended while waiting for the applicant);
- a proactive item not published within 20 working days of being formed
  (条例第二十六条; the deadline is ``disclosure.selectors.publication_deadline``);
- an online inquiry past its reply period (a local rule, docs/inquiries.md);
- an annual report not published by its deadline (条例第四十九条).  The
  annual-report app sits above this one, so it registers how to read a report's
  deadline and publication date (:func:`register_report_status`, called in its
  ``AppConfig.ready``) and a report is referred to by (body, year).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from gongkai.applications.models import OPEN_STATUSES, WAITING_FOR_APPLICANT, Application
from gongkai.applications.workflow import INTAKE_NOT_HELD
from gongkai.core.errors import Invalid
from gongkai.disclosure.models import Item
from gongkai.disclosure.selectors import publication_deadline
from gongkai.disclosure.workflow import OPEN_STATES as ITEM_OPEN_STATES
from gongkai.inquiries.models import Inquiry
from gongkai.inquiries.workflow import OPEN_STATES as INQUIRY_OPEN_STATES
from gongkai.organizations.models import Organization
from gongkai.workcal.selectors import calendar
from gongkai.workdays import Calendar

# (deadline, published_on or None) of a body's annual report for a year.
ReportStatus = Callable[[Organization, int], tuple[date, date | None]]
_report_status: list[ReportStatus] = []


def register_report_status(reader: ReportStatus) -> None:
    """Called once by the annual-report app: how to read a report's deadline
    (条例第四十九条, or the county's date for towns) and publication date."""
    _report_status[:] = [reader]


@dataclass(frozen=True)
class Target:
    kind: str
    organization: Organization
    label: str  # what the 督办 is about, in a list
    deadline: date  # the date it was due
    basis: str  # the rule that set the deadline
    application: Application | None = None
    item: Item | None = None
    inquiry: Inquiry | None = None
    report_year: int | None = None

    def default_text(self) -> str:
        return (
            f"{self.organization.name}：\n"
            f"经查，你单位{self.label}，期限为{self.deadline:%Y年%m月%d日}（{self.basis}），"
            f"至今已逾期。请于回复期限内在平台签收本督办，抓紧办理，"
            f"并回复办理情况和承诺办结日期。"
        )

    @property
    def fields(self) -> dict:
        """The model fields that point at the target."""
        return {
            "kind": self.kind,
            "application": self.application,
            "item": self.item,
            "inquiry": self.inquiry,
            "report_year": self.report_year,
        }


NOT_OVERDUE = "该事项目前没有逾期，不需要督办。"


def _overdue_applications(body: Organization, today: date):
    # Same rule as the supervision page: open, past the stored due date, and not
    # waiting for the applicant (补正、缴费: the clock is suspended).  An
    # application of a unified intake the body has not signed for is still the
    # county's to place (it may come back by 退回): not the body's to answer.
    return (
        Application.objects.filter(organization=body, status__in=OPEN_STATUSES, due_on__lt=today)
        .exclude(status__in=WAITING_FOR_APPLICANT)
        .exclude(intake_state__in=INTAKE_NOT_HELD)
        .order_by("due_on", "pk")
    )


def application_target(application: Application, today: date) -> Target:
    # 条例第三十三条: the reply is due within 20 working days (extended by up to 20).
    if not _overdue_applications(application.organization, today).filter(pk=application.pk):
        raise Invalid(NOT_OVERDUE)
    return Target(
        "application",
        application.organization,
        f"{application.received_on:%Y年%m月%d日}收到的政府信息公开申请（查询码{application.tracking_code}）尚未答复",
        application.due_on,
        "《政府信息公开条例》第三十三条",
        application=application,
    )


def item_deadline(item: Item, today: date, cal: Calendar | None = None) -> date | None:
    """The 条例第二十六条 deadline of a proactive item still not published after it, else None."""
    if item.attribute != Item.Attribute.PROACTIVE or item.status not in ITEM_OPEN_STATES:
        return None
    deadline = publication_deadline(item, cal)
    if deadline is None or deadline >= today:
        return None
    return deadline.as_date()


def item_target(item: Item, today: date, cal: Calendar | None = None) -> Target:
    deadline = item_deadline(item, today, cal)
    if deadline is None:
        raise Invalid(NOT_OVERDUE)
    return Target(
        "item",
        item.organization,
        f"{item.formed_on:%Y年%m月%d日}形成的主动公开信息《{item.title[:200]}》尚未公开",
        deadline,
        "《政府信息公开条例》第二十六条：自形成或者变更之日起20个工作日内",
        item=item,
    )


def inquiry_target(inquiry: Inquiry, today: date) -> Target:
    if not (inquiry.status in INQUIRY_OPEN_STATES and inquiry.due_on < today):
        raise Invalid(NOT_OVERDUE)
    return Target(
        "inquiry",
        inquiry.organization,
        f"{inquiry.received_on:%Y年%m月%d日}收到的网上留言（查询码{inquiry.tracking_code}）尚未答复",
        inquiry.due_on,
        "本机关政民互动答复期限",
        inquiry=inquiry,
    )


def report_status(body: Organization, year: int) -> tuple[date, date | None]:
    if not _report_status:
        raise Invalid("年度报告模块未启用，不能督办年度报告。")
    return _report_status[0](body, year)


FIRST_REPORT_YEAR = 2008


def report_target(body: Organization, year: int, today: date) -> Target:
    # 条例第四十九条: published by 31 January (departments) or 31 March
    # (governments); towns by the county's own date.  Annual reports exist from
    # 2008 (the first 条例 took effect on 1 May 2008); none is due yet for this year.
    if not FIRST_REPORT_YEAR <= year <= today.year:
        raise Invalid(f"年度应在{FIRST_REPORT_YEAR}年至{today.year}年之间。")
    deadline, published_on = report_status(body, year)
    if published_on is not None or deadline >= today:
        raise Invalid(NOT_OVERDUE)
    return Target(
        "report",
        body,
        f"{year}年度政府信息公开工作年度报告尚未公布",
        deadline,
        "《政府信息公开条例》第四十九条",
        report_year=year,
    )


@dataclass
class Overdue:
    """A body's overdue things of the three record kinds, each with its target."""

    applications: list[Target]
    items: list[Target]
    inquiries: list[Target]

    def __len__(self) -> int:
        return len(self.applications) + len(self.items) + len(self.inquiries)


def overdue_of(body: Organization, today: date) -> Overdue:
    applications = [application_target(a, today) for a in _overdue_applications(body, today)]
    items = []
    cal = calendar()
    for item in Item.objects.filter(
        organization=body, attribute=Item.Attribute.PROACTIVE, status__in=ITEM_OPEN_STATES
    ).order_by("formed_on", "pk"):
        if item_deadline(item, today, cal) is not None:
            items.append(item_target(item, today, cal))
    inquiries = [
        inquiry_target(q, today)
        for q in Inquiry.objects.filter(
            organization=body, status__in=INQUIRY_OPEN_STATES, due_on__lt=today
        ).order_by("due_on", "pk")
    ]
    return Overdue(applications, items, inquiries)
