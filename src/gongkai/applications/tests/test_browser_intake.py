"""统一受理 end to end in the system Chromium: the applicant applies on the
county's unified form, the county's 公开办 dispatches (分办) to a town, the town
signs for it (签收), asks for 补正, records the applicant's 补正, answers; the
applicant follows the hops and downloads the answer letter (电子送达).  Every
actor uses their own browser context; e-mail goes to a real local SMTP server.

The dates are fixed with time-machine, which the live server's thread sees too
(the portal and the 分办/签收 steps take "today" from the clock; the clerk's
补正 and answer forms take their dates from the form).  Around 国庆 2025
(chinesecalendar): Sunday 09-28 is a make-up working day, 10-01..10-08 are
holidays, Saturday 10-11 is a make-up working day.  "N working days from D" is
the N-th working day after D (条例第三十三条第二款; test_clock.py).

Hand computation (clock start "platform", docs/decisions.md D63):
- Fri 2025-09-26, submitted online: 收到申请之日 2025-09-26 (条例第三十一条第（三）项,
  the system confirms at once).
- 分办 deadline, 1 working day (GONGKAI_INTAKE_DISPATCH_DAYS, local rule):
  09-28 (the make-up Sunday).
- Reply due, 20 working days (条例第三十三条第一款): 09-28, 09-29, 09-30 (3),
  10-09, 10-10, 10-11 (6), 10-13..10-17 (11), 10-20..10-24 (16),
  10-27..10-30 (20) → 2025-10-30.  Dispatch (09-28) and 签收 (09-29) leave it
  unchanged: under "platform" the platform's day of receipt counts.
- 补正 asked 09-30: within 7 working days of receipt (条例第三十条: by 10-13);
  the period stops (待补正后重新计算).
- 补正 received 10-15: the period runs again from that day (条例第三十条):
  10-16, 10-17 (2), 10-20..10-24 (7), 10-27..10-31 (12), 11-03..11-07 (17),
  11-10..11-12 (20) → 2025-11-12.
- Answered 10-28; the applicant first downloads the letter on 10-29: served
  2025-10-29 (electronic delivery, decision D65).
"""

from __future__ import annotations

import io
import random
import re
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from docx import Document

from gongkai.applications.models import Application, UnifiedIntake

# The real SMTP server of the notification tests (aiosmtpd), reused as is.
from gongkai.notifications.tests.conftest import smtp  # noqa: F401 - a pytest fixture
from gongkai.organizations.factories import user_with_role
from gongkai.organizations.models import Role
from gongkai.privacy.sample import make_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TZ = ZoneInfo("Asia/Shanghai")
APPLICANT_EMAIL = "wangwu@example.com"
PHONE = "13912345678"


def at(d: date, hour: int = 10) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=TZ)


@pytest.fixture(autouse=True)
def files(local_files):
    return local_files


@pytest.fixture
def intake(district):
    # The county body's unified form, platform rule and dispatch limit by default.
    return UnifiedIntake.objects.create(organization=district)


@pytest.fixture
def county_clerk(district):
    return user_with_role(district, Role.CLERK, username="county_clerk")


@pytest.fixture
def open_as(browser, live_server, login):
    """``open_as(user)`` -> a page in a fresh context (``None``: the public),
    signed in through the real form.  A fresh context per hop: the clock jumps
    weeks between hops, past the session's age."""
    contexts = []

    def make(user=None):
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        pg = context.new_page()
        pg.base_url = live_server.url
        if user is not None:
            login(pg, user)
        return pg

    yield make
    for context in contexts:
        context.close()


def mail_to(inbox, address: str, subject_part: str) -> str:
    """The body of the one e-mail to ``address`` whose subject has ``subject_part``
    (the send job runs on commit, in the server's thread; wait a little)."""
    for _ in range(50):
        found = [
            body
            for (rcpts, _msg), subject, body in zip(
                inbox.messages, inbox.subjects(), inbox.bodies(), strict=True
            )
            if address in rcpts and subject_part in subject
        ]
        if found:
            assert len(found) == 1, found
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no e-mail “{subject_part}” to {address}: {inbox.subjects()}")


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def submit(pg, action: str) -> None:
    with pg.expect_navigation():
        pg.locator(f"#action-{action} button[type=submit]").click()


def look_up(pg, code: str) -> None:
    pg.goto(f"{pg.base_url}/status/")
    pg.fill("#id_tracking_code", code)
    pg.fill("#id_phone_last4", PHONE[-4:])
    with pg.expect_navigation():
        pg.click("button:has-text('查询')")


def test_unified_intake_journey(
    open_as,
    screenshot,
    smtp,  # noqa: F811 - the imported fixture
    intake,
    county_clerk,
    clerk,
    org,
    district,
):
    with time_machine.travel(at(date(2025, 9, 26)), tick=True) as traveller:
        # --- Fri 09-26: the applicant applies on the county's unified form.
        applicant = open_as()
        applicant.goto(f"{applicant.base_url}/{district.slug}/apply/")
        applicant.fill("#id_applicant_name", "王五")
        applicant.fill("#id_id_number", make_id(random.Random(15)))
        applicant.fill("#id_phone", PHONE)
        applicant.fill("#id_email", APPLICANT_EMAIL)
        applicant.fill("#id_description", "2025年测试镇农村公路养护资金使用情况")
        applicant.select_option("#id_delivery", "online")
        applicant.check("#id_confirm")
        screenshot(applicant, "intake-apply")
        with applicant.expect_navigation():
            applicant.click("button:has-text('提交申请')")
        assert re.search(r"/apply/receipt/", applicant.url), applicant.locator("main").inner_text()
        code = applicant.locator("#tracking-code").inner_text().strip()
        application = Application.objects.get(tracking_code=code)
        assert application.intake_id == intake.pk
        assert application.received_on == date(2025, 9, 26)

        body = mail_to(smtp, APPLICANT_EMAIL, "已收到您的申请")
        assert code in body and "2025年9月26日" in body and "2025年10月30日" in body

        look_up(applicant, code)
        assert "2025年10月30日" in applicant.locator(".due").inner_text()
        hops = applicant.locator(".status-hops").inner_text()
        assert "2025年9月26日" in hops and district.name in hops
        assert "王五" not in applicant.content()

        # --- Sun 09-28 (make-up working day): the county's 公开办 dispatches.
        traveller.move_to(at(date(2025, 9, 28)))
        county = open_as(county_clerk)
        county.goto(f"{county.base_url}/backoffice/applications/intake/")
        row = county.locator("#intake-queue tbody tr", has_text=code)
        cells = row.locator("td")
        assert cells.nth(1).inner_text() == "2025-09-26"  # 平台收到申请之日
        assert cells.nth(2).inner_text() == "2025-09-28"  # 分办期限 (1 working day)
        assert cells.nth(3).inner_text() == "2025-10-30"  # 答复期限
        assert county.locator("#dispatch-overdue").count() == 0
        row.locator("select[name$=to_organization]").select_option(label=org.name)
        screenshot(county, "intake-queue")
        with county.expect_navigation():
            row.get_by_role("button", name="分办").click()
        assert f"已将申请 {code} 分办至{org.name}" in county.content()
        assert county.locator("#intake-queue-empty").is_visible()
        record = county.locator("#intake-record tbody tr", has_text=code).inner_text()
        assert org.name in record and "2025-10-30" in record
        # The town's clerks hear of it (application.assigned).
        body = mail_to(smtp, clerk.email, "已转到本单位")
        assert code in body and f"{district.name}（分办）" in body
        assert "答复期限2025年10月30日" in body

        # --- Mon 09-29: the town's clerk signs for it (签收).
        traveller.move_to(at(date(2025, 9, 29)))
        town = open_as(clerk)
        town.goto(f"{town.base_url}/backoffice/applications/intake/")
        inbox_row = town.locator("#intake-inbox tbody tr", has_text=code)
        assert inbox_row.locator("td").nth(2).inner_text() == "2025-10-30"
        with town.expect_navigation():
            inbox_row.get_by_role("button", name="签收").click()
        assert "答复期限 2025-10-30" in town.content()
        assert town.locator("#received-on").inner_text() == "2025-09-26"
        assert "2025-10-30" in town.locator("#due-on").inner_text()
        hop_rows = town.locator("#intake-hops tbody tr")
        assert hop_rows.count() == 3
        for i, (on, kind) in enumerate(
            [("2025-09-26", "收到"), ("2025-09-28", "分办"), ("2025-09-29", "签收")]
        ):
            text = hop_rows.nth(i).inner_text()
            assert on in text and kind in text and "2025-10-30" in text

        # --- Tue 09-30: 补正 (条例第三十条).
        traveller.move_to(at(date(2025, 9, 30)))
        town.reload()
        town.fill("#id_correction-on", "2025-09-30")
        town.fill("#id_correction-until", "2025-10-20")
        town.fill("#id_correction-what", "请写明所需信息涉及的村和路段名称")
        submit(town, "correction")
        assert "待补正后重新计算" in town.locator("#due-on").inner_text()
        assert "2025-10-20" in town.locator("#waiting-until").inner_text()
        letters = town.locator("#letters").inner_text()
        assert "政府信息公开申请补正通知书" in letters and "2025-09-30" in letters
        screenshot(town, "intake-correction")
        with town.expect_download() as info:
            town.locator("#letters a", has_text="补正通知书").click()
        text = docx_text(info.value.path().read_bytes())
        assert "王五" in text and "2025年10月20日" in text and "第三十条" in text

        body = mail_to(smtp, APPLICANT_EMAIL, "请补正您的申请")
        assert code in body
        assert "请写明所需信息涉及的村和路段名称" in body
        assert "请在2025年10月20日前补正" in body and "条例第三十条" in body

        look_up(applicant, code)
        assert "补正" in applicant.locator(".stage").inner_text()
        assert applicant.locator(".due").count() == 0  # the period stopped
        assert "王五" not in applicant.content()

        # --- Wed 10-15: the applicant's 补正 reaches the town; the clerk records it.
        traveller.move_to(at(date(2025, 10, 15)))
        town = open_as(clerk)
        town.goto(f"{town.base_url}/backoffice/applications/{application.pk}/")
        town.fill("#id_correction_received-on", "2025-10-15")
        submit(town, "correction_received")
        assert "2025-11-12" in town.locator("#due-on").inner_text()

        look_up(applicant, code)
        assert "2025年11月12日" in applicant.locator(".due").inner_text()

        # --- Tue 10-28: the town answers.
        traveller.move_to(at(date(2025, 10, 28)))
        town = open_as(clerk)
        town.goto(f"{town.base_url}/backoffice/applications/{application.pk}/")
        town.select_option("#id_close-outcome", "partial")
        town.fill("#id_close-reply_on", "2025-10-28")
        town.fill("#id_close-reasons", "涉及承包单位商业秘密的部分不予公开")
        submit(town, "close")
        assert "部分公开" in town.locator("#status").inner_text()
        assert town.locator("#reply-on").inner_text() == "2025-10-28"
        assert "尚未送达" in town.locator("#served-on").inner_text()

        body = mail_to(smtp, APPLICANT_EMAIL, "您的申请已答复")
        assert code in body and "2025年10月28日" in body and "部分公开" in body
        assert "/status/" in body

        # --- Wed 10-29: the applicant looks up the status and downloads the letter.
        traveller.move_to(at(date(2025, 10, 29)))
        applicant = open_as()
        look_up(applicant, code)
        assert "2025年10月28日" in applicant.locator(".status-result").inner_text()
        assert "办结" in applicant.locator(".stage").inner_text()
        hops = [li.inner_text() for li in applicant.locator(".status-hops li").all()]
        assert len(hops) == 3
        assert hops[0].startswith("2025年9月26日") and district.name in hops[0]
        assert hops[1].startswith("2025年9月28日") and f"{district.name} → {org.name}" in hops[1]
        assert hops[2].startswith("2025年9月29日") and org.name in hops[2]
        assert "王五" not in applicant.content()
        screenshot(applicant, "intake-status")
        applicant.set_viewport_size({"width": 360, "height": 740})
        assert applicant.evaluate("document.documentElement.scrollWidth") <= 360
        screenshot(applicant, "intake-status-360")
        answer = applicant.locator("#delivery-letters li", has_text="答复告知书")
        with applicant.expect_download() as info:
            answer.locator("a").click()
        content = info.value.path().read_bytes()
        assert content[:2] == b"PK"  # a DOCX is a zip archive
        text = docx_text(content)
        assert "王五" in text and "2025年9月26日" in text and "第三十七条" in text

        look_up(applicant, code)
        assert "2025年10月29日" in applicant.locator("#served-on").inner_text()

        town.reload()
        assert town.locator("#served-on").inner_text().startswith("2025-10-29")
        application.refresh_from_db()
        assert application.received_on == date(2025, 9, 26)
        assert application.reply_on == date(2025, 10, 28)
        assert application.delivery_record.served_on == date(2025, 10, 29)
