"""统一受理（集约化）: the county's queue, 分办/签收/退回/转办, the clock at each hop
under both clock-start rules, visibility, table 3 and the 36(5) letter.

Dates around 国庆 2026 (chinesecalendar): 2026-09-29 Tue and 09-30 Wed are working
days, 10-01..10-07 are holidays, 10-10 (Saturday) is a make-up working day,
10-11 is a Sunday.  "N working days from D" is the N-th working day after D
(条例第三十三条第二款).
"""

from __future__ import annotations

import random
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.test import Client
from docx import Document

from gongkai.applications import services
from gongkai.applications.models import Application, IntakeHop, Letter, UnifiedIntake
from gongkai.applications.permissions import applications_visible_to
from gongkai.applications.selectors import application_status_for_public, worklists
from gongkai.applications.workflow import INTAKE_NOT_HELD
from gongkai.audit.models import AuditEvent
from gongkai.core import counting
from gongkai.organizations.factories import OrganizationFactory, user_with_role
from gongkai.organizations.models import Role
from gongkai.privacy.sample import make_id
from gongkai.reports.compute import table3_cells

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(d: date, hour: int = 10) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=TZ)


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def intake(district):
    return UnifiedIntake.objects.create(organization=district)


@pytest.fixture
def county_clerk(district):
    return user_with_role(district, Role.CLERK, username="county_clerk")


def submit(intake, on: date = date(2026, 9, 29), requested=None) -> Application:
    """An online application on the county's unified form (received the day it is sent)."""
    return services.application_receive_unified(
        intake=intake,
        requested_organization=requested,
        channel="online",
        applicant_type="natural",
        applicant_name="张三",
        id_number="110101199003070011",
        phone="13800001234",
        email="zhangsan@example.org",
        address="测试市测试路2号",
        description="请公开2026年农村危房改造补助资金发放名单",
        form_wanted="electronic",
        delivery="email",
        submitted_on=on,
        acting_user=None,
        now=at(on),
    )


# --- the clock at each hop ----------------------------------------------------------------


def test_platform_rule_clock_runs_from_the_platforms_receipt_through_every_hop(
    settings, intake, county_clerk, clerk, org, other_org, other_clerk
):
    settings.GONGKAI_INTAKE_CLOCK_START = "platform"
    a = submit(intake, date(2026, 9, 29))
    # Reply: 20th working day after 09-29 skipping 国庆 (10-10 is worked) = 11-02.
    assert a.received_on == a.intake_received_on == date(2026, 9, 29)
    assert a.due_on == date(2026, 11, 2)
    # Dispatch within 1 working day: the next working day, 09-30.
    assert a.dispatch_due_on == date(2026, 9, 30)
    assert a.organization == intake.organization and a.intake_state == "pending"

    a = services.application_dispatch(
        application=a, to_organization=org, acting_user=county_clerk, now=at(date(2026, 10, 8))
    )
    assert (a.organization, a.intake_state) == (org, "dispatched")
    assert a.due_on == date(2026, 11, 2)  # the hop does not move the applicant's date

    a = services.application_return(
        application=a, reason="不属于本镇职责", acting_user=clerk, now=at(date(2026, 10, 8))
    )
    assert (a.organization, a.intake_state) == (intake.organization, "pending")
    assert a.dispatch_due_on == date(2026, 10, 9)  # one working day from the return

    a = services.application_dispatch(
        application=a,
        to_organization=other_org,
        acting_user=county_clerk,
        now=at(date(2026, 10, 9)),
    )
    a = services.application_sign(
        application=a, acting_user=other_clerk, now=at(date(2026, 10, 10))
    )
    assert a.intake_state == "signed" and a.received_on == date(2026, 9, 29)
    assert a.due_on == date(2026, 11, 2)
    kinds = list(a.hops.values_list("kind", "on", "due_on"))
    assert kinds == [
        ("received", date(2026, 9, 29), date(2026, 11, 2)),
        ("dispatched", date(2026, 10, 8), date(2026, 11, 2)),
        ("returned", date(2026, 10, 8), date(2026, 11, 2)),
        ("dispatched", date(2026, 10, 9), date(2026, 11, 2)),
        ("signed", date(2026, 10, 10), date(2026, 11, 2)),
    ]
    returned = a.hops.get(kind="returned")
    assert returned.dispatch_due_on == date(2026, 10, 9)
    assert returned.from_organization == org and returned.reason == "不属于本镇职责"


def test_signed_rule_clock_starts_when_the_answering_body_signs(
    settings, intake, county_clerk, clerk, org, other_org, other_clerk
):
    settings.GONGKAI_INTAKE_CLOCK_START = "signed"
    a = submit(intake, date(2026, 9, 29))
    assert a.due_on is None  # no body holds it: no reply period runs yet
    a = services.application_dispatch(
        application=a, to_organization=org, acting_user=county_clerk, now=at(date(2026, 10, 8))
    )
    assert a.due_on is None
    a = services.application_sign(application=a, acting_user=clerk, now=at(date(2026, 10, 9)))
    # 20th working day after 10-09 (10-10 worked, 10-11 Sunday) = 11-05.
    assert (a.received_on, a.due_on) == (date(2026, 10, 9), date(2026, 11, 5))
    a = services.application_transfer(
        application=a,
        to_organization=other_org,
        reason="属于另一镇的信息",
        acting_user=clerk,
        now=at(date(2026, 10, 12)),
    )
    assert (a.organization, a.intake_state, a.due_on) == (other_org, "dispatched", None)
    a = services.application_sign(
        application=a, acting_user=other_clerk, now=at(date(2026, 10, 13))
    )
    # 20th working day after 10-13 = 11-10.
    assert (a.received_on, a.due_on) == (date(2026, 10, 13), date(2026, 11, 10))
    signed = list(a.hops.filter(kind="signed").values_list("received_on", "due_on"))
    assert signed == [
        (date(2026, 10, 9), date(2026, 11, 5)),
        (date(2026, 10, 13), date(2026, 11, 10)),
    ]
    assert a.intake_received_on == date(2026, 9, 29)


def test_the_countys_own_rule_overrides_the_platform_setting(
    settings, intake, county_clerk, clerk, org
):
    settings.GONGKAI_INTAKE_CLOCK_START = "platform"
    intake.clock_start = "signed"
    intake.dispatch_days = 3
    intake.save()
    a = submit(intake, date(2026, 9, 29))
    # 3rd working day after 09-29: 09-30, 10-08, 10-09.
    assert a.dispatch_due_on == date(2026, 10, 9)
    assert a.due_on is None
    a = services.application_dispatch(
        application=a, to_organization=org, acting_user=county_clerk, now=at(date(2026, 10, 8))
    )
    a = services.application_sign(application=a, acting_user=clerk, now=at(date(2026, 10, 9)))
    assert a.due_on == date(2026, 11, 5)


# --- permissions and visibility ------------------------------------------------------------


def test_visible_to_the_receiving_body_only_after_dispatch(
    intake, county_clerk, clerk, org, other_clerk
):
    a = submit(intake)
    assert not applications_visible_to(clerk).filter(pk=a.pk).exists()
    assert applications_visible_to(county_clerk).filter(pk=a.pk).exists()
    services.application_dispatch(
        application=a, to_organization=org, acting_user=county_clerk, now=at(date(2026, 9, 30))
    )
    assert applications_visible_to(clerk).filter(pk=a.pk).exists()
    assert not applications_visible_to(other_clerk).filter(pk=a.pk).exists()
    assert not applications_visible_to(county_clerk).filter(pk=a.pk).exists()


def test_who_may_take_each_step(intake, county_clerk, clerk, org, other_clerk, supervisor):
    a = submit(intake)
    now = at(date(2026, 9, 30))
    for user in (clerk, supervisor):
        with pytest.raises(PermissionDenied):
            services.application_dispatch(
                application=a, to_organization=org, acting_user=user, now=now
            )
    a = services.application_dispatch(
        application=a, to_organization=org, acting_user=county_clerk, now=now
    )
    for user in (county_clerk, other_clerk, supervisor):
        with pytest.raises(PermissionDenied):
            services.application_sign(application=a, acting_user=user, now=now)
        with pytest.raises(PermissionDenied):
            services.application_return(application=a, reason="x", acting_user=user, now=now)
    a.refresh_from_db()
    assert a.intake_state == "dispatched"


def test_refusals_in_chinese(intake, county_clerk, clerk, org, other_org):
    outside = OrganizationFactory(name="外县人民政府", slug="outside", level="county")
    a = submit(intake)
    now = at(date(2026, 9, 30))
    with pytest.raises(ValidationError, match="不是测试区人民政府统一受理范围内的机关"):
        services.application_dispatch(
            application=a, to_organization=outside, acting_user=county_clerk, now=now
        )
    with pytest.raises(ValidationError, match="待分办.*不能签收"):
        services.application_sign(application=a, acting_user=county_clerk, now=now)
    a = services.application_dispatch(
        application=a, to_organization=org, acting_user=county_clerk, now=now
    )
    with pytest.raises(ValidationError, match="请填写退回的理由"):
        services.application_return(application=a, reason="  ", acting_user=clerk, now=now)
    # Before signing, the body cannot start the clock's steps.
    with pytest.raises(ValidationError, match="尚未由承办机关签收"):
        services.application_request_correction(
            application=a,
            on=date(2026, 9, 30),
            until=date(2026, 10, 20),
            what="x",
            acting_user=clerk,
            now=now,
        )
    a = services.application_sign(application=a, acting_user=clerk, now=now)
    with pytest.raises(ValidationError, match="已签收.*不能退回.*请转办"):
        services.application_return(application=a, reason="晚了", acting_user=clerk, now=now)
    services.application_request_correction(
        application=a,
        on=date(2026, 9, 30),
        until=date(2026, 10, 20),
        what="请写明年份",
        acting_user=clerk,
        now=now,
    )
    with pytest.raises(ValidationError, match="第三十六条第（五）项"):
        services.application_transfer(
            application=a,
            to_organization=other_org,
            reason="不是我们的",
            acting_user=clerk,
            now=now,
        )
    a.refresh_from_db()
    assert (a.organization, a.intake_state) == (org, "signed")
    direct = services.application_receive(
        organization=org,
        channel="in_person",
        applicant_type="natural",
        applicant_name="李四",
        id_number="",
        phone="13900001111",
        email="",
        address="",
        description="某文件",
        form_wanted="paper",
        delivery="pickup",
        submitted_on=date(2026, 9, 30),
        acting_user=clerk,
        now=now,
    )
    with pytest.raises(ValidationError, match="不是经统一受理平台提交的"):
        services.application_transfer(
            application=direct,
            to_organization=other_org,
            reason="x",
            acting_user=clerk,
            now=now,
        )


def test_every_step_is_audited_with_a_chinese_label(intake, county_clerk, clerk, org):
    from gongkai.core.audit_verbs import registry

    a = submit(intake)
    now = at(date(2026, 9, 30))
    a = services.application_dispatch(
        application=a, to_organization=org, acting_user=county_clerk, now=now
    )
    services.application_sign(application=a, acting_user=clerk, now=now)
    verbs = list(
        AuditEvent.objects.filter(object_id=str(a.pk), verb__startswith="intake")
        .order_by("pk")
        .values_list("verb", "from_state", "to_state")
    )
    assert verbs == [
        ("intake.receive", "", "pending"),
        ("intake.dispatch", "pending", "dispatched"),
        ("intake.sign", "dispatched", "signed"),
    ]
    assert [registry.label(v) for v, _, _ in verbs] == ["统一受理平台收到申请", "分办", "签收"]


# --- table 3 -------------------------------------------------------------------------------


def test_table3_counts_once_for_the_body_that_answered(
    intake, county_clerk, clerk, org, other_org, other_clerk, district
):
    answered = submit(intake, date(2026, 9, 29))
    answered = services.application_dispatch(
        application=answered,
        to_organization=org,
        acting_user=county_clerk,
        now=at(date(2026, 9, 30)),
    )
    answered = services.application_transfer(
        application=answered,
        to_organization=other_org,
        reason="属另一镇",
        acting_user=clerk,
        now=at(date(2026, 9, 30)),
    )
    answered = services.application_sign(
        application=answered, acting_user=other_clerk, now=at(date(2026, 10, 8))
    )
    services.application_close(
        application=answered,
        outcome="granted",
        reply_on=date(2026, 10, 9),
        acting_user=other_clerk,
        now=at(date(2026, 10, 9)),
    )
    still_queued = submit(intake, date(2026, 12, 30))  # undispatched at year end
    assert still_queued.intake_state in INTAKE_NOT_HELD

    def cells(*orgs):
        c = table3_cells(organization_ids=[o.pk for o in orgs], year=2026)
        return c["t3.new.total"], c["t3.granted.total"], c["t3.carry_forward.total"]

    assert cells(other_org) == (1, 1, 0)
    assert cells(org) == (0, 0, 0)
    assert cells(district) == (0, 0, 0)  # the county only dispatched
    assert cells(district, org, other_org) == (1, 1, 0)  # the aggregate counts it once
    # The per-row twin (the year lock) agrees.
    assert counting.t3_contribution(still_queued, 2026) is None
    assert counting.T3_NOT_HELD == INTAKE_NOT_HELD
    # Once a body signs it in the next year, it is that body's 2026 carry-forward.
    still_queued = services.application_dispatch(
        application=still_queued,
        to_organization=org,
        acting_user=county_clerk,
        now=at(date(2027, 1, 4)),
    )
    services.application_sign(application=still_queued, acting_user=clerk, now=at(date(2027, 1, 4)))
    assert cells(org) == (1, 0, 1)


def test_work_lists_leave_out_applications_no_body_holds(intake, county_clerk, district, org):
    a = submit(intake)
    lists = worklists(Application.objects.filter(organization=district), today=date(2026, 9, 30))
    assert not lists.open.filter(pk=a.pk).exists()
    services.application_dispatch(
        application=a, to_organization=org, acting_user=county_clerk, now=at(date(2026, 9, 30))
    )
    lists = worklists(Application.objects.filter(organization=org), today=date(2026, 9, 30))
    assert not lists.open.filter(pk=a.pk).exists()


# --- 条例第三十六条第（五）项 ----------------------------------------------------------------------


def _letter_text(letter: Letter) -> str:
    with letter.file.open("rb") as fh:
        return "\n".join(p.text for p in Document(fh).paragraphs)


def test_the_not_ours_letter_names_the_responsible_body(
    intake, county_clerk, clerk, org, other_org
):
    other_org.office_phone = "0931-1234567"
    other_org.office_address = "另一镇政府大院1号"
    other_org.save()
    a = submit(intake)
    now = at(date(2026, 9, 30))
    a = services.application_dispatch(
        application=a, to_organization=org, acting_user=county_clerk, now=now
    )
    a = services.application_sign(application=a, acting_user=clerk, now=now)
    services.application_close(
        application=a,
        outcome="unable_not_held",
        reply_on=date(2026, 9, 30),
        reasons="本机关未制作或获取该信息",
        responsible_organization=other_org,
        acting_user=clerk,
        now=now,
    )
    text = _letter_text(Letter.objects.get(application=a))
    assert "第三十六条第（五）项" in text
    assert "负责公开该政府信息的行政机关为另一镇人民政府" in text
    assert "0931-1234567" in text and "另一镇政府大院1号" in text


def test_not_ours_needs_a_contact_and_the_right_outcome(intake, clerk, org):
    a = services.application_receive(
        organization=org,
        channel="in_person",
        applicant_type="natural",
        applicant_name="李四",
        id_number="",
        phone="13900001111",
        email="",
        address="",
        description="某文件",
        form_wanted="paper",
        delivery="pickup",
        submitted_on=date(2026, 9, 30),
        acting_user=clerk,
        now=at(date(2026, 9, 30)),
    )
    with pytest.raises(ValidationError, match="联系方式"):
        services.application_close(
            application=a,
            outcome="unable_not_held",
            reply_on=date(2026, 9, 30),
            reasons="不属于本机关",
            responsible_body="某市生态环境局",
            acting_user=clerk,
            now=at(date(2026, 9, 30)),
        )
    with pytest.raises(ValidationError, match="本机关不掌握相关政府信息"):
        services.application_close(
            application=a,
            outcome="granted",
            reply_on=date(2026, 9, 30),
            responsible_body="某市生态环境局",
            responsible_contact="0931-7654321",
            acting_user=clerk,
            now=at(date(2026, 9, 30)),
        )
    services.application_close(
        application=a,
        outcome="unable_not_held",
        reply_on=date(2026, 9, 30),
        reasons="不属于本机关",
        responsible_body="某市生态环境局",
        responsible_contact="0931-7654321",
        acting_user=clerk,
        now=at(date(2026, 9, 30)),
    )
    text = _letter_text(Letter.objects.get(application=a))
    assert "某市生态环境局（联系方式：0931-7654321）" in text


# --- the applicant's status look-up ------------------------------------------------------------


def test_status_lookup_shows_each_hop_without_staff_names(intake, county_clerk, clerk, org):
    a = submit(intake)
    a = services.application_dispatch(
        application=a, to_organization=org, acting_user=county_clerk, now=at(date(2026, 9, 30))
    )
    services.application_return(
        application=a,
        reason="内部意见：张科长说不归我们",
        acting_user=clerk,
        now=at(date(2026, 9, 30)),
    )
    result = application_status_for_public(tracking_code=a.tracking_code, phone_last4="1234")
    assert [(h.label, h.from_name, h.to_name) for h in result.hops] == [
        ("统一受理平台收到申请", "", "测试区人民政府"),
        ("分办", "测试区人民政府", "测试镇人民政府"),
        ("退回", "测试镇人民政府", "测试区人民政府"),
    ]
    html = render_to_string("portal/_status_hops.html", {"result": result})
    assert "2026年9月30日" in html and "测试镇人民政府 → 测试区人民政府" in html
    for private in ("county_clerk", "clerk", "张科长", "内部意见"):
        assert private not in html


# --- the back office ------------------------------------------------------------------------------


def test_county_queue_dispatch_and_overdue(client_for, intake, county_clerk, org, other_org):
    a = submit(intake, date(2026, 9, 29), requested=other_org)
    with time_machine.travel(at(date(2026, 10, 8)), tick=False):
        client = client_for(county_clerk)
        page = client.get("/backoffice/applications/intake/")
        assert page.status_code == 200
        body = page.content.decode()
        # Due 09-30 (1 working day after 09-29), and today is 10-08.
        assert a.tracking_code in body and "分办超期" in body
        assert "有 1 件申请已超过分办时限" in body
        assert "另一镇人民政府" in body  # the body the applicant named
        response = client.post(
            f"/backoffice/applications/intake/{a.pk}/dispatch/",
            {f"d{a.pk}-to_organization": org.pk, f"d{a.pk}-note": ""},
        )
        assert response.status_code == 302
        a.refresh_from_db()
        assert (a.organization, a.intake_state) == (org, "dispatched")
        page = client.get("/backoffice/applications/intake/").content.decode()
    assert "目前没有待分办的申请" in page and "分办超期" not in page
    assert a.hops.get(kind="dispatched").on == date(2026, 10, 8)


def test_body_signs_returns_and_transfers_in_the_back_office(
    client_for, intake, county_clerk, clerk, org, other_org
):
    a = submit(intake)
    services.application_dispatch(
        application=a, to_organization=org, acting_user=county_clerk, now=at(date(2026, 9, 30))
    )
    client = client_for(clerk)
    inbox = client.get("/backoffice/applications/intake/").content.decode()
    assert a.tracking_code in inbox
    detail = client.get(f"/backoffice/applications/{a.pk}/").content.decode()
    assert 'id="intake-hops"' in detail and "退回统一受理平台" in detail
    # 退回 without a reason: refused, nothing changes.
    response = client.post(f"/backoffice/applications/intake/{a.pk}/return/", {})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.intake_state == "dispatched"
    response = client.post(
        f"/backoffice/applications/intake/{a.pk}/transfer/",
        {"intake-transfer-to_organization": other_org.pk, "intake-transfer-reason": "属另一镇"},
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.organization, a.intake_state) == (other_org, "dispatched")
    # The transferring body no longer sees it.
    assert client.get(f"/backoffice/applications/{a.pk}/").status_code == 404


def test_sign_in_the_back_office(client_for, intake, county_clerk, clerk, org):
    a = submit(intake)
    services.application_dispatch(
        application=a, to_organization=org, acting_user=county_clerk, now=at(date(2026, 9, 30))
    )
    response = client_for(clerk).post(f"/backoffice/applications/intake/{a.pk}/sign/")
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.intake_state == "signed"
    assert IntakeHop.objects.filter(application=a, kind="signed").count() == 1
    # the county cannot sign for the town
    b = submit(intake)
    services.application_dispatch(
        application=b, to_organization=org, acting_user=county_clerk, now=at(date(2026, 9, 30))
    )
    assert (
        client_for(county_clerk).post(f"/backoffice/applications/intake/{b.pk}/sign/").status_code
        == 404
    )


def test_settings_page(client_for, district, org):
    head = user_with_role(district, Role.OFFICE_HEAD, username="county_head")
    client = client_for(head)
    response = client.post(
        "/backoffice/applications/intake/settings/",
        {"is_active": "on", "clock_start": "signed", "dispatch_days": "2", "intro": "统一受理"},
    )
    assert response.status_code == 302
    intake = UnifiedIntake.objects.get(organization=district)
    assert (intake.clock_start, intake.dispatch_days) == ("signed", 2)
    assert AuditEvent.objects.filter(verb="intake_settings.save").exists()
    # A town cannot open one; a clerk may not change the settings.
    town_head = user_with_role(org, Role.OFFICE_HEAD, username="town_head")
    page = client_for(town_head).post(
        "/backoffice/applications/intake/settings/", {"is_active": "on"}
    )
    assert "由县级机关开设" in page.content.decode()
    assert not UnifiedIntake.objects.filter(organization=org).exists()
    clerk = user_with_role(district, Role.CLERK, username="county_clerk2")
    assert client_for(clerk).get("/backoffice/applications/intake/settings/").status_code == 403


# --- the unified form on the portal -------------------------------------------------------------


def test_county_form_receives_for_the_platform(intake, other_org):
    data = {
        "applicant_type": "natural",
        "applicant_name": "张三",
        "id_number": make_id(random.Random(1)),
        "phone": "138 0013 8000",
        "email": "zhang@example.com",
        "address": "",
        "description": "2026年低保对象名单",
        "form_wanted": "electronic",
        "delivery": "email",
        "confirm": "on",
        "requested_organization": other_org.pk,
    }
    client = Client()
    page = client.get("/test-district/apply/").content.decode()
    assert "统一申请（测试区人民政府及所属机关）" in page and "希望由哪个机关答复" in page
    response = client.post("/test-district/apply/", data)
    assert response.status_code == 302
    a = Application.objects.get()
    assert (a.intake, a.intake_state, a.requested_organization) == (intake, "pending", other_org)
    assert a.organization == intake.organization
    receipt = client.get(response["Location"]).content.decode()
    assert "统一受理平台已收到" in receipt
    # A town's own form stays (条例第二十七条) and points to the county's entrance.
    town = client.get("/other-town/apply/").content.decode()
    assert "希望由哪个机关答复" not in town
    assert 'id="intake-above"' in town and 'href="/test-district/apply/"' in town
    intake.is_active = False
    intake.save()
    assert 'id="intake-above"' not in client.get("/other-town/apply/").content.decode()


def test_receipt_under_the_signed_rule_does_not_promise_the_submission_day(intake, other_org):
    from gongkai.portal.apply import RECEIPT_DAY_RULE

    intake.clock_start = "signed"
    intake.save()
    client = Client()
    response = client.post(
        "/test-district/apply/",
        {
            "applicant_type": "natural",
            "applicant_name": "张三",
            "id_number": make_id(random.Random(2)),
            "phone": "13800138000",
            "email": "zhang@example.com",
            "address": "",
            "description": "2026年低保对象名单",
            "form_wanted": "electronic",
            "delivery": "email",
            "confirm": "on",
        },
    )
    receipt = client.get(response["Location"]).content.decode()
    assert RECEIPT_DAY_RULE not in receipt
    assert "答复期限自承办机关签收之日起计算" in receipt and "自签收之日起20个工作日内" in receipt
    # Closing the county's form later does not rewrite what this applicant was told.
    intake.is_active = False
    intake.save()
    assert "自签收之日起20个工作日内" in client.get(response["Location"]).content.decode()


def test_database_refuses_a_closed_application_no_body_signed_for(intake):
    a = submit(intake)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=a.pk).update(
            status="closed", outcome="granted", reply_on=date(2026, 9, 30)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=a.pk).update(intake_state="")


def test_close_form_names_the_other_body(client_for, clerk, org, other_org):
    a = services.application_receive(
        organization=org,
        channel="in_person",
        applicant_type="natural",
        applicant_name="李四",
        id_number="",
        phone="13900001111",
        email="",
        address="",
        description="某文件",
        form_wanted="paper",
        delivery="pickup",
        submitted_on=date(2026, 9, 30),
        acting_user=clerk,
        now=at(date(2026, 9, 30)),
    )
    client = client_for(clerk)
    data = {
        "close-outcome": "unable_not_held",
        "close-reply_on": "2026-10-08",
        "close-reasons": "该信息由另一镇制作并保存",
        "close-responsible_organization": other_org.pk,
    }
    with time_machine.travel(at(date(2026, 10, 8)), tick=False):
        client = client_for(clerk)
        response = client.post(f"/backoffice/applications/{a.pk}/do/close/", data)
    assert response.status_code == 302
    event = a.events.get(kind="closed")
    assert event.data["responsible_body"] == "另一镇人民政府"
    assert "另一镇人民政府" in _letter_text(Letter.objects.get(application=a))


def test_county_registers_a_paper_application_on_the_platform(
    client_for, intake, county_clerk, district
):
    data = {
        "channel": "registered_mail",
        "applicant_type": "commercial",
        "applicant_name": "某某公司",
        "id_number": "",
        "phone": "010-12345678",
        "email": "",
        "address": "某地",
        "description": "某合同",
        "form_wanted": "paper",
        "delivery": "mail",
        "submitted_on": "2026-09-25",
        "signed_for_on": "2026-09-29",
        "unified": "on",
    }
    with time_machine.travel(at(date(2026, 9, 29)), tick=False):
        c = client_for(county_clerk)
        assert "登记到统一受理平台" in c.get("/backoffice/applications/new/").content.decode()
        response = c.post("/backoffice/applications/new/", data)
        assert response.status_code == 302 and response.url == "/backoffice/applications/intake/"
        a = Application.objects.get()
        # 条例第三十一条第（二）项: a posted application is received the day it is signed for.
        assert (a.intake_state, a.intake_received_on) == ("pending", date(2026, 9, 29))
        assert a.created_by == county_clerk
        data.pop("unified")
        c.post("/backoffice/applications/new/", data)
    own = Application.objects.exclude(pk=a.pk).get()
    assert (own.intake_id, own.intake_state, own.organization) == (None, "", district)


def test_dispatch_and_return_notify_the_staff_of_the_body_that_holds_it(
    intake, county_clerk, clerk, org, district
):
    from gongkai.notifications.models import Notice

    colleague = user_with_role(district, Role.CLERK, username="county_colleague")
    a = submit(intake)
    now = at(date(2026, 9, 30))
    a = services.application_dispatch(
        application=a, to_organization=org, acting_user=county_clerk, now=now
    )
    assigned = Notice.objects.get(event="application.assigned")
    assert assigned.user == clerk and assigned.organization == org
    assert a.tracking_code in assigned.title and "测试区人民政府（分办）" in assigned.body
    services.application_return(application=a, reason="不属本镇", acting_user=clerk, now=now)
    returned = Notice.objects.filter(event="application.returned")
    # Every clerk of the county (the town's clerk who returned it is not one).
    assert {n.user for n in returned} == {county_clerk, colleague}
    assert "不属本镇" in returned.first().body


def test_dashboard_counts_the_queue_and_the_bodys_list(intake, county_clerk, clerk, org, district):
    from types import SimpleNamespace

    from gongkai.applications.dashboard import widgets

    def intake_rows(user, body, role):
        found = widgets(SimpleNamespace(user=user), body, frozenset({role}))
        box = next((w for w in found if w["title"] == "统一受理"), None)
        return box and {r["label"]: r["value"] for r in box["rows"]}

    assert intake_rows(clerk, org, Role.CLERK) is None  # nothing waiting: no widget
    submit(intake, date(2026, 9, 29))
    b = submit(intake, date(2026, 9, 29))
    with time_machine.travel(at(date(2026, 10, 8)), tick=False):
        assert intake_rows(county_clerk, district, Role.CLERK) == {
            "待本机关签收": 0,
            "待分办": 2,
            "分办超期": 2,
        }
        services.application_dispatch(
            application=b, to_organization=org, acting_user=county_clerk, now=at(date(2026, 10, 8))
        )
        assert intake_rows(clerk, org, Role.CLERK) == {"待本机关签收": 1}


def test_status_page_shows_the_hops(intake, county_clerk, org):
    a = submit(intake)
    services.application_dispatch(
        application=a, to_organization=org, acting_user=county_clerk, now=at(date(2026, 9, 30))
    )
    page = (
        Client()
        .post("/status/", {"tracking_code": a.tracking_code, "phone_last4": "1234"})
        .content.decode()
    )
    assert "统一受理流转情况" in page
    assert "分办：测试区人民政府 → 测试镇人民政府" in page
    assert "county_clerk" not in page


def test_the_daily_refresh_leaves_an_unsigned_application_without_a_due_date(
    settings, intake, county_clerk, org
):
    settings.GONGKAI_INTAKE_CLOCK_START = "signed"
    a = submit(intake)
    services.application_refresh_deadlines(now=at(date(2026, 10, 8)))
    a.refresh_from_db()
    assert a.due_on is None
    settings.GONGKAI_INTAKE_CLOCK_START = "platform"
    b = submit(intake)
    Application.objects.filter(pk=b.pk).update(due_on=date(2026, 12, 31))  # a stale cache
    services.application_refresh_deadlines(now=at(date(2026, 10, 8)))
    b.refresh_from_db()
    assert b.due_on == date(2026, 11, 2)


def test_detail_page_shows_no_due_date_before_the_body_signs_under_the_signed_rule(
    settings, client_for, intake, county_clerk, clerk, org
):
    settings.GONGKAI_INTAKE_CLOCK_START = "signed"
    a = submit(intake, date(2026, 9, 29))
    services.application_dispatch(
        application=a, to_organization=org, acting_user=county_clerk, now=at(date(2026, 9, 30))
    )
    page = client_for(clerk).get(f"/backoffice/applications/{a.pk}/").content.decode()
    assert 'id="due-on"' not in page
    services.application_sign(application=a, acting_user=clerk, now=at(date(2026, 10, 9)))
    page = client_for(clerk).get(f"/backoffice/applications/{a.pk}/").content.decode()
    assert '<dd id="due-on">2026-11-05' in page


def test_the_receipt_notice_under_the_signed_rule_names_no_date_yet(
    settings, intake, django_capture_on_commit_callbacks
):
    from gongkai.notifications.models import Message

    settings.EMAIL_HOST = "smtp.example.org"  # the test backend is locmem
    settings.GONGKAI_INTAKE_CLOCK_START = "signed"
    with django_capture_on_commit_callbacks(execute=True):
        submit(intake, date(2026, 9, 29))
    received = Message.objects.filter(event="application.received", audience="applicant")
    body = received.get(channel="email").body
    assert "答复期限：自承办机关签收之日起20个工作日内" in body and "未定" not in body
    settings.GONGKAI_INTAKE_CLOCK_START = "platform"
    with django_capture_on_commit_callbacks(execute=True):
        other = submit(intake, date(2026, 9, 29))
    body = received.exclude(body=body).get(channel="email").body
    # 20th working day after 09-29 under the 2026 国庆 schedule (see the tests above).
    assert f"答复期限：{other.due_on.year}年{other.due_on.month}月{other.due_on.day}日" in body
