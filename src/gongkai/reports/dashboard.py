"""Dashboard widget: the state of last year's annual report, with its deadline."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from .deadlines import deadline_for
from .models import AnnualReport


def widgets(request, organization, roles: frozenset[str]) -> list[dict]:
    if organization is None:
        return []
    today = timezone.localdate()
    year = today.year - 1
    report = AnnualReport.objects.filter(organization=organization, year=year).first()
    deadline = deadline_for(organization, year)
    url = (
        reverse("reports:report_detail", args=[year]) if report else reverse("reports:report_list")
    )
    # 条例第四十九条: the report is due by the deadline; an unpublished one past it is overdue.
    published = report is not None and report.is_published
    days_overdue = 0 if published else max(0, (today - deadline).days)
    return [
        {
            "title": "年度报告",
            "order": 40,
            "template": "reports/_dashboard_widget.html",
            "context": {
                "year": year,
                "status": report.get_status_display() if report else "未编制",
                "deadline": deadline,
                "days_overdue": days_overdue,
                "url": url,
            },
            "url": reverse("reports:report_list"),
        }
    ]
