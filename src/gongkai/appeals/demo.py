"""Demo appeals: 河湾区民政局 and 柳林镇 in 2024, so the district's table 4 has numbers."""

from __future__ import annotations

from datetime import date

from gongkai.applications.models import Application

from .services import appeal_decide, appeal_file


def load(ctx) -> None:
    withheld = Application.objects.filter(
        organization=ctx.minzheng, outcome="withheld_third_party"
    ).first()
    rec = appeal_file(
        organization=ctx.minzheng,
        kind="reconsideration",
        filed_on=date(2024, 8, 12),
        authority="河湾区人民政府",
        case_number="河政复〔2024〕17号",
        applicant_name="周某",
        application=withheld,
        acting_user=ctx.minzheng_clerk,
        now=ctx.now,
    )
    appeal_decide(
        appeal=rec,
        result="upheld",
        decided_on=date(2024, 10, 9),
        acting_user=ctx.minzheng_clerk,
        now=ctx.now,
    )
    unable = Application.objects.filter(organization=ctx.liulin, outcome="unable_not_held").first()
    suit = appeal_file(
        organization=ctx.liulin,
        kind="litigation_direct",
        filed_on=date(2024, 11, 18),
        authority="河湾区人民法院",
        case_number="（2024）河0102行初45号",
        applicant_name="刘建军",
        application=unable,
        acting_user=ctx.liulin_clerk,
        now=ctx.now,
    )
    # Pending on 31 December 2024 (尚未审结), decided in 2025.
    appeal_decide(
        appeal=suit,
        result="corrected",
        decided_on=date(2025, 3, 14),
        acting_user=ctx.liulin_clerk,
        now=ctx.now,
    )
