from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gongkai.applications import services
from gongkai.applications.models import Application, LetterTemplate
from gongkai.audit.models import AuditEvent

from .factories import receive

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def app(org, clerk):
    a = receive(org, user=clerk)
    services.application_close(
        application=a, outcome="granted", reply_on=date(2024, 10, 18), acting_user=clerk
    )
    return a


@pytest.fixture
def open_app(org, clerk):
    return receive(org, user=clerk, applicant_name="王五")


def detail_urls(a):
    letter = a.letters.first()
    urls = [reverse("applications:detail", args=[a.pk])]
    if letter:
        urls.append(reverse("applications:letter_download", args=[a.pk, letter.pk]))
    return urls


def test_anonymous_is_sent_to_login(client, app):
    for url in [reverse("applications:list"), *detail_urls(app)]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url


def test_other_body_gets_404_everywhere(client_for, app, open_app, other_clerk):
    c = client_for(other_clerk)
    for url in detail_urls(app):
        assert c.get(url).status_code == 404
    for action in ("close", "extend", "correction", "consult", "assign"):
        url = reverse("applications:action", args=[open_app.pk, action])
        assert (
            c.post(url, {"close-reply_on": "2024-10-20", "close-outcome": "granted"}).status_code
            == 404
        )
    open_app.refresh_from_db()
    assert open_app.status == "open"
    listing = c.get(reverse("applications:list") + "?tab=all&scope=all")
    assert open_app.tracking_code not in listing.content.decode()


def test_supervisor_reads_but_cannot_act(client_for, app, open_app, supervisor):
    c = client_for(supervisor)
    detail, letter = detail_urls(app)
    assert c.get(detail).status_code == 200
    # Letters carry the applicant's name and address: own staff only.
    assert c.get(letter).status_code == 403
    page = c.get(app.get_absolute_url()).content.decode()
    assert "110101199003070011" not in page and "13800001234" not in page
    assert "张三" not in page and letter not in page
    assert "仅本机关工作人员可见" in page
    listing = c.get(reverse("applications:list") + "?tab=all&scope=all").content.decode()
    assert app.tracking_code in listing and open_app.tracking_code in listing
    assert "王五" not in listing and "张三" not in listing
    # No search by name across the supervised bodies.
    found = c.get(reverse("applications:list") + "?tab=all&scope=all&q=王五").content.decode()
    assert open_app.tracking_code not in found
    response = c.post(
        reverse("applications:action", args=[open_app.pk, "close"]),
        {"close-reply_on": "2024-10-20", "close-outcome": "granted"},
    )
    assert response.status_code == 403
    assert c.get(reverse("applications:create")).status_code == 403


def test_list_and_dashboard(client_for, clerk, app, open_app):
    c = client_for(clerk)
    page = c.get(reverse("applications:list") + "?tab=all").content.decode()
    assert app.tracking_code in page and open_app.tracking_code in page
    page = c.get(reverse("applications:list") + "?tab=open").content.decode()
    assert open_app.tracking_code in page and app.tracking_code not in page
    page = c.get(reverse("applications:list") + "?tab=all&q=王五").content.decode()
    assert open_app.tracking_code in page and app.tracking_code not in page
    assert "王五" in page
    detail, letter = detail_urls(app)
    assert "张三" in c.get(detail).content.decode()
    assert c.get(letter).status_code == 200
    dashboard = c.get(reverse("organizations:dashboard")).content.decode()
    assert "依申请公开" in dashboard and "全部在办" in dashboard


def test_register_through_the_form(client_for, clerk, org):
    c = client_for(clerk)
    assert c.get(reverse("applications:create")).status_code == 200
    data = {
        "channel": "registered_mail",
        "applicant_type": "commercial",
        "applicant_name": "某某公司",
        "id_number": "",
        "phone": "010-12345678",
        "email": "",
        "address": "某地",
        "description": "某合同",
        "form_wanted": "electronic",
        "delivery": "email",
        "submitted_on": "2024-09-25",
        "signed_for_on": "2024-09-27",
    }
    response = c.post(reverse("applications:create"), data)
    a = Application.objects.get()
    assert response.status_code == 302 and response.url == a.get_absolute_url()
    assert (a.received_on, a.due_on, a.created_by) == (date(2024, 9, 27), date(2024, 10, 30), clerk)
    page = c.get(a.get_absolute_url()).content.decode()
    assert "2024-10-30" in page and "条例第三十三条第二款" in page
    assert "010-12345678" in page  # the body's own staff see the contact details


def test_register_with_missing_date_shows_chinese_error(client_for, clerk):
    c = client_for(clerk)
    response = c.post(
        reverse("applications:create"),
        {
            "channel": "registered_mail",
            "applicant_type": "natural",
            "applicant_name": "甲",
            "phone": "1",
            "description": "x",
            "form_wanted": "paper",
            "delivery": "mail",
            "submitted_on": "2024-09-25",
        },
    )
    assert response.status_code == 200
    assert "签收日期" in response.content.decode()
    assert not Application.objects.exists()


def test_actions_through_the_page(client_for, clerk, office_head, open_app):
    c = client_for(clerk)
    url = lambda action: reverse("applications:action", args=[open_app.pk, action])  # noqa: E731
    r = c.post(
        url("correction"),
        {
            "correction-on": "2024-09-30",
            "correction-until": "2024-10-15",
            "correction-what": "请写明年份",
        },
    )
    assert r.status_code == 302
    r = c.post(url("correction_received"), {"correction_received-on": "2024-10-14"})
    assert r.status_code == 302
    r = c.post(
        url("extend"),
        {"extend-on": "2024-11-04", "extend-days": "20", "extend-reason": "调档"},
    )
    assert r.status_code == 302
    open_app.refresh_from_db()
    assert open_app.due_on == date(2024, 11, 11)  # pending: not in effect yet
    page = c.get(open_app.get_absolute_url()).content.decode()
    assert "待公开办负责人批准" in page and 'id="h-decide"' not in page
    # The clerk cannot decide it.
    request = open_app.extension_requests.get()
    decide = reverse("applications:extension_decide", args=[request.pk])
    approve = {"decide-decision": "approve", "decide-on": "2024-11-05", "decide-comment": ""}
    assert c.post(decide, approve).status_code == 403
    head = client_for(office_head)
    listing = head.get(reverse("applications:extension_list")).content.decode()
    assert open_app.tracking_code in listing
    assert 'id="h-decide"' in head.get(open_app.get_absolute_url()).content.decode()
    assert head.post(decide, approve).status_code == 302
    open_app.refresh_from_db()
    assert open_app.due_on == date(2024, 12, 9)
    assert (
        open_app.tracking_code
        not in head.get(reverse("applications:extension_list")).content.decode()
    )
    # Closing without an outcome: a clear message, nothing changed.
    r = c.post(url("close"), {"close-reply_on": "2024-11-20", "close-outcome": ""})
    assert r.status_code == 400
    assert "必须选择办理结果" in r.content.decode()
    r = c.post(
        url("close"),
        {"close-reply_on": "2024-11-20", "close-outcome": "partial", "close-reasons": "区分处理"},
    )
    assert r.status_code == 302
    open_app.refresh_from_db()
    assert open_app.status == "closed"
    page = c.get(open_app.get_absolute_url()).content.decode()
    for due in ("2024-10-30", "2024-11-11", "2024-12-09"):
        assert due in page
    letter = open_app.letters.get(kind="partial")
    download = c.get(reverse("applications:letter_download", args=[open_app.pk, letter.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"PK")


def test_extension_over_20_days_is_refused_with_a_message(client_for, clerk, office_head, open_app):
    r = client_for(clerk).post(
        reverse("applications:action", args=[open_app.pk, "extend"]),
        {
            "extend-on": "2024-10-08",
            "extend-days": "25",
            "extend-reason": "x",
        },
    )
    assert r.status_code == 400
    assert "最长不得超过20个工作日" in r.content.decode()
    assert not open_app.events.exists()


def test_illegal_order_through_the_page(client_for, clerk, app):
    r = client_for(clerk).post(
        reverse("applications:action", args=[app.pk, "close"]),
        {"close-reply_on": "2024-10-20", "close-outcome": "granted"},
    )
    # A closed application offers no forms, and a forged POST is refused in Chinese.
    assert r.status_code == 400
    assert "已办结" in r.content.decode()


def test_unknown_action_is_404(client_for, clerk, open_app):
    r = client_for(clerk).post(reverse("applications:action", args=[open_app.pk, "teleport"]))
    assert r.status_code == 404


def test_templates_admin_only(client_for, clerk, org_admin, org):
    assert client_for(clerk).get(reverse("applications:template_list")).status_code == 403
    c = client_for(org_admin)
    assert c.get(reverse("applications:template_list")).status_code == 200
    url = reverse("applications:template_edit", args=["granted"])
    assert "{申请人}" in c.get(url).content.decode()
    r = c.post(url, {"title": "答复书", "body": "{申请人}：同意公开。"})
    assert r.status_code == 302
    assert LetterTemplate.objects.get(organization=org, kind="granted").title == "答复书"
    assert AuditEvent.objects.filter(verb="letter_template.save").exists()
    r = c.post(url, {"title": "答复书", "body": "{未知}"})
    assert r.status_code == 200 and "未知的占位符" in r.content.decode()
    r = c.post(url, {"reset": "1", "title": "x", "body": "y"})
    assert r.status_code == 302 and not LetterTemplate.objects.exists()
    assert c.get(reverse("applications:template_edit", args=["nonsense"])).status_code == 404


def test_similar_and_cell_pages(client_for, clerk, app, org):
    c = client_for(clerk)
    assert c.get(reverse("applications:similar")).status_code == 200
    r = c.get(reverse("applications:cell") + "?year=2024&key=t3.granted.natural")
    assert r.status_code == 200 and app.tracking_code in r.content.decode()
    r = c.get(reverse("applications:cell") + "?year=2024&key=t9.x")
    assert r.status_code == 302


def test_cell_page_of_other_body_shows_nothing(client_for, other_clerk, app):
    r = client_for(other_clerk).get(
        reverse("applications:cell") + "?year=2024&key=t3.granted.total&scope=all"
    )
    assert app.tracking_code not in r.content.decode()


def test_supervisor_dashboard_counts_bodies_below(client_for, supervisor, open_app):
    page = client_for(supervisor).get(reverse("organizations:dashboard")).content.decode()
    assert "依申请公开（下级机关）" in page
    assert "scope=all" in page


def test_late_reply_is_marked(client_for, clerk, org):
    a = receive(org, user=clerk)  # due 2024-10-30
    services.application_close(
        application=a, outcome="granted", reply_on=date(2024, 10, 31), acting_user=clerk
    )
    c = client_for(clerk)
    assert "逾期答复" in c.get(a.get_absolute_url()).content.decode()
    assert "逾期答复" in c.get(reverse("applications:list") + "?tab=closed").content.decode()


# --- portal submissions (no created_by, no unit, events without actor) ------------------


def test_every_page_of_a_portal_submission_opens_for_the_clerk(client_for, org, clerk):
    portal = receive(
        org,
        user=None,
        channel="online",
        on=date(2024, 9, 27),
        applicant_name="网上申请人",
    )
    assert portal.created_by is None and portal.unit is None
    c = client_for(clerk)
    detail = c.get(portal.get_absolute_url())
    assert detail.status_code == 200
    assert "网上提交" in detail.content.decode()
    # A step recorded without an actor (scheduled job) must not break the history either.
    services.application_consult(
        application=portal,
        kind="third_party_consulted",
        on=date(2024, 9, 30),
        party="某公司",
        acting_user=None,
    )
    page = c.get(portal.get_absolute_url())
    assert page.status_code == 200 and "系统" in page.content.decode()
    response = c.post(
        reverse("applications:action", args=[portal.pk, "answer"]),
        {"answer-on": "2024-10-08", "answer-note": ""},
    )
    assert response.status_code == 302
    response = c.post(
        reverse("applications:action", args=[portal.pk, "close"]),
        {"close-reply_on": "2024-10-25", "close-outcome": "granted", "close-reasons": ""},
    )
    assert response.status_code == 302
    portal.refresh_from_db()
    assert portal.status == "closed"
    urls = [
        portal.get_absolute_url(),
        *[
            reverse("applications:letter_download", args=[portal.pk, x.pk])
            for x in portal.letters.all()
        ],
        reverse("applications:similar"),
        reverse("applications:cell") + "?year=2024&key=t3.granted.total",
        *[reverse("applications:list") + f"?tab={t}" for t in ("open", "closed", "all", "waiting")],
    ]
    for url in urls:
        assert c.get(url).status_code == 200, url


def test_office_head_rejects_with_a_comment_through_the_page(
    client_for, clerk, office_head, open_app
):
    client_for(clerk).post(
        reverse("applications:action", args=[open_app.pk, "extend"]),
        {"extend-on": "2024-10-08", "extend-days": "10", "extend-reason": "调档"},
    )
    request = open_app.extension_requests.get()
    head = client_for(office_head)
    decide = reverse("applications:extension_decide", args=[request.pk])
    r = head.post(decide, {"decide-decision": "reject", "decide-on": "2024-10-09"})
    assert r.status_code == 400 and "请填写意见" in r.content.decode()
    r = head.post(
        decide,
        {"decide-decision": "reject", "decide-on": "2024-10-09", "decide-comment": "请按期答复"},
    )
    assert r.status_code == 302
    request.refresh_from_db()
    assert request.status == "rejected"
    page = client_for(clerk).get(open_app.get_absolute_url()).content.decode()
    assert "未批准" in page and "请按期答复" in page


def test_dashboard_shows_pending_extensions_to_the_office_head(
    client_for, clerk, office_head, open_app
):
    client_for(clerk).post(
        reverse("applications:action", args=[open_app.pk, "extend"]),
        {"extend-on": "2024-10-08", "extend-days": "10", "extend-reason": "调档"},
    )
    page = client_for(office_head).get(reverse("organizations:dashboard")).content.decode()
    assert "待我批准的延期" in page
    assert (
        "待我批准的延期"
        not in client_for(clerk).get(reverse("organizations:dashboard")).content.decode()
    )
    assert client_for(clerk).get(reverse("applications:extension_list")).status_code == 403


def test_close_without_reasons_is_refused_on_the_page(client_for, clerk, open_app):
    r = client_for(clerk).post(
        reverse("applications:action", args=[open_app.pk, "close"]),
        {"close-reply_on": "2024-10-18", "close-outcome": "withheld_secret", "close-reasons": ""},
    )
    assert r.status_code == 400
    assert "说明理由" in r.content.decode()
    open_app.refresh_from_db()
    assert open_app.status == "open"


def test_template_page_names_the_bad_placeholder(client_for, org_admin, org):
    url = reverse("applications:template_edit", args=["granted"])
    r = client_for(org_admin).post(url, {"title": "答复书", "body": "{申请人:>999999999}：你好"})
    assert r.status_code == 200
    assert "{申请人:&gt;999999999}" in r.content.decode()
    assert not LetterTemplate.objects.exists()


def test_closing_with_a_broken_template_through_the_page(
    client_for, clerk, org_admin, open_app, org
):
    LetterTemplate.objects.create(
        organization=org, kind="granted", title="答复书", body="{申请人:d}：你好"
    )
    c = client_for(clerk)
    r = c.post(
        reverse("applications:action", args=[open_app.pk, "close"]),
        {"close-reply_on": "2024-10-20", "close-outcome": "granted"},
        follow=True,
    )
    assert r.status_code == 200
    page = r.content.decode()
    open_app.refresh_from_db()
    assert open_app.status == "closed"
    # The clerk learns which template is broken and what to do.
    assert "予以公开告知书" in page and "{申请人:d}" in page and "文书模板" in page
    assert "重新生成" in page
    # The administrator fixes the template; the clerk regenerates the letter.
    client_for(org_admin).post(
        reverse("applications:template_edit", args=["granted"]),
        {"title": "答复书", "body": "{申请人}：同意公开。"},
    )
    event = open_app.events.get(kind="closed")
    r = c.post(
        reverse("applications:letter_regenerate", args=[open_app.pk]),
        {"event": event.pk, "kind": "granted"},
    )
    assert r.status_code == 302
    assert open_app.letters.filter(kind="granted").exists()
    assert (
        "重新生成" not in c.get(reverse("applications:detail", args=[open_app.pk])).content.decode()
    )


def test_template_list_says_where_letters_send_appeals(client_for, org_admin, org):
    page = client_for(org_admin).get(reverse("applications:template_list")).content.decode()
    assert "行政复议机关“测试区人民政府”" in page
    assert "管辖法院“有管辖权的人民法院”" in page and "管辖法院未填写" in page
    org.court = "测试区人民法院"
    org.save()
    page = client_for(org_admin).get(reverse("applications:template_list")).content.decode()
    assert "管辖法院“测试区人民法院”" in page and "未填写" not in page


def test_template_list_flags_own_closing_letters_without_the_appeal_body(
    client_for, org_admin, org
):
    LetterTemplate.objects.create(
        organization=org,
        kind="granted",
        title="答复书",
        body="{申请人}：同意公开。依法申请行政复议。",
    )
    page = client_for(org_admin).get(reverse("applications:template_list")).content.decode()
    assert "未使用 {复议机关}" in page


def test_template_list_flags_an_own_unable_letter_that_names_no_other_body(
    client_for, org_admin, org
):
    # 条例第三十六条第（五）项: the letter must tell the applicant where to apply.
    template = LetterTemplate.objects.create(
        organization=org,
        kind="unable",
        title="无法提供告知书",
        body="{申请人}：本机关无法提供。{复议机关}",
    )
    url = reverse("applications:template_list")
    assert "未使用 {另行申请告知}" in client_for(org_admin).get(url).content.decode()
    template.body += "{另行申请告知}"
    template.save()
    assert "未使用 {另行申请告知}" not in client_for(org_admin).get(url).content.decode()


def test_office_head_sees_histories_the_refresh_could_not_replay(
    client_for, clerk, office_head, org
):
    # Issue #9: skipped histories are shown to the 公开办负责人, not silently dropped.
    from datetime import date

    from gongkai.applications import services
    from gongkai.applications.models import ClockEvent

    from .factories import receive

    bad = receive(org, user=clerk, submitted_on=date(2024, 9, 27))
    ClockEvent.objects.create(application=bad, kind="correction_received", on=date(2024, 10, 8))
    services.application_refresh_deadlines()
    page = client_for(office_head).get("/backoffice/")
    assert "答复期限无法重新计算" in page.text
    assert bad.tracking_code in page.text and "不能收到补正材料" in page.text
    assert "答复期限无法重新计算" not in client_for(clerk).get("/backoffice/").text


def test_stored_absurd_received_on_shows_date_wrong_not_500(client_for, org, clerk, office_head):
    # Review of #9 (F5): the detail page computed with 9999-12-20 and answered 500.
    a = receive(org, user=clerk)
    Application.objects.filter(pk=a.pk).update(
        received_on=date(9999, 12, 20), submitted_on=date(9999, 12, 20), due_on=date(9999, 12, 31)
    )
    c = client_for(clerk)
    page = c.get(reverse("applications:detail", args=[a.pk]))
    assert page.status_code == 200
    due = page.text[page.text.index('id="due-on"') :].split("</dd>", 1)[0]
    assert "日期有误" in due and "9999-12-31" not in due
    assert 'id="deadline-problem"' in page.text
    assert c.get(reverse("applications:list")).status_code == 200
    # The daily refresh flags it; the 公开办负责人 sees it on the dashboard.
    services.application_refresh_deadlines()
    home = client_for(office_head).get("/backoffice/")
    assert home.status_code == 200
    assert "答复期限无法重新计算（1）" in home.text and a.tracking_code in home.text
    assert "日期有误" in home.text


def test_unreplayable_history_shows_the_reason_not_500(client_for, org, clerk):
    from gongkai.applications.models import ClockEvent

    a = receive(org, user=clerk)
    # A corrupted history: correction material "received" although none was requested.
    ClockEvent.objects.create(application=a, kind="correction_received", on=date(2024, 10, 8))
    page = client_for(clerk).get(reverse("applications:detail", args=[a.pk]))
    assert page.status_code == 200
    problem = page.text[page.text.index('id="deadline-problem"') :].split("</div>", 1)[0]
    assert "不能收到补正材料" in problem


def test_appeals_with_absurd_stored_dates_still_render(client_for, org, clerk, supervisor):
    # Review of #9 (F5), checked for appeals: nothing computes working days from
    # filed_on/decided_on, so the pages show the stored dates as they are; a
    # decision dated before a stored 9999 filing is refused on the form.
    from gongkai.appeals.models import Appeal
    from gongkai.reports.tests import factories as rf

    a = receive(org, user=clerk)
    pending = rf.appeal(org, filed_on=date(2024, 5, 1), application=a)
    decided = rf.appeal(
        org, filed_on=date(2024, 5, 2), decided_on=date(2024, 6, 1), result="upheld", application=a
    )
    Appeal.objects.filter(pk=pending.pk).update(filed_on=date(9999, 12, 31))
    Appeal.objects.filter(pk=decided.pk).update(
        filed_on=date(1, 1, 1), decided_on=date(9999, 12, 31)
    )
    for user in (clerk, supervisor):
        c = client_for(user)
        for url in (
            reverse("appeals:list") + "?scope=all",
            reverse("appeals:detail", args=[pending.pk]),
            reverse("appeals:detail", args=[decided.pk]),
            reverse("applications:detail", args=[a.pk]),
            "/backoffice/",
        ):
            assert c.get(url).status_code == 200, (user, url)
    r = client_for(clerk).post(
        reverse("appeals:decide", args=[pending.pk]),
        {"decided_on": "2025-01-02", "result": "upheld"},
    )
    assert r.status_code == 400
    pending.refresh_from_db()
    assert pending.decided_on is None
