import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.audit.selectors import events_for
from gongkai.disclosure import services
from gongkai.disclosure.factories import CategoryFactory, ItemFactory
from gongkai.disclosure.models import Item, Publication
from gongkai.disclosure.services import TRANSITIONS, TransitionError
from gongkai.privacy.sample import id_check_char
from gongkai.uploads import UploadRejected, in_memory

S = Item.Status
pytestmark = pytest.mark.django_db


def verbs(item):
    return [e.verb for e in events_for(item)]


def test_full_workflow_writes_one_audit_row_per_step(published, clerk, reviewer, approver):
    events = list(events_for(published))
    assert [(e.verb, e.from_state, e.to_state, e.actor) for e in events] == [
        ("item.create", "", "draft", clerk),
        ("item.submit", "draft", "in_review", clerk),
        ("item.review_pass", "in_review", "in_approval", reviewer),
        ("item.approve", "in_approval", "published", approver),
    ]
    assert published.status == S.PUBLISHED
    assert published.published_at is not None
    assert published.reviewed_by == reviewer and published.approved_by == approver
    # Publishing on the website is recorded as a channel.
    assert list(published.publications.values_list("channel", flat=True)) == ["website"]


def test_return_from_review_and_from_approval_then_resubmit(in_review, reviewer, approver, clerk):
    item = services.item_return(item=in_review, acting_user=reviewer, comment="请删除身份证号")
    assert item.status == S.RETURNED and item.return_comment == "请删除身份证号"
    item = services.item_submit(item=item, acting_user=clerk)
    assert item.return_comment == ""
    item = services.item_review_pass(item=item, acting_user=reviewer)
    item = services.item_return(item=item, acting_user=approver, comment="标题不准确")
    assert item.status == S.RETURNED
    ret = [e for e in events_for(item) if e.verb == "item.return"]
    assert [(e.from_state, e.comment) for e in ret] == [
        ("in_review", "请删除身份证号"),
        ("in_approval", "标题不准确"),
    ]


def test_return_needs_a_comment(in_review, reviewer):
    with pytest.raises(ValidationError) as exc:
        services.item_return(item=in_review, acting_user=reviewer, comment="  ")
    assert "退回意见" in str(exc.value)
    in_review.refresh_from_db()
    assert in_review.status == S.IN_REVIEW


def test_withdraw_needs_reason_and_keeps_index_number(published, approver):
    with pytest.raises(ValidationError):
        services.item_withdraw(item=published, acting_user=approver, reason="", now=timezone.now())
    number = published.index_number
    item = services.item_withdraw(
        item=published, acting_user=approver, reason="内容有误", now=timezone.now()
    )
    assert item.status == S.WITHDRAWN and item.withdrawn_at and item.index_number == number
    assert verbs(item)[-1] == "item.withdraw"


ACTIONS = {
    "submit": lambda item, u: services.item_submit(item=item, acting_user=u),
    "review_pass": lambda item, u: services.item_review_pass(item=item, acting_user=u),
    "return": lambda item, u: services.item_return(item=item, acting_user=u, comment="x"),
    "approve": lambda item, u: services.item_approve(item=item, acting_user=u, now=timezone.now()),
    "record": lambda item, u: services.item_approve(item=item, acting_user=u, now=timezone.now()),
    "withdraw": lambda item, u: services.item_withdraw(
        item=item, acting_user=u, reason="x", now=timezone.now()
    ),
}


ILLEGAL = [
    (action, status)
    for action in sorted(TRANSITIONS)
    for status in S.values
    if status not in TRANSITIONS[action].sources
]


@pytest.mark.parametrize(("action", "status"), ILLEGAL)
def test_every_illegal_transition_is_refused(org, action, status, superuser_factory):
    # A superuser holds every role: only the transition table can refuse.
    extra = (
        {"published_at": dt.datetime(2024, 3, 5, tzinfo=dt.UTC)} if status == "published" else {}
    )
    item = ItemFactory(organization=org, status=status, **extra)
    before = AuditEvent.objects.count()
    with pytest.raises(TransitionError):
        ACTIONS[action](item, superuser_factory())
    item.refresh_from_db()
    assert item.status == status
    assert AuditEvent.objects.count() == before


@pytest.fixture
def superuser_factory(db):
    from gongkai.organizations.factories import UserFactory

    return lambda: UserFactory(username="root", is_superuser=True, is_staff=True)


def test_clerk_cannot_review_or_approve(in_review, clerk, reviewer):
    with pytest.raises(PermissionDenied):
        services.item_review_pass(item=in_review, acting_user=clerk)
    item = services.item_review_pass(item=in_review, acting_user=reviewer)
    with pytest.raises(PermissionDenied):
        services.item_approve(item=item, acting_user=clerk, now=timezone.now())


def test_approver_cannot_skip_the_review(in_review, approver):
    with pytest.raises(TransitionError):
        services.item_approve(item=in_review, acting_user=approver, now=timezone.now())
    with pytest.raises(PermissionDenied):
        services.item_review_pass(item=in_review, acting_user=approver)


def test_reviewer_cannot_approve_or_submit(in_approval, reviewer, draft):
    with pytest.raises(PermissionDenied):
        services.item_approve(item=in_approval, acting_user=reviewer, now=timezone.now())


def test_nobody_reviews_or_approves_their_own_draft(org, all_roles_user, item_data, reviewer):
    item = services.item_create(organization=org, acting_user=all_roles_user, data=item_data)
    item = services.item_submit(item=item, acting_user=all_roles_user)
    with pytest.raises(PermissionDenied, match="自己起草"):
        services.item_review_pass(item=item, acting_user=all_roles_user)
    item = services.item_review_pass(item=item, acting_user=reviewer)
    with pytest.raises(PermissionDenied, match="自己起草"):
        services.item_approve(item=item, acting_user=all_roles_user, now=timezone.now())


def test_other_organization_cannot_act(in_review, other_clerk, draft):
    from gongkai.organizations.factories import user_with_role
    from gongkai.organizations.models import Role

    outsider = user_with_role(other_clerk.memberships.first().organization, Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        services.item_review_pass(item=in_review, acting_user=outsider)


def test_update_only_in_draft_or_returned(draft, clerk, reviewer):
    item = services.item_update(item=draft, acting_user=clerk, data={"title": "新标题"})
    assert item.title == "新标题"
    event = events_for(item).last()
    assert event.verb == "item.update" and event.data["changed"] == ["title"]
    item = services.item_submit(item=item, acting_user=clerk)
    with pytest.raises(TransitionError):
        services.item_update(item=item, acting_user=clerk, data={"title": "再改"})


def test_not_proactive_needs_reason_and_basis(org, clerk, item_data):
    data = {**item_data, "attribute": Item.Attribute.WITHHELD}
    with pytest.raises(ValidationError) as exc:
        services.item_create(organization=org, acting_user=clerk, data=data)
    assert set(exc.value.message_dict) == {"attribute_reason", "attribute_basis"}
    data.update(attribute_reason="涉及国家秘密", attribute_basis="条例第十四条")
    item = services.item_create(organization=org, acting_user=clerk, data=data)
    assert item.attribute_reason == "涉及国家秘密"


def test_non_proactive_item_is_recorded_not_published(org, clerk, reviewer, approver, item_data):
    data = {
        **item_data,
        "attribute": Item.Attribute.ON_REQUEST,
        "attribute_reason": "内部事务信息",
        "attribute_basis": "条例第十六条",
    }
    item = services.item_create(organization=org, acting_user=clerk, data=data)
    item = services.item_submit(item=item, acting_user=clerk)
    item = services.item_review_pass(item=item, acting_user=reviewer)
    item = services.item_approve(item=item, acting_user=approver, now=timezone.now())
    assert item.status == S.RECORDED and item.index_number == "" and item.published_at is None
    # The declared ``record`` transition, not an override of ``approve``.
    last = events_for(item).last()
    assert (last.verb, last.from_state, last.to_state) == ("item.record", "in_approval", "recorded")
    assert TRANSITIONS["record"].target == S.RECORDED


def test_html_body_is_sanitised(org, clerk, item_data):
    data = {
        **item_data,
        "body_format": "html",
        "body": '<p onclick="x()">好</p><script>alert(1)</script>',
    }
    item = services.item_create(organization=org, acting_user=clerk, data=data)
    assert item.body == "<p>好</p>"


def test_notice_period_order_validated_and_constrained(org, clerk, item_data):
    data = {**item_data, "notice_from": dt.date(2024, 3, 10), "notice_to": dt.date(2024, 3, 1)}
    with pytest.raises(ValidationError, match="公示期"):
        services.item_create(organization=org, acting_user=clerk, data=data)
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemFactory(
            organization=org, notice_from=dt.date(2024, 3, 10), notice_to=dt.date(2024, 3, 1)
        )


def test_category_of_another_org_is_refused(org, other_org, clerk, item_data):
    foreign = CategoryFactory(organization=other_org)
    with pytest.raises(ValidationError, match="不属于本机关"):
        services.item_create(
            organization=org, acting_user=clerk, data={**item_data, "category": foreign}
        )


# --- index numbers ---------------------------------------------------------------


@time_machine.travel(dt.datetime(2024, 6, 3, 10, 0, tzinfo=dt.UTC), tick=False)
def test_index_number_scheme_sequence_and_uniqueness(org, clerk, reviewer, approver, item_data):
    org.credit_code = ""
    org.save()
    cat = CategoryFactory(organization=org, code="B04")

    def publish(**extra):
        item = services.item_create(
            organization=org, acting_user=clerk, data={**item_data, **extra}
        )
        item = services.item_submit(item=item, acting_user=clerk)
        item = services.item_review_pass(item=item, acting_user=reviewer)
        return services.item_approve(item=item, acting_user=approver, now=timezone.now())

    first = publish(category=cat)
    second = publish()
    assert first.index_number == f"ORG{org.pk:06d}/B04-2024-00001"
    assert second.index_number == f"ORG{org.pk:06d}/000-2024-00002"
    services.item_withdraw(item=second, acting_user=approver, reason="重复", now=timezone.now())
    third = publish()
    assert third.index_number.endswith("-2024-00003")  # never reused
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemFactory(organization=org, index_number=first.index_number)


def test_index_number_uses_credit_code(org, draft, clerk, reviewer, approver):
    from gongkai.organizations.validators import uscc_check_char

    base = "11999999MB0000042"
    org.credit_code = base + uscc_check_char(base)
    org.full_clean()
    org.save()
    item = services.item_submit(item=draft, acting_user=clerk)
    item = services.item_review_pass(item=item, acting_user=reviewer)
    item = services.item_approve(item=item, acting_user=approver, now=timezone.now())
    assert item.index_number.startswith(org.credit_code + "/000-")


# --- attachments -----------------------------------------------------------------


def _docx_bytes(text):
    import io

    import docx

    doc = docx.Document()
    doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_attachments_text_is_extracted(org, clerk, item_data):
    files = [
        in_memory(_docx_bytes("附件名单 联系电话13812345678"), "名单.docx"),
        in_memory("第二个附件的文字".encode(), "说明.txt"),
    ]
    item = services.item_create(organization=org, acting_user=clerk, data=item_data, files=files)
    assert item.attachments.count() == 2
    assert "13812345678" in item.attachment_text and "第二个附件" in item.attachment_text


def test_each_attachment_is_checked_once_on_the_write_path(org, clerk, item_data, monkeypatch):
    from gongkai import uploads

    calls = {"check": 0, "zip": 0}
    real_check, real_zip = uploads.check_upload, uploads._zip_names

    def counting_check(*args, **kwargs):
        calls["check"] += 1
        return real_check(*args, **kwargs)

    def counting_zip(*args, **kwargs):
        calls["zip"] += 1
        return real_zip(*args, **kwargs)

    monkeypatch.setattr(uploads, "check_upload", counting_check)
    monkeypatch.setattr(uploads, "_zip_names", counting_zip)
    files = [in_memory(_docx_bytes("附件"), "a.docx"), in_memory(b"text", "b.txt")]
    item = services.item_create(organization=org, acting_user=clerk, data=item_data, files=files)
    assert item.attachments.count() == 2
    assert calls == {"check": 2, "zip": 1}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", b"<html><body>x</body></html>"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
        ("setup.exe", b"MZ\x90\x00"),
        ("fake.pdf", b"<html>not a pdf</html>"),
    ],
)
def test_dangerous_uploads_are_refused_and_nothing_is_saved(org, clerk, item_data, name, content):
    with pytest.raises(UploadRejected):
        services.item_create(
            organization=org, acting_user=clerk, data=item_data, files=[in_memory(content, name)]
        )
    assert not Item.objects.exists()


def test_update_removes_attachment(draft, clerk):
    item = services.item_update(
        item=draft, acting_user=clerk, data={}, files=[in_memory("甲".encode(), "a.txt")]
    )
    att = item.attachments.get()
    item = services.item_update(
        item=item, acting_user=clerk, data={}, remove_attachment_ids=[att.pk]
    )
    assert item.attachments.count() == 0 and item.attachment_text == ""


# --- privacy ---------------------------------------------------------------------


def test_privacy_hits_and_masking(org, clerk, reviewer, item_data):
    first17 = "11010119900307757"
    id_number = first17 + id_check_char(first17)
    body = f"补贴名单\n张三 {id_number} 13812345678"
    item = services.item_create(
        organization=org, acting_user=clerk, data={**item_data, "body": body}
    )
    item = services.item_submit(item=item, acting_user=clerk)
    hits = services.privacy_hits(item)
    assert {h["kind"] for h in hits} >= {"id_card", "mobile"}
    assert all(h["line"] == 2 for h in hits)
    assert all(id_number not in h["excerpt"] for h in hits)
    with pytest.raises(PermissionDenied):
        services.item_mask_personal_data(item=item, acting_user=clerk)  # not editable now
    item = services.item_mask_personal_data(item=item, acting_user=reviewer)
    assert id_number not in item.body and "13812345678" not in item.body
    assert verbs(item)[-1] == "item.mask_personal_data"
    assert services.privacy_hits(item) == [] or all(
        h["kind"] not in ("id_card", "mobile") for h in services.privacy_hits(item)
    )


# --- channels --------------------------------------------------------------------


def test_publication_record(published, clerk, approver):
    from django.utils import timezone

    today = timezone.localdate(published.published_at)
    pub = services.publication_record(
        item=published,
        acting_user=clerk,
        channel="bulletin_board",
        published_on=today,
        note="村务公开栏",
    )
    assert pub.pk and verbs(published)[-1] == "item.publication_record"
    with pytest.raises(ValidationError, match="已经登记"):
        services.publication_record(
            item=published, acting_user=clerk, channel="bulletin_board", published_on=today
        )
    with pytest.raises(ValidationError, match="早于"):
        services.publication_record(
            item=published,
            acting_user=clerk,
            channel="screen",
            published_on=today - dt.timedelta(days=3),
        )
    with pytest.raises(PermissionDenied):
        services.publication_record(
            item=published, acting_user=approver, channel="screen", published_on=today
        )
    assert Publication.objects.filter(item=published).count() == 2


def test_publication_only_for_published_items(draft, clerk):
    with pytest.raises(PermissionDenied):
        services.publication_record(
            item=draft, acting_user=clerk, channel="screen", published_on=dt.date(2024, 3, 1)
        )


# --- catalogue, guide, register, figures, holidays ---------------------------------


def test_catalogue_seed_for_a_town_is_idempotent(org, clerk):
    created = services.catalogue_seed(organization=org, acting_user=clerk)
    assert created == 1 + 15 + 1 + 26 + 1 + 8
    assert services.catalogue_seed(organization=org, acting_user=clerk) == 0
    assert org.disclosure_categories.get(code="C04").name == "宅基地使用情况审核"
    assert org.disclosure_categories.get(code="B17").name == "涉农补贴"


def test_catalogue_seed_for_a_county_has_no_town_areas(district):
    assert services.catalogue_seed_system(organization=district) == 1 + 15 + 1 + 26
    assert not district.disclosure_categories.filter(code="C").exists()


def test_category_not_applicable_needs_reason(org, clerk):
    services.catalogue_seed(organization=org, acting_user=clerk)
    cat = org.disclosure_categories.get(code="B16")
    with pytest.raises(ValidationError, match="理由"):
        services.category_save(
            organization=org, acting_user=clerk, category=cat, data={"applies": False}
        )
    cat = services.category_save(
        organization=org,
        acting_user=clerk,
        category=cat,
        data={"applies": False, "not_applicable_reason": "本镇无城市综合执法职能"},
    )
    assert not cat.applies


def test_category_cycle_refused(org, clerk):
    services.catalogue_seed(organization=org, acting_user=clerk)
    root = org.disclosure_categories.get(code="A")
    child = org.disclosure_categories.get(code="A01")
    with pytest.raises(ValidationError, match="下级"):
        services.category_save(
            organization=org, acting_user=clerk, category=root, data={"parent": child}
        )


def test_category_delete_refused_when_used(org, clerk):
    services.catalogue_seed(organization=org, acting_user=clerk)
    with pytest.raises(ValidationError):
        services.category_delete(
            category=org.disclosure_categories.get(code="A"), acting_user=clerk
        )
    leaf = org.disclosure_categories.get(code="A15")
    services.category_delete(category=leaf, acting_user=clerk)
    assert not org.disclosure_categories.filter(code="A15").exists()


def test_guide_generate_and_update(org, clerk, approver):
    org.office_hours = "工作日 8:30-12:00，14:00-17:30"
    org.office_fax = "0000-7654321"
    org.save()
    services.catalogue_seed(organization=org, acting_user=clerk)
    guide = services.guide_generate(organization=org, acting_user=clerk, now=timezone.now())
    for expected in (
        "第十二条",
        org.office_address,
        org.office_hours,
        org.office_phone,
        "0000-7654321",
        "涉农补贴",
        "宅基地使用情况审核",
    ):
        assert expected in guide.text
    with pytest.raises(PermissionDenied):
        services.guide_update(organization=org, acting_user=approver, text="x", now=timezone.now())
    guide = services.guide_update(
        organization=org, acting_user=clerk, text="修改后的指南", now=timezone.now()
    )
    assert guide.text == "修改后的指南" and guide.updated_by == clerk
    assert [e.verb for e in events_for(guide)] == ["guide.generate", "guide.update"]


def test_regulation_only_when_org_may_make_regulations(org, clerk):
    data = {"kind": "regulation", "title": "某规章", "issued_on": dt.date(2024, 1, 5)}
    with pytest.raises(ValidationError, match="规章制定权"):
        services.normative_document_save(
            organization=org, acting_user=clerk, document=None, data=data
        )
    org.may_make_regulations = True
    org.save()
    doc = services.normative_document_save(
        organization=org, acting_user=clerk, document=None, data=data
    )
    assert doc.kind == "regulation"


def test_normative_document_dates_validated(org, clerk):
    data = {"title": "x", "issued_on": dt.date(2024, 5, 1), "status": "abolished"}
    with pytest.raises(ValidationError) as exc:
        services.normative_document_save(
            organization=org, acting_user=clerk, document=None, data=data
        )
    assert "abolished_on" in exc.value.message_dict
    data["abolished_on"] = dt.date(2024, 4, 1)
    with pytest.raises(ValidationError, match="早于印发日期"):
        services.normative_document_save(
            organization=org, acting_user=clerk, document=None, data=data
        )


def test_normative_status_may_not_contradict_the_dates(org, clerk):
    base = {"title": "x", "issued_on": dt.date(2024, 5, 1)}
    for extra, word in (
        ({"status": "issued", "abolished_on": dt.date(2024, 6, 1)}, "已废止"),
        ({"status": "issued", "expired_on": dt.date(2024, 6, 1)}, "已失效"),
        (
            {
                "status": "amended",
                "amended_on": dt.date(2024, 5, 2),
                "abolished_on": dt.date(2024, 6, 1),
            },
            "已废止",
        ),
    ):
        with pytest.raises(ValidationError) as exc:
            services.normative_document_save(
                organization=org, acting_user=clerk, document=None, data={**base, **extra}
            )
        assert word in exc.value.message_dict["status"][0]
    doc = services.normative_document_save(
        organization=org,
        acting_user=clerk,
        document=None,
        data={**base, "status": "abolished", "abolished_on": dt.date(2024, 6, 1)},
    )
    assert doc.state_on(dt.date(2024, 5, 31)) == "现行有效"
    assert doc.state_on(dt.date(2024, 6, 1)) == "已废止"


def test_yearly_figures_save_validates_and_audits(org, clerk):
    with pytest.raises(ValidationError) as exc:
        services.yearly_figures_save(
            organization=org,
            acting_user=clerk,
            year=2024,
            licensing=-1,
            penalty=0,
            coercion=0,
            fees=Decimal("1.1234567"),
        )
    assert set(exc.value.message_dict) == {"licensing", "fees"}
    fig = services.yearly_figures_save(
        organization=org,
        acting_user=clerk,
        year=2024,
        licensing=3,
        penalty=1,
        coercion=0,
        fees=Decimal("0.123456"),
    )
    fig = services.yearly_figures_save(
        organization=org,
        acting_user=clerk,
        year=2024,
        licensing=4,
        penalty=1,
        coercion=0,
        fees=Decimal("0.123456"),
    )
    assert fig.licensing == 4 and org.disclosure_yearly_figures.count() == 1
    last = events_for(fig).last()
    assert last.data["before"]["licensing"] == 3 and last.data["after"]["licensing"] == 4


def test_adopted_history_is_searchable_at_once(org, office_head, approver):
    """Items recorded as already published (imports, demo) are found by the
    portal search like items published through the workflow."""
    from gongkai.search.selectors import search

    assert search("宅基地审批", org=org).total == 0
    item = services.item_record_history(
        organization=org,
        acting_user=approver,
        recorded_by=office_head,
        data={
            "title": "2023年宅基地审批结果公示",
            "body": "经审核，以下农户宅基地审批通过。",
            "formed_on": dt.date(2023, 5, 4),
            "attribute": Item.Attribute.PROACTIVE,
            "kind": Item.Kind.LIST,
        },
        published_on=dt.date(2023, 5, 8),
        now=timezone.now(),
    )
    results = search("宅基地审批", org=org)
    assert results.total == 1
    assert results.hits[0].item.pk == item.pk


HISTORY = {
    "title": "2023年宅基地审批结果公示",
    "formed_on": dt.date(2023, 5, 4),
    "kind": Item.Kind.LIST,
}


def _history(org, *, acting_user, recorded_by, published_on=dt.date(2023, 5, 8), now=None):
    return services.item_record_history(
        organization=org,
        acting_user=acting_user,
        recorded_by=recorded_by,
        data=HISTORY,
        published_on=published_on,
        now=now or timezone.now(),
    )


def test_clerk_cannot_record_published_history(org, clerk, approver):
    """条例第十七条: recording an item as already published skips 保密审查 and
    审批 in gongkai, so a clerk may not vouch for it."""
    with pytest.raises(PermissionDenied, match="公开办负责人或机关管理员"):
        _history(org, acting_user=approver, recorded_by=clerk)
    assert not Item.objects.exists()


def test_recorded_history_needs_a_second_person_who_approves(org, office_head, org_admin, approver):
    """Review of issue #9 (F2): the office head or admin alone published an item
    at once through the history path.  Now a 审批领导 other than them confirms."""
    from gongkai.organizations.factories import MembershipFactory
    from gongkai.organizations.models import Role

    with pytest.raises(PermissionDenied, match="审批领导确认"):
        _history(org, acting_user=org_admin, recorded_by=office_head)
    with pytest.raises(PermissionDenied, match="审批领导确认"):
        _history(org, acting_user=office_head, recorded_by=office_head)
    # Holding the approver role as well does not let the recorder confirm alone.
    MembershipFactory(user=office_head, organization=org, role=Role.APPROVER)
    office_head = type(office_head).objects.get(pk=office_head.pk)
    with pytest.raises(PermissionDenied, match="不能自己确认"):
        _history(org, acting_user=office_head, recorded_by=office_head)
    assert not Item.objects.exists()
    item = _history(org, acting_user=approver, recorded_by=office_head)
    assert (item.status, item.created_by, item.approved_by) == (S.PUBLISHED, office_head, approver)
    event = events_for(item).get()
    assert event.actor == approver and event.data["recorded_by"] == office_head.pk


def test_record_history_refuses_a_future_publication_date(org, org_admin, office_head, approver):
    """The date is checked against the caller's clock (``now``), not the wall clock."""
    now = dt.datetime(2024, 6, 1, 2, 0, tzinfo=dt.UTC)  # 10:00 in Beijing
    with pytest.raises(ValidationError, match="不能晚于今天"):
        _history(
            org,
            acting_user=approver,
            recorded_by=org_admin,
            published_on=dt.date(2024, 6, 2),
            now=now,
        )
    item = _history(
        org,
        acting_user=approver,
        recorded_by=office_head,
        published_on=dt.date(2024, 6, 1),
        now=now,
    )
    assert item.status == S.PUBLISHED
    assert events_for(item).get().actor == approver


def test_system_history_entry_point_has_no_actor(org, clerk):
    item = services.item_record_history_system(
        organization=org,
        created_by=clerk,
        data=HISTORY,
        published_on=dt.date(2023, 5, 8),
        source="demo",
        now=timezone.now(),
    )
    event = events_for(item).get()
    assert event.actor is None and event.data["source"] == "demo"
    assert item.created_by == clerk and item.status == S.PUBLISHED


def test_only_the_demo_loader_uses_the_system_history_entry_point():
    """The entry point without a second person is for the demo loader alone: no
    view, import or other module may publish history through it."""
    from pathlib import Path

    root = Path(services.__file__).resolve().parents[2]  # src/gongkai
    users = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "item_record_history_system" in path.read_text(encoding="utf-8")
        and "tests" not in path.parts
    )
    assert users == [
        "disclosure/demo.py",
        "disclosure/services/__init__.py",
        "disclosure/services/history.py",
    ]


def test_seed_and_guide_always_check_the_acting_user(org, other_clerk):
    """No acting user is not a pass: views always go through the check; only the
    explicit *_system entry points (demo, seeding) skip it."""
    for user in (None, other_clerk):
        with pytest.raises(PermissionDenied):
            services.catalogue_seed(organization=org, acting_user=user)
        with pytest.raises(PermissionDenied):
            services.guide_generate(organization=org, acting_user=user, now=timezone.now())
    assert not org.disclosure_categories.exists()
    assert services.catalogue_seed_system(organization=org) > 0
    assert services.guide_generate_system(organization=org, now=timezone.now()).updated_by is None


# --- issue #9: separation of duties (no one person publishes alone) ------------------------------


def test_admin_granting_itself_every_role_cannot_publish_a_draft_it_rewrote(
    org, org_admin, draft, reviewer, approver
):
    # Issue #9: a body admin granted itself clerk, reviewer and approver, rewrote
    # another clerk's draft and published it in four clicks.
    from gongkai.organizations.models import Role
    from gongkai.organizations.services import membership_grant

    for role in (Role.CLERK, Role.REVIEWER, Role.APPROVER):
        membership_grant(organization=org, user=org_admin, role=role, acting_user=org_admin)
    item = services.item_update(
        item=draft, acting_user=org_admin, data={"body": "管理员改写的正文。"}
    )
    item = services.item_submit(item=item, acting_user=org_admin)
    with pytest.raises(PermissionDenied, match="修改"):
        services.item_review_pass(item=item, acting_user=org_admin)
    item = services.item_review_pass(item=item, acting_user=reviewer)
    with pytest.raises(PermissionDenied, match="修改"):
        services.item_approve(item=item, acting_user=org_admin, now=timezone.now())
    item = services.item_approve(item=item, acting_user=approver, now=timezone.now())
    assert (item.status, item.reviewed_by, item.approved_by) == (S.PUBLISHED, reviewer, approver)


def test_approver_must_differ_from_the_reviewer(org, in_review, reviewer, approver):
    from gongkai.organizations.factories import MembershipFactory
    from gongkai.organizations.models import Role

    MembershipFactory(user=reviewer, organization=org, role=Role.APPROVER)
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)  # fresh role cache
    item = services.item_review_pass(item=in_review, acting_user=reviewer)
    with pytest.raises(PermissionDenied, match="审查"):
        services.item_approve(item=item, acting_user=reviewer, now=timezone.now())
    assert (
        services.item_approve(item=item, acting_user=approver, now=timezone.now()).status
        == S.PUBLISHED
    )


def test_last_editor_is_the_drafter_until_someone_else_edits(draft, clerk, org):
    from gongkai.organizations.factories import user_with_role
    from gongkai.organizations.models import Role

    assert draft.last_edited_by == clerk
    colleague = user_with_role(org, Role.CLERK, username="colleague")
    item = services.item_update(item=draft, acting_user=colleague, data={"title": "改过的标题"})
    assert item.last_edited_by == colleague
    # Saving without a change is not an edit.
    assert services.item_update(item=item, acting_user=clerk, data={}).last_edited_by == colleague
    assert (
        services.item_update(
            item=item, acting_user=clerk, data={"title": "再改的标题"}
        ).last_edited_by
        == clerk
    )


def test_reviewer_who_masked_personal_data_may_still_pass_the_review(
    org, clerk, reviewer, item_data
):
    # Masking is a review aid (条例第十七条 保密审查), not authorship of the draft.
    item_data["body"] = "联系人：张明，电话13909991234。"
    item = services.item_create(organization=org, acting_user=clerk, data=item_data)
    item = services.item_submit(item=item, acting_user=clerk)
    item = services.item_mask_personal_data(item=item, acting_user=reviewer)
    assert "13909991234" not in item.body
    assert services.item_review_pass(item=item, acting_user=reviewer).status == S.IN_APPROVAL


# --- review of issue #9 (F9): the review excerpt masks the hit's own span ----------------------


def test_review_excerpt_masks_a_number_found_through_its_column_header(org, clerk):
    """The excerpt re-scanned a ±20-character window, which had lost the 银行卡号
    header rows above, so a suspect found through the header was shown unmasked."""
    rows = "".join(f"村民{n}\t{n}组\t基本情况\n" for n in range(5))
    body = "姓名\t银行卡号\t备注\n" + rows + "张三\t62220200012345\t补贴\n"
    item = services.item_create(
        organization=org,
        acting_user=clerk,
        data={"title": "补贴发放", "body": body, "formed_on": dt.date(2024, 3, 1)},
    )
    hits = [h for h in services.privacy_hits(item) if h["kind"] == "bank_card_suspect"]
    assert len(hits) == 1, services.privacy_hits(item)
    excerpt = hits[0]["excerpt"]
    assert "62220200012345" not in excerpt and hits[0]["masked"] in excerpt
    assert "张三" in excerpt  # the context around the hit is still shown


def test_review_excerpt_never_shows_part_of_a_neighbouring_number(org, clerk):
    """A second hit cut by the window's edge is masked whole, not shown in part."""
    ident = "11010519491231002" + id_check_char("11010519491231002")
    body = f"联系人身份证号{ident}，手机13812345678。"
    item = services.item_create(
        organization=org,
        acting_user=clerk,
        data={"title": "联系人", "body": body, "formed_on": dt.date(2024, 3, 1)},
    )
    for hit in services.privacy_hits(item):
        assert ident not in hit["excerpt"] and ident[6:14] not in hit["excerpt"]
        assert "13812345678" not in hit["excerpt"] and "1234" not in hit["excerpt"]


# --- review of issue #9 (F11): one clock, from the caller ------------------------------------


def test_approve_withdraw_and_guide_stamp_the_callers_now(org, in_approval, approver, clerk):
    """They read the wall clock; now every stamp and audit row takes ``now``."""
    approved_at = dt.datetime(2023, 12, 31, 17, 0, tzinfo=dt.UTC)  # 2024-01-01 01:00 Beijing
    item = services.item_approve(item=in_approval, acting_user=approver, now=approved_at)
    assert item.published_at == approved_at
    assert item.index_number.split("-")[-2] == "2024"  # the local year of ``now``
    assert item.publications.get().published_on == dt.date(2024, 1, 1)
    assert events_for(item).get(verb="item.approve").created_at == approved_at
    withdrawn_at = dt.datetime(2024, 2, 1, 3, 0, tzinfo=dt.UTC)
    item = services.item_withdraw(item=item, acting_user=approver, reason="重复", now=withdrawn_at)
    assert item.withdrawn_at == withdrawn_at
    assert events_for(item).get(verb="item.withdraw").created_at == withdrawn_at
    guide_at = dt.datetime(2024, 3, 1, 3, 0, tzinfo=dt.UTC)
    guide = services.guide_generate(organization=org, acting_user=clerk, now=guide_at)
    assert guide.generated_at == guide.updated_at == guide_at
    assert "2024年3月1日" in guide.text
    edited_at = dt.datetime(2024, 3, 2, 3, 0, tzinfo=dt.UTC)
    guide = services.guide_update(organization=org, acting_user=clerk, text="新指南", now=edited_at)
    assert guide.updated_at == edited_at
    assert events_for(guide).get(verb="guide.update").created_at == edited_at
