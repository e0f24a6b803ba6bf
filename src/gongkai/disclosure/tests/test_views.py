import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.selectors import events_for
from gongkai.disclosure import services
from gongkai.disclosure.factories import CategoryFactory, NormativeDocumentFactory
from gongkai.disclosure.models import Attachment, Category, ImportJob, Item, NormativeDocument
from gongkai.uploads import in_memory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org, clerk, reviewer, approver, item_data):
    """One item in each interesting state plus reference rows, all in ``org``."""
    draft = services.item_create(
        organization=org,
        acting_user=clerk,
        data=item_data,
        files=[in_memory("附件文字".encode(), "a.txt")],
    )
    published = services.item_create(
        organization=org, acting_user=clerk, data={**item_data, "title": "已公开的信息"}
    )
    services.item_submit(item=published, acting_user=clerk)
    services.item_review_pass(item=published, acting_user=reviewer)
    published = services.item_approve(item=published, acting_user=approver, now=timezone.now())
    return {
        "draft": draft,
        "published": published,
        "attachment": draft.attachments.get(),
        "category": CategoryFactory(organization=org, code="Z1", name="测试类目"),
        "document": NormativeDocumentFactory(organization=org, title="某规范性文件"),
        "job": ImportJob.objects.create(
            organization=org, kind="items", path="none.csv", original_name="x.csv", created_by=clerk
        ),
    }


def url_cases(w):
    d, p = w["draft"].pk, w["published"].pk
    return [
        ("get", "disclosure:item_detail", [d]),
        ("get", "disclosure:item_edit", [d]),
        ("post", "disclosure:item_submit", [d]),
        ("get", "disclosure:item_review", [d]),
        ("get", "disclosure:item_approval", [d]),
        ("get", "disclosure:item_withdraw", [p]),
        ("post", "disclosure:item_mask", [d]),
        ("post", "disclosure:item_publication_add", [p]),
        ("get", "disclosure:item_bulletin", [p]),
        ("get", "disclosure:attachment_download", [w["attachment"].pk]),
        ("get", "disclosure:category_edit", [w["category"].pk]),
        ("post", "disclosure:category_delete", [w["category"].pk]),
        ("get", "disclosure:register_edit", [w["document"].pk]),
        ("get", "disclosure:import_job", [w["job"].pk]),
    ]


def test_every_object_view_is_404_or_403_for_another_organization(world, client_for, other_clerk):
    client = client_for(other_clerk)
    for method, name, args in url_cases(world):
        response = getattr(client, method)(reverse(name, args=args))
        assert response.status_code in (403, 404), name
    world["draft"].refresh_from_db()
    assert world["draft"].status == "draft"
    assert Category.objects.filter(pk=world["category"].pk).exists()


ORG_PAGES = [
    "disclosure:item_list",
    "disclosure:timeliness",
    "disclosure:catalogue",
    "disclosure:guide",
    "disclosure:register",
    "disclosure:figures",
]


@pytest.mark.parametrize("name", ORG_PAGES)
def test_org_pages_show_only_the_current_organization(world, client_for, other_clerk, clerk, name):
    services.guide_generate_system(organization=world["draft"].organization, now=timezone.now())
    mine = client_for(clerk).get(reverse(name))
    assert mine.status_code == 200
    theirs = client_for(other_clerk).get(reverse(name))
    assert theirs.status_code == 200
    body = theirs.content.decode()
    for leak in ("已公开的信息", "测试类目", "某规范性文件", world["draft"].organization.name):
        assert leak not in body


@pytest.mark.parametrize(
    "name",
    [
        "disclosure:item_create",
        "disclosure:category_create",
        "disclosure:register_create",
        "disclosure:import_upload",
        "workcal:holidays",
    ],
)
def test_pages_need_a_role(client_for, approver, name):
    # The approver maintains nothing and is not an admin.
    assert client_for(approver).get(reverse(name)).status_code == 403


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("disclosure:item_detail", args=[world["draft"].pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_roles_see_exactly_their_steps(world, client_for, clerk, reviewer, approver, supervisor):
    draft = world["draft"]
    detail = reverse("disclosure:item_detail", args=[draft.pk])
    assert "提交保密审查" in client_for(clerk).get(detail).content.decode()
    assert "提交保密审查" not in client_for(reviewer).get(detail).content.decode()
    # Reviewer and approver cannot submit; the supervisor only reads.
    for user in (reviewer, approver, supervisor):
        assert (
            client_for(user).post(reverse("disclosure:item_submit", args=[draft.pk])).status_code
            == 403
        )
        assert (
            client_for(user).get(reverse("disclosure:item_edit", args=[draft.pk])).status_code
            == 403
        )
    assert client_for(supervisor).get(detail).status_code == 200
    services.item_submit(item=draft, acting_user=clerk)
    review = reverse("disclosure:item_review", args=[draft.pk])
    approval = reverse("disclosure:item_approval", args=[draft.pk])
    for user in (clerk, approver, supervisor):
        assert client_for(user).get(review).status_code == 403
        assert client_for(user).post(review, {"comment": ""}).status_code == 403
    # An approver cannot skip the review.
    assert client_for(approver).post(approval, {"approve": "1"}).status_code == 403
    draft.refresh_from_db()
    assert draft.status == "in_review"
    assert client_for(reviewer).get(review).status_code == 200
    client_for(reviewer).post(review, {"pass": "1", "comment": "同意"})
    draft.refresh_from_db()
    assert draft.status == "in_approval"
    for user in (clerk, reviewer, supervisor):
        assert client_for(user).post(approval, {"approve": "1"}).status_code == 403
    response = client_for(approver).post(approval, {"approve": "1", "comment": "同意公开"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"
    withdraw = reverse("disclosure:item_withdraw", args=[draft.pk])
    for user in (clerk, reviewer, supervisor):
        assert client_for(user).post(withdraw, {"reason": "x"}).status_code == 403


def test_clerk_creates_item_with_attachment_through_the_form(org, client_for, clerk):
    client = client_for(clerk)
    response = client.post(
        reverse("disclosure:item_create"),
        {
            "title": "关于开展秋季防火的通知",
            "formed_on": "2024-10-08",
            "attribute": "proactive",
            "kind": "notice",
            "body_format": "plain",
            "body": "请各村做好防火工作。",
            "attachments": [in_memory("附件内容".encode(), "说明.txt")],
        },
    )
    assert response.status_code == 302
    item = Item.objects.get(title="关于开展秋季防火的通知")
    assert item.created_by == clerk and item.attachments.count() == 1
    assert [e.verb for e in events_for(item)] == ["item.create"]
    download = client.get(
        reverse("disclosure:attachment_download", args=[item.attachments.get().pk])
    )
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


def test_form_refuses_dangerous_upload_with_chinese_message(org, client_for, clerk):
    response = client_for(clerk).post(
        reverse("disclosure:item_create"),
        {
            "title": "x",
            "formed_on": "2024-10-08",
            "attribute": "proactive",
            "kind": "notice",
            "body_format": "plain",
            "attachments": [in_memory(b"<svg></svg>", "x.svg")],
        },
    )
    assert response.status_code == 200
    assert "不接受 .svg 文件" in response.content.decode()
    assert not Item.objects.exists() and not Attachment.objects.exists()


def test_form_requires_reason_for_withheld(org, client_for, clerk):
    response = client_for(clerk).post(
        reverse("disclosure:item_create"),
        {
            "title": "x",
            "formed_on": "2024-10-08",
            "attribute": "withheld",
            "kind": "notice",
            "body_format": "plain",
        },
    )
    assert response.status_code == 200 and "必须写明理由" in response.content.decode()


def test_review_page_shows_masked_hits_and_masking(world, client_for, clerk, reviewer):
    draft = services.item_update(
        item=world["draft"], acting_user=clerk, data={"body": "联系人电话 13812345678"}
    )
    services.item_submit(item=draft, acting_user=clerk)
    page = (
        client_for(reviewer)
        .get(reverse("disclosure:item_review", args=[draft.pk]))
        .content.decode()
    )
    assert "手机号码" in page and "138****5678" in page
    assert "13812345678" not in page.split("个人信息与涉密标识扫描")[1].split("</section>")[0]
    client_for(reviewer).post(reverse("disclosure:item_mask", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.body == "联系人电话 138****5678"


def test_return_without_comment_shows_message(world, client_for, clerk, reviewer):
    draft = services.item_submit(item=world["draft"], acting_user=clerk)
    response = client_for(reviewer).post(
        reverse("disclosure:item_review", args=[draft.pk]),
        {"return": "1", "comment": ""},
        follow=True,
    )
    assert "退回意见" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "in_review"


def test_withdraw_and_publication_and_bulletin(world, client_for, clerk, approver):
    item = world["published"]
    client = client_for(clerk)
    today = dt.date.today()
    response = client.post(
        reverse("disclosure:item_publication_add", args=[item.pk]),
        {
            "channel": "bulletin_board",
            "published_on": (today + dt.timedelta(days=1)).isoformat(),
            "note": "村公示栏",
        },
    )
    assert (
        response.status_code == 302 and item.publications.filter(channel="bulletin_board").exists()
    )
    docx = client.get(reverse("disclosure:item_bulletin", args=[item.pk]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    response = client_for(approver).post(
        reverse("disclosure:item_withdraw", args=[item.pk]), {"reason": "信息有误"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "withdrawn"


def test_catalogue_seed_edit_and_delete(org, client_for, clerk):
    client = client_for(clerk)
    client.post(reverse("disclosure:catalogue_seed"))
    assert Category.objects.filter(organization=org).count() == 52
    cat = Category.objects.get(organization=org, code="B16")
    response = client.post(
        reverse("disclosure:category_edit", args=[cat.pk]),
        {
            "name": cat.name,
            "code": cat.code,
            "order": 5,
            "parent": cat.parent_id,
            "not_applicable_reason": "",
        },
    )
    assert response.status_code == 200 and "请写明理由" in response.content.decode()
    client.post(
        reverse("disclosure:category_edit", args=[cat.pk]),
        {
            "name": cat.name,
            "code": cat.code,
            "order": 5,
            "parent": cat.parent_id,
            "not_applicable_reason": "本镇不涉及",
        },
    )
    cat.refresh_from_db()
    assert not cat.applies
    page = client.get(reverse("disclosure:catalogue")).content.decode()
    assert "不适用：本镇不涉及" in page
    client.post(reverse("disclosure:category_delete", args=[cat.pk]))
    assert not Category.objects.filter(pk=cat.pk).exists()


def test_guide_generate_and_edit(org, client_for, clerk):
    client = client_for(clerk)
    client.post(reverse("disclosure:guide_generate"))
    page = client.get(reverse("disclosure:guide")).content.decode()
    assert "政府信息公开指南" in page and org.office_address in page
    client.post(reverse("disclosure:guide"), {"text": "新的指南文字"})
    assert org.disclosure_guide.text == "新的指南文字"


def test_register_and_figures(org, client_for, clerk):
    client = client_for(clerk)
    response = client.post(
        reverse("disclosure:register_create"),
        {
            "kind": "normative",
            "title": "村规民约备案办法",
            "issued_on": "2024-04-01",
            "status": "issued",
        },
    )
    assert response.status_code == 302
    assert NormativeDocument.objects.get(organization=org).title == "村规民约备案办法"
    # 规章 is not even offered to a town.
    form_page = client.get(reverse("disclosure:register_create")).content.decode()
    assert 'value="regulation"' not in form_page
    page = client.get(reverse("disclosure:register") + "?year=2024").content.decode()
    assert "村规民约备案办法" in page
    response = client.post(
        reverse("disclosure:figures"),
        {"year": 2024, "licensing": 5, "penalty": 2, "coercion": 0, "fees": "0.015"},
    )
    assert response.status_code == 302
    page = client.get(reverse("disclosure:figures") + "?year=2024").content.decode()
    assert "t2.licensing" in page and "0.015000" in page


@time_machine.travel(dt.datetime(2025, 3, 1, 2, 0, tzinfo=dt.UTC), tick=False)
def test_register_shows_state_from_the_dates(org, client_for, clerk):
    """A document whose 有效期 has passed never shows 现行有效, whatever its status."""
    NormativeDocument.objects.create(
        organization=org,
        title="过期的办法",
        issued_on=dt.date(2020, 1, 1),
        valid_until=dt.date(2024, 12, 31),
        status="issued",
    )
    page = client_for(clerk).get(reverse("disclosure:register")).content.decode()
    row = page[page.index("过期的办法") :]
    row = row[: row.index("</tr>")]
    assert "已失效" in row and "现行有效" not in row


def test_import_flow_through_views(org, client_for, clerk):
    client = client_for(clerk)
    template = client.get(reverse("disclosure:import_template", args=["items"]))
    assert template.status_code == 200 and template.content[:2] == b"PK"
    bad = "标题,形成日期\n好,2024-01-02\n,2024-01-02\n".encode()
    response = client.post(
        reverse("disclosure:import_upload"), {"kind": "items", "file": in_memory(bad, "a.csv")}
    )
    job_url = response["Location"]
    page = client.get(job_url).content.decode()
    assert "第3行" in page and "“标题”不能为空" in page and "确认导入" not in page
    client.post(job_url)
    assert not Item.objects.exists()
    good = "标题,形成日期\n好,2024-01-02\n也好,2024-01-03\n".encode()
    response = client.post(
        reverse("disclosure:import_upload"), {"kind": "items", "file": in_memory(good, "b.csv")}
    )
    job_url = response["Location"]
    assert "确认导入全部 2 行" in client.get(job_url).content.decode()
    client.post(job_url)
    assert Item.objects.filter(organization=org).count() == 2


def test_import_refuses_html_upload(client_for, clerk):
    response = client_for(clerk).post(
        reverse("disclosure:import_upload"),
        {"kind": "items", "file": in_memory(b"<html></html>", "x.html")},
    )
    assert response.status_code == 200 and "不接受 .html 文件" in response.content.decode()


def test_dashboard_widgets(world, client_for, clerk, reviewer, approver):
    services.item_submit(item=world["draft"], acting_user=clerk)
    page = client_for(reviewer).get(reverse("organizations:dashboard")).content.decode()
    assert "待我审核（1）" in page and world["draft"].title in page
    assert "待我审批" not in page
    page = client_for(approver).get(reverse("organizations:dashboard")).content.decode()
    assert "待我审批（0）" in page
    page = client_for(clerk).get(reverse("organizations:dashboard")).content.decode()
    assert "即将超期" in page
    assert "主动公开" in page  # nav entry


def test_duplicate_category_code_gets_a_message(org, client_for, clerk):
    CategoryFactory(organization=org, code="X1")
    response = client_for(clerk).post(
        reverse("disclosure:category_create"),
        {"name": "重复", "code": "X1", "order": 0, "applies": "on"},
    )
    assert response.status_code == 200
    assert "本机关已有代码为“X1”的类目" in response.content.decode()
    assert Category.objects.filter(organization=org, code="X1").count() == 1


@pytest.mark.parametrize("year", ["99999999", "abc", "-1", "1999"])
def test_bad_year_parameter_falls_back(org, client_for, clerk, year):
    for name in ("disclosure:register", "disclosure:figures"):
        assert client_for(clerk).get(reverse(name) + f"?year={year}").status_code == 200


def test_import_job_with_missing_file_is_404(world, client_for, clerk):
    response = client_for(clerk).get(reverse("disclosure:import_job", args=[world["job"].pk]))
    assert response.status_code == 404


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["organizations:dashboard", "disclosure:item_list"])
def test_dashboard_and_item_list_queries_do_not_grow_with_items(
    org, client_for, clerk, all_roles_user, item_data, url_name, django_assert_max_num_queries
):
    """Role checks happen once per page, not once per item (permissions memoised,
    dashboard queues filtered in the query)."""

    def add(n):
        for i in range(n):
            item = services.item_create(
                organization=org, acting_user=clerk, data={**item_data, "title": f"信息{i}"}
            )
            services.item_submit(item=item, acting_user=clerk)

    client = client_for(all_roles_user)
    url = reverse(url_name)
    client.get(url)  # warm the process-wide holiday calendar cache
    add(9)  # more than a dashboard queue shows, so both runs count the same way
    few = _queries(client, url)
    add(10)
    many = _queries(client, url)
    assert many == few
    with django_assert_max_num_queries(40):
        client.get(url)


# --- review of issue #9 (F2): an import that publishes waits for a second person -----------


@time_machine.travel(dt.datetime(2024, 6, 1, 2, 0, tzinfo=dt.UTC), tick=False)
def test_history_import_waits_for_an_approver_other_than_the_uploader(
    org, client_for, office_head, approver
):
    from gongkai.audit.models import AuditEvent
    from gongkai.disclosure.models import ImportJob, Item
    from gongkai.uploads import in_memory

    uploader = client_for(office_head)
    content = "标题,形成日期,正文,公开日期\n伪造的通知,2024-06-01,明天起停水。,2024-06-01\n"
    response = uploader.post(
        reverse("disclosure:import_upload"),
        {"kind": "items", "file": in_memory(content.encode(), "x.csv")},
    )
    job = ImportJob.objects.get()
    assert job.publishes == 1 and job.awaits_confirmation
    page = uploader.get(response["Location"]).content.decode()
    assert "等待审批领导确认导入" in page and "确认导入全部" not in page
    assert (
        "等待审批领导确认的导入"
        in uploader.get(reverse("disclosure:import_upload")).content.decode()
    )
    # The uploader's POST (e.g. a form kept from earlier) is refused in Chinese.
    refused = uploader.post(response["Location"], follow=True).content.decode()
    assert "须由上传人以外的审批领导确认" in refused
    assert not Item.objects.exists()

    confirmer = client_for(approver)
    dashboard = confirmer.get("/backoffice/").content.decode()
    assert "待我确认的导入（1）" in dashboard and "x.csv" in dashboard
    assert "待我确认的导入" not in uploader.get("/backoffice/").content.decode()
    page = confirmer.get(response["Location"]).content.decode()
    assert "确认导入全部 1 行（其中 1 行立即公开）" in page and "不同意导入" in page
    done = confirmer.post(response["Location"])
    assert done.status_code == 302
    item = Item.objects.get()
    assert (item.status, item.created_by, item.approved_by) == ("published", office_head, approver)
    assert AuditEvent.objects.get(verb="import.items").actor == approver
    assert "待我确认的导入（0）" in confirmer.get("/backoffice/").content.decode()


@time_machine.travel(dt.datetime(2024, 6, 1, 2, 0, tzinfo=dt.UTC), tick=False)
def test_approver_declines_an_import_and_the_uploader_sees_why(
    org, client_for, office_head, approver
):
    from gongkai.disclosure.models import ImportJob, Item
    from gongkai.uploads import in_memory

    uploader = client_for(office_head)
    content = "标题,形成日期,公开日期\n旧通知,2024-05-01,2024-05-02\n"
    location = uploader.post(
        reverse("disclosure:import_upload"),
        {"kind": "items", "file": in_memory(content.encode(), "old.csv")},
    )["Location"]
    confirmer = client_for(approver)
    empty = confirmer.post(location, {"action": "decline", "reason": ""})
    assert empty.status_code == 200 and ImportJob.objects.get().declined_at is None
    confirmer.post(location, {"action": "decline", "reason": "公开日期与原网站不符"})
    page = uploader.get(location).content.decode()
    assert "未同意导入" in page and "公开日期与原网站不符" in page
    assert "确认导入全部" not in confirmer.get(location).content.decode()
    assert not Item.objects.exists()


def test_a_clerk_still_imports_drafts_alone(org, client_for, clerk):
    from gongkai.disclosure.models import Item
    from gongkai.uploads import in_memory

    client = client_for(clerk)
    location = client.post(
        reverse("disclosure:import_upload"),
        {"kind": "items", "file": in_memory("标题,形成日期\n草稿,2024-05-01\n".encode(), "d.csv")},
    )["Location"]
    assert "确认导入全部 1 行" in client.get(location).content.decode()
    assert client.post(location).status_code == 302
    assert Item.objects.get().status == "draft"


def _buttons(response) -> list[tuple[str, str]]:
    """The item page's action bar: (target, label) of every button, in order."""
    import re

    body = response.content.decode()
    bar = re.search(r'<div class="workflow-actions"[^>]*>(.*?)</div>', body, re.S).group(1)
    found = re.findall(
        r'(?:href|action)="([^"]+)"[^>]*>(?:\{?[^<]*<input[^>]*>)?(?:<button[^>]*>)?([^<]+)<',
        bar,
    )
    return [(target, label.strip()) for target, label in found]


def test_item_page_buttons_follow_the_workflow(
    draft, client_for, clerk, reviewer, approver, supervisor
):
    """Same buttons, labels and order in every state, for every role (pinned
    before the action list was generated from ``workflow.ITEM``)."""
    pk = draft.pk
    detail = reverse("disclosure:item_detail", args=[pk])

    def url(name):
        return reverse(f"disclosure:{name}", args=[pk])

    def seen(user):
        return _buttons(client_for(user).get(detail))

    assert seen(clerk) == [(url("item_edit"), "修改"), (url("item_submit"), "提交保密审查")]
    for user in (reviewer, approver, supervisor):
        assert seen(user) == []
    services.item_submit(item=draft, acting_user=clerk)
    assert seen(reviewer) == [(url("item_review"), "保密审查")]
    for user in (clerk, approver, supervisor):
        assert seen(user) == []
        assert "正在保密审查，等待审查人员处理。" in client_for(user).get(detail).content.decode()
    assert "正在保密审查" not in client_for(reviewer).get(detail).content.decode()
    services.item_review_pass(item=draft, acting_user=reviewer)
    assert seen(approver) == [(url("item_approval"), "审批")]
    for user in (clerk, reviewer, supervisor):
        assert seen(user) == []
        assert "已通过保密审查，等待领导审批。" in client_for(user).get(detail).content.decode()
    assert "等待领导审批" not in client_for(approver).get(detail).content.decode()
    services.item_return(item=draft, acting_user=approver, comment="请补充依据")
    assert seen(clerk) == [(url("item_edit"), "修改"), (url("item_submit"), "提交保密审查")]
    assert "退回意见：</strong>请补充依据" in client_for(clerk).get(detail).content.decode()
    services.item_submit(item=draft, acting_user=clerk)
    services.item_review_pass(item=draft, acting_user=reviewer)
    services.item_approve(item=draft, acting_user=approver, now=timezone.now())
    bulletin = (url("item_bulletin"), "下载公示栏打印稿（Word）")
    assert seen(approver) == [(url("item_withdraw"), "撤回"), bulletin]
    for user in (clerk, reviewer, supervisor):
        assert seen(user) == [bulletin]
    services.item_withdraw(item=draft, acting_user=approver, reason="政策调整", now=timezone.now())
    for user in (clerk, reviewer, approver, supervisor):
        assert seen(user) == []


def test_upload_creates_the_job_through_an_audited_service(client_for, clerk):
    from gongkai.audit.models import AuditEvent
    from gongkai.core.audit_verbs import label

    good = "标题,形成日期\n好,2024-01-02\n".encode()
    client_for(clerk).post(
        reverse("disclosure:import_upload"), {"kind": "items", "file": in_memory(good, "b.csv")}
    )
    job = ImportJob.objects.get()
    assert job.report is not None and job.row_count == 1  # the trial run, same request
    event = AuditEvent.objects.get(verb="import.job_create")
    assert event.actor == clerk and event.data["job"] == job.pk and event.data["file"] == "b.csv"
    assert label("import.job_create") == "上传导入文件"
