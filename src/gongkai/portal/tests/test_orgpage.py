"""A body's own pages: 机构概况, 政务新媒体, 公开制度, the 申请表, and the
catalogue column that fills itself."""

from __future__ import annotations

import datetime as dt
import io
import re

import pdfplumber
import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from docx import Document
from PIL import Image

from gongkai.disclosure.factories import CategoryFactory
from gongkai.organizations import profile
from gongkai.organizations.models import Leader
from gongkai.uploads import in_memory

from .test_pagecache import _settle, html, warm

pytestmark = pytest.mark.django_db
NOW = timezone.now()


@pytest.fixture
def body(org, org_admin, unit):
    org.office_name = "测试镇党政办公室"
    org.office_address = "测试镇人民路1号"
    org.office_postcode = "999131"
    org.office_phone = "0999-1234567"
    org.office_fax = "0999-7654321"
    org.save()
    profile.organization_update_profile(
        organization=org,
        acting_user=org_admin,
        functions="负责本镇经济社会发展规划。\n负责社会救助工作。",
        rules_html="<p>测试镇信息发布协调制度全文</p>",
        now=NOW,
    )
    profile.leader_save(
        organization=org,
        acting_user=org_admin,
        leader=None,
        name="张建国",
        title="镇长",
        duties="主持镇政府全面工作",
        order=1,
        now=NOW,
    )
    profile.unit_update_public(
        unit=unit,
        organization=org,
        acting_user=org_admin,
        duties="负责文电、会务、机要。",
        phone="0999-1111",
        order=1,
        is_public=True,
        now=NOW,
    )
    _settle()
    org.refresh_from_db()
    return org


def test_profile_page(body):
    page = html(f"/{body.slug}/profile/")
    for text in ("机构职能", "负责社会救助工作。", "张建国", "镇长", "主持镇政府全面工作"):
        assert text in page
    assert "党政办公室" in page and "负责文电、会务、机要。" in page and "0999-1111" in page
    assert "0999-7654321" in page  # 传真


def test_hidden_unit_is_not_public(body, org_admin, unit):
    profile.unit_update_public(
        unit=unit,
        organization=body,
        acting_user=org_admin,
        duties="",
        phone="",
        order=0,
        is_public=False,
        now=NOW,
    )
    _settle()
    page = html(f"/{body.slug}/profile/")
    assert "0999-1111" not in page and "本机关尚未公开内设机构" in page


def test_catalogue_column_fills_itself(body):
    column = CategoryFactory(
        organization=body,
        code="A02",
        name="机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    )
    other = CategoryFactory(organization=body, code="A03", name="规划信息")
    _settle()
    page = html(f"/{body.slug}/catalogue/{column.pk}/")
    assert "负责社会救助工作。" in page and "张建国" in page
    assert "张建国" not in html(f"/{body.slug}/catalogue/{other.pk}/")


def test_rules_page_is_the_bodys_own(body, other_org, org_admin):
    profile.rule_document_add(
        organization=body,
        acting_user=org_admin,
        title="政府信息公开保密审查制度",
        document_number="测政发〔2024〕2号",
        issued_on=None,
        order=0,
        file=in_memory(b"%PDF-1.4 rules", "保密审查.pdf"),
        now=NOW,
    )
    _settle()
    own = html(f"/{body.slug}/rules/")
    assert "测试镇信息发布协调制度全文" in own and "政府信息公开保密审查制度" in own
    assert "本机关尚未发布自己的政府信息公开工作制度" not in own
    other = html(f"/{other_org.slug}/rules/")
    assert "测试镇信息发布协调制度全文" not in other
    assert "本机关尚未发布自己的政府信息公开工作制度" in other
    document = body.rule_documents.get()
    response = Client().get(f"/{body.slug}/rules/{document.pk}/file/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert Client().get(f"/{other_org.slug}/rules/{document.pk}/file/").status_code == 404


def test_rules_html_is_cleaned_again_on_output(body):
    type(body).objects.filter(pk=body.pk).update(rules_html="<p>制度</p><script>alert(1)</script>")
    cache.clear()
    page = html(f"/{body.slug}/rules/")
    assert "<p>制度</p>" in page and "alert(1)" not in page


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("L", (50, 50), color=0).save(out, format="PNG")
    return out.getvalue()


def test_new_media_on_the_home_page(body, org_admin, other_org):
    account = profile.new_media_save(
        organization=body,
        acting_user=org_admin,
        account=None,
        name="测试镇发布",
        platform="wechat",
        account_id="ceshi_fb",
        order=0,
        qr_file=in_memory(_png(), "qr.png"),
        now=NOW,
    )
    _settle()
    page = html(f"/{body.slug}/")
    assert "政务新媒体" in page and "测试镇发布" in page and "微信公众号" in page
    qr_url = f"/{body.slug}/newmedia/{account.pk}/qr.png"
    assert qr_url in page
    response = Client().get(qr_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"\x89PNG")
    assert Client().get(f"/{other_org.slug}/newmedia/{account.pk}/qr.png").status_code == 404
    assert "政务新媒体" not in html(f"/{other_org.slug}/")


def _qr_src(page: str, body, account) -> str:
    found = re.search(rf'src="(/{body.slug}/newmedia/{account.pk}/qr\.png\?v=[0-9a-f]+)"', page)
    assert found, "the QR <img> carries a version"
    return found.group(1)


def test_a_replaced_qr_gets_a_new_url(body, org_admin):
    """The image may be cached for long only under a URL that changes with it:
    a replaced (wrong or hijacked) QR code must not be served from caches."""
    account = profile.new_media_save(
        organization=body,
        acting_user=org_admin,
        account=None,
        name="测试镇发布",
        platform="wechat",
        account_id="",
        order=0,
        qr_file=in_memory(_png(), "qr.png"),
        now=NOW,
    )
    _settle()
    first = _qr_src(html(f"/{body.slug}/"), body, account)
    response = Client().get(first)
    assert response.status_code == 200 and "max-age=86400" in response["Cache-Control"]
    replacement = io.BytesIO()
    Image.new("L", (60, 60), color=255).save(replacement, format="PNG")
    account = profile.new_media_save(
        organization=body,
        acting_user=org_admin,
        account=account,
        name="测试镇发布",
        platform="wechat",
        account_id="",
        order=0,
        qr_file=in_memory(replacement.getvalue(), "new.png"),
        now=NOW,
    )
    _settle()
    second = _qr_src(html(f"/{body.slug}/"), body, account)
    assert second != first
    fresh = Client().get(second)
    assert fresh.status_code == 200 and "max-age=86400" in fresh["Cache-Control"]
    assert Image.open(io.BytesIO(fresh.content)).size == (60, 60)
    # The old URL (an old page, a bookmark) and the bare one get the current
    # image, but no shared cache may keep it.
    for url in (first, second.split("?")[0]):
        stale = Client().get(url)
        assert stale.status_code == 200 and stale.content == fresh.content
        assert stale["Cache-Control"] == "no-cache"


def test_apply_form_docx(body):
    response = Client().get(f"/{body.slug}/apply/form.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "测试镇人民政府政府信息公开申请表" in text
    for field in ("姓名或者名称", "身份证明", "联系电话", "所需政府信息的名称", "文号"):
        assert field in cells
    assert "便于查询的其他特征性描述" in cells and "获取信息的方式" in cells
    for detail in ("测试镇人民路1号", "999131", "0999-7654321", "0999-1234567", "测试镇党政办公室"):
        assert detail in cells


def test_apply_form_pdf(body):
    response = Client().get(f"/{body.slug}/apply/form.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "测试镇人民政府政府信息公开申请表" in text
    for field in ("姓名或者名称", "身份证明", "联系电话"):  # the row labels the PDF writes
        assert field in text
    assert "所需政府信息的名称" in text and "特征性描述" in text and "获取信息的方式" in text
    assert "测试镇人民路1号" in text and "0999-7654321" in text
    assert Client().get(f"/{body.slug}/apply/form.exe").status_code == 404


def test_apply_form_follows_the_bodys_details(body):
    first = Client().get(f"/{body.slug}/apply/form.pdf").content
    assert Client().get(f"/{body.slug}/apply/form.pdf").content == first  # built once
    body.office_fax = "0999-0000000"
    body.save()
    _settle()
    with pdfplumber.open(io.BytesIO(Client().get(f"/{body.slug}/apply/form.pdf").content)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "0999-0000000" in text and "0999-7654321" not in text


def test_apply_and_guide_pages_link_the_form(body):
    apply_page = Client().get(f"/{body.slug}/apply/").content.decode()
    assert f"/{body.slug}/apply/form.docx" in apply_page
    assert f"/{body.slug}/apply/form.pdf" in apply_page
    assert "0999-7654321" in apply_page and "测试镇人民路1号" in apply_page
    assert "当面提交" in apply_page and "在线申请" in apply_page
    assert f"/{body.slug}/apply/form.pdf" in html(f"/{body.slug}/guide/")


def test_edits_invalidate_the_bodys_pages(body, org_admin):
    warm(f"/{body.slug}/profile/")
    profile.leader_save(
        organization=body,
        acting_user=org_admin,
        leader=None,
        name="李卫东",
        title="副镇长",
        duties="分管农业",
        order=2,
        now=NOW,
    )
    _settle()
    assert "李卫东" in html(f"/{body.slug}/profile/")
    profile.leader_delete(leader=Leader.objects.get(name="李卫东"), acting_user=org_admin, now=NOW)
    _settle()
    assert "李卫东" not in html(f"/{body.slug}/profile/")
    warm(f"/{body.slug}/rules/")
    profile.organization_update_profile(
        organization=body,
        acting_user=org_admin,
        functions="新职能",
        rules_html="<p>新制度</p>",
        now=NOW,
    )
    _settle()
    assert "新制度" in html(f"/{body.slug}/rules/")
    assert "新职能" in html(f"/{body.slug}/profile/")


def test_profile_page_queries_and_cache(
    body, django_assert_max_num_queries, django_assert_num_queries
):
    path = f"/{body.slug}/profile/"
    Client().get(path)
    cache.clear()
    with django_assert_max_num_queries(5):  # versions, body, leaders, units
        assert Client().get(path).status_code == 200
    warm(path)
    with django_assert_num_queries(1):  # the versions only
        assert Client().get(path).status_code == 200


# --- back office ---------------------------------------------------------------------

PAGES = [
    "/backoffice/settings/profile/",
    "/backoffice/settings/leaders/",
    "/backoffice/settings/newmedia/",
    "/backoffice/settings/rules/",
]


@pytest.mark.parametrize("url", PAGES)
def test_settings_pages_admin_only(client_for, url, org_admin, clerk, approver, supervisor):
    assert client_for(org_admin).get(url).status_code == 200
    for user in (clerk, approver, supervisor):
        assert client_for(user).get(url).status_code == 403


def test_settings_edit_through_the_back_office(client_for, org, org_admin, other_org):
    client = client_for(org_admin)
    response = client.post(
        "/backoffice/settings/profile/",
        {"functions": "负责全镇规划", "rules_html": "<p>制度</p><img src=x onerror=alert(1)>"},
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.functions == "负责全镇规划" and "onerror" not in org.rules_html
    assert (
        client.post(
            "/backoffice/settings/leaders/",
            {"name": "赵敏", "title": "党委书记", "duties": "", "order": 0},
        ).status_code
        == 302
    )
    foreign = Leader.objects.create(organization=other_org, name="外机关", title="镇长")
    assert client.get(f"/backoffice/settings/leaders/{foreign.pk}/").status_code == 404
    assert client.post(f"/backoffice/settings/leaders/{foreign.pk}/delete/").status_code == 404
    bad = client.post(
        "/backoffice/settings/newmedia/",
        {
            "name": "测试",
            "platform": "weibo",
            "account_id": "",
            "order": 0,
            "qr": in_memory(b"<svg></svg>", "qr.svg"),
        },
    )
    assert bad.status_code == 400 and "出于安全原因" in bad.content.decode()
    assert not org.new_media_accounts.exists()


# --- dedicated columns: 行政事业性收费, 建议提案办理结果 ------------------------------


@pytest.fixture
def columns_world(org, clerk):
    import datetime as dt

    from gongkai.disclosure.factories import ItemFactory, PublishedItemFactory
    from gongkai.disclosure.services import columns

    columns.fee_item_save(
        organization=org,
        acting_user=clerk,
        fee=None,
        data={
            "name": "不动产登记费",
            "basis": "发改价格规〔2016〕2559号",
            "standard": "住宅类每件80元",
            "authority": "国家发展改革委、财政部",
        },
        now=NOW,
    )
    reply_item = PublishedItemFactory(organization=org, title="对区人大第0123号建议的答复")
    draft = ItemFactory(organization=org, title="尚未公开的答复")
    for number, kind, outcome, item in (
        ("0123", "npc", "adopted", reply_item),
        ("0045", "cppcc", "reference", draft),
    ):
        columns.proposal_reply_save(
            organization=org,
            acting_user=clerk,
            reply=None,
            data={
                "year": 2024,
                "kind": kind,
                "number": number,
                "title": f"关于第{number}号的办理",
                "outcome": outcome,
                "replied_on": dt.date(2024, 6, 1),
                "item": item,
            },
            now=NOW,
        )
    _settle()
    return {"reply_item": reply_item, "draft": draft}


def test_fee_page_and_column(org, other_org, columns_world):
    page = html(f"/{org.slug}/fees/")
    for text in (
        "不动产登记费",
        "发改价格规〔2016〕2559号",
        "住宅类每件80元",
        "国家发展改革委、财政部",
    ):
        assert text in page
    assert "不动产登记费" not in html(f"/{other_org.slug}/fees/")
    # Both registers are reached from the body's home, not only by address.
    home = html(f"/{org.slug}/")
    assert f'href="/{org.slug}/fees/"' in home and f'href="/{org.slug}/proposals/"' in home
    column = CategoryFactory(organization=org, code="A08", name="行政事业性收费项目及其依据、标准")
    _settle()
    assert "住宅类每件80元" in html(f"/{org.slug}/catalogue/{column.pk}/")


def test_a_fee_with_a_future_end_date_is_still_in_force(org, clerk, columns_world):
    """条例第二十条第（八）项: a fee recorded to end on a later date is still
    collected until then; it is listed as in force, with the coming date."""
    from gongkai.disclosure.models import FeeItem
    from gongkai.disclosure.services import columns

    today = timezone.localdate()
    ending = today + dt.timedelta(days=30)
    columns.fee_item_save(
        organization=org,
        acting_user=clerk,
        fee=FeeItem.objects.get(),
        data={"abolished_on": ending, "order": 5},
        now=NOW,
    )
    columns.fee_item_save(
        organization=org,
        acting_user=clerk,
        fee=None,
        data={
            "name": "房屋登记费",
            "basis": "计价格〔2008〕924号",
            "standard": "每件80元",
            "abolished_on": today - dt.timedelta(days=1),
        },
        now=NOW,
    )
    _settle()
    column = CategoryFactory(organization=org, code="A08", name="行政事业性收费项目及其依据、标准")
    _settle()
    for page in (html(f"/{org.slug}/fees/"), html(f"/{org.slug}/catalogue/{column.pk}/")):
        assert f"将于{ending:%Y-%m-%d}取消" in page
        assert f"已于{ending:%Y-%m-%d}取消" not in page
        assert f"已于{today - dt.timedelta(days=1):%Y-%m-%d}取消" in page
        assert page.index("不动产登记费") < page.index("房屋登记费")  # in force first


def test_proposal_page_and_column(org, columns_world):
    page = html(f"/{org.slug}/proposals/")
    assert "关于第0123号的办理" in page and "解决采纳" in page and "留作参考" in page
    assert f"/{org.slug}/items/{columns_world['reply_item'].pk}/" in page
    assert f"/{org.slug}/items/{columns_world['draft'].pk}/" not in page  # a draft is not linked
    assert "关于第0123号的办理" in html(f"/{org.slug}/proposals/?year=2024")
    assert "关于第0123号的办理" not in html(f"/{org.slug}/proposals/?year=2023")
    assert Client().get(f"/{org.slug}/proposals/?year=abc").status_code == 200
    column = CategoryFactory(organization=org, code="D08", name="建议提案办理")
    _settle()
    assert "关于第0045号的办理" in html(f"/{org.slug}/catalogue/{column.pk}/")


def test_column_edits_invalidate(org, clerk, columns_world):
    from gongkai.disclosure.models import FeeItem
    from gongkai.disclosure.services import columns

    warm(f"/{org.slug}/fees/")
    columns.fee_item_save(
        organization=org,
        acting_user=clerk,
        fee=FeeItem.objects.get(),
        data={"standard": "住宅类每件60元"},
        now=NOW,
    )
    _settle()
    assert "住宅类每件60元" in html(f"/{org.slug}/fees/")
    warm(f"/{org.slug}/proposals/")
    columns.proposal_reply_delete(
        reply=org.proposal_replies.get(number="0123"), acting_user=clerk, now=NOW
    )
    _settle()
    assert "关于第0123号的办理" not in html(f"/{org.slug}/proposals/")
