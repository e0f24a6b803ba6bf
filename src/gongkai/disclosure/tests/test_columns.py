"""services.columns and views.columns: 行政事业性收费 items and 建议提案办理结果."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.disclosure.factories import ItemFactory, PublishedItemFactory
from gongkai.disclosure.models import FeeItem, ProposalReply
from gongkai.disclosure.services import columns

pytestmark = pytest.mark.django_db
NOW = timezone.now()

FEE = {
    "name": "不动产登记费",
    "basis": "《关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）",
    "standard": "住宅类每件80元",
    "authority": "国家发展改革委、财政部",
    "collector": "不动产登记中心",
    "note": "",
    "abolished_on": None,
    "order": 0,
}


def reply_data(**kwargs):
    data = {
        "year": 2024,
        "kind": "npc",
        "number": "0123",
        "title": "关于加快农村道路建设的建议",
        "role": "main",
        "outcome": "planned",
        "replied_on": dt.date(2024, 6, 20),
        "summary": "已列入明年计划。",
        "item": None,
    }
    data.update(kwargs)
    return data


def test_fee_item_saved_and_audited(org, clerk):
    fee = columns.fee_item_save(organization=org, acting_user=clerk, fee=None, data=FEE, now=NOW)
    assert fee.name == "不动产登记费"
    assert AuditEvent.objects.filter(verb="fee.create", actor=clerk).exists()
    columns.fee_item_save(
        organization=org, acting_user=clerk, fee=fee, data={"standard": "每件60元"}, now=NOW
    )
    fee.refresh_from_db()
    assert fee.standard == "每件60元"


def test_fee_item_permissions(org, other_org, clerk, reviewer, other_clerk):
    with pytest.raises(PermissionDenied):
        columns.fee_item_save(organization=org, acting_user=reviewer, fee=None, data=FEE, now=NOW)
    fee = columns.fee_item_save(organization=org, acting_user=clerk, fee=None, data=FEE, now=NOW)
    with pytest.raises(PermissionDenied):  # another body's row through one's own body
        columns.fee_item_save(
            organization=other_org, acting_user=other_clerk, fee=fee, data={"name": "x"}, now=NOW
        )
    with pytest.raises(PermissionDenied):
        columns.fee_item_delete(fee=fee, acting_user=other_clerk, now=NOW)
    assert FeeItem.objects.get().name == "不动产登记费"


def test_fee_item_requires_basis_and_standard(org, clerk):
    with pytest.raises(ValidationError) as exc:
        columns.fee_item_save(
            organization=org,
            acting_user=clerk,
            fee=None,
            data={**FEE, "basis": "", "standard": " "},
            now=NOW,
        )
    assert {"basis", "standard"} <= set(exc.value.message_dict)
    assert not FeeItem.objects.exists()


def test_proposal_reply_rules(org, other_org, clerk):
    reply = columns.proposal_reply_save(
        organization=org, acting_user=clerk, reply=None, data=reply_data(), now=NOW
    )
    assert str(reply) == "2024年人大代表建议第0123号"
    with pytest.raises(ValidationError) as exc:  # the same number twice in a year
        columns.proposal_reply_save(
            organization=org, acting_user=clerk, reply=None, data=reply_data(), now=NOW
        )
    assert "已登记这个编号" in " ".join(exc.value.messages)
    # A 政协 proposal may carry the same number.
    columns.proposal_reply_save(
        organization=org, acting_user=clerk, reply=None, data=reply_data(kind="cppcc"), now=NOW
    )
    foreign_item = PublishedItemFactory(organization=other_org)
    with pytest.raises(ValidationError) as exc:
        columns.proposal_reply_save(
            organization=org,
            acting_user=clerk,
            reply=None,
            data=reply_data(number="0200", item=foreign_item),
            now=NOW,
        )
    assert "item" in exc.value.message_dict
    with pytest.raises(ValidationError):
        columns.proposal_reply_save(
            organization=org,
            acting_user=clerk,
            reply=None,
            data=reply_data(number="0300", outcome="ignored"),
            now=NOW,
        )
    assert ProposalReply.objects.count() == 2


def test_back_office_pages(client_for, org, clerk, reviewer, other_org):
    client = client_for(clerk)
    assert client.get("/backoffice/disclosure/fees/").status_code == 200
    response = client.post("/backoffice/disclosure/fees/", {**FEE, "abolished_on": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert org.fee_items.count() == 1
    draft = ItemFactory(organization=org, title="草稿不能关联")
    published = PublishedItemFactory(organization=org, title="关于第0123号建议的答复")
    page = client.get("/backoffice/disclosure/proposals/").content.decode()
    assert published.title in page and draft.title not in page  # only published items offered
    data = reply_data(item=published.pk, replied_on="2024-06-20")
    assert client.post("/backoffice/disclosure/proposals/", data).status_code == 302
    assert org.proposal_replies.get().item == published
    # Reviewers read but do not write; another body's row is a 404.
    assert client_for(reviewer).get("/backoffice/disclosure/fees/").status_code == 200
    assert (
        client_for(reviewer)
        .post("/backoffice/disclosure/fees/", {**FEE, "abolished_on": ""})
        .status_code
        == 403
    )
    foreign = FeeItem.objects.create(organization=other_org, name="外", basis="x", standard="y")
    assert client.get(f"/backoffice/disclosure/fees/{foreign.pk}/").status_code == 404
    assert client.post(f"/backoffice/disclosure/fees/{foreign.pk}/delete/").status_code == 404


def test_back_office_fee_list_says_whether_a_fee_is_cancelled_yet(client_for, org, clerk):
    today = timezone.localdate()
    FeeItem.objects.create(
        organization=org, name="将取消", basis="x", standard="y",
        abolished_on=today + dt.timedelta(days=30),
    )  # fmt: skip
    FeeItem.objects.create(
        organization=org, name="已取消", basis="x", standard="y",
        abolished_on=today - dt.timedelta(days=1),
    )  # fmt: skip
    page = client_for(clerk).get("/backoffice/disclosure/fees/").content.decode()
    future = (today + dt.timedelta(days=30)).isoformat()
    past = (today - dt.timedelta(days=1)).isoformat()
    assert f"执行中，将于{future}取消" in page and f"已于{future}取消" not in page
    assert f"已于{past}取消" in page
