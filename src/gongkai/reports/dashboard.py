"""Dashboard widget: the state of last year's annual report, with its deadline."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from .deadlines import deadline_for
from .models import AnnualReport


def widgets(request, organization) -> list[dict]:
    if organization is None:
        return []
    today = timezone.localdate()
    year = today.year - 1
    report = AnnualReport.objects.filter(organization=organization, year=year).first()
    deadline = deadline_for(organization, year)
    status = report.get_status_display() if report else "未编制"
    url = (
        reverse("reports:report_detail", args=[year]) if report else reverse("reports:report_list")
    )
    return [
        {
            "title": "年度报告",
            "order": 40,
            "rows": [
                {"label": f"{year}年度报告", "value": status, "url": url},
                {
                    "label": "公布期限（条例第四十九条）",
                    "value": f"{deadline:%Y-%m-%d}",
                    "url": url,
                },
            ],
            "url": reverse("reports:report_list"),
        }
    ]
