"""三项清单, 失效 documents in the register, the catalogue's date, department and
town catalogues, standard catalogues (issue #11 points 3, 4, 11)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.disclosure import list_selectors as sel
from gongkai.disclosure import services
from gongkai.disclosure.factories import (
    CategoryFactory,
    NormativeDocumentFactory,
    PublishedItemFactory,
)
from gongkai.disclosure.law import DEPARTMENT_AREAS
from gongkai.disclosure.models import (
    Catalogue,
    CatalogueAdoption,
    Category,
    Item,
    ListEntry,
    ListKind,
    ListRevision,
    NormativeDocument,
)
from gongkai.organizations.factories import OrganizationFactory, UnitFactory, user_with_role
from gongkai.organizations.models import Organization, Role

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=40)


def withheld(org, user, name="涉密事项", **extra):
    data = {
        "name": name,
        "content": "",
        "reason": "涉及国家秘密",
        "basis": "《中华人民共和国政府信息公开条例》第十四条",
        "unit": None,
        "order": 0,
    }
    data.update(extra)
    return services.list_entry_save(
        organization=org, acting_user=user, entry=None, kind=ListKind.WITHHELD, data=data
    )


# --- 三项清单 -------------------------------------------------------------------------


def test_each_publish_makes_a_revision_with_date_note_and_frozen_entries(
    org, clerk, office_head, unit
):
    entry = withheld(org, clerk, unit=unit)
    first = services.list_publish(
        organization=org, kind=ListKind.WITHHELD, acting_user=office_head, note="首次发布", now=NOW
    )
    assert (first.number, first.revised_on, first.note) == (1, dt.date(2026, 3, 2), "首次发布")
    assert first.entries == [
        {
            "name": "涉密事项",
            "content": "",
            "reason": "涉及国家秘密",
            "basis": "《中华人民共和国政府信息公开条例》第十四条",
            "unit": "党政办公室",
        }
    ]
    services.list_entry_save(
        organization=org,
        acting_user=clerk,
        entry=entry,
        kind=ListKind.WITHHELD,
        data={"name": "涉及国家秘密的事项"},
    )
    # An edit is not public until published: revision 1 is unchanged.
    first.refresh_from_db()
    assert first.entries[0]["name"] == "涉密事项"
    second = services.list_publish(
        organization=org, kind=ListKind.WITHHELD, acting_user=office_head, note="改名", now=LATER
    )
    assert second.number == 2 and second.revised_on == dt.date(2026, 4, 11)
    assert [r.number for r in sel.list_revisions(org, ListKind.WITHHELD)] == [2, 1]
    assert AuditEvent.objects.filter(verb="list.publish").count() == 2


def test_publishing_an_unchanged_list_or_without_a_note_is_refused(org, clerk, office_head):
    withheld(org, clerk)
    services.list_publish(
        organization=org, kind=ListKind.WITHHELD, acting_user=office_head, note="首次", now=NOW
    )
    with pytest.raises(ValidationError, match="与第1版相同"):
        services.list_publish(
            organization=org, kind=ListKind.WITHHELD, acting_user=office_head, note="再发", now=NOW
        )
    with pytest.raises(ValidationError, match="修订说明"):
        services.list_publish(
            organization=org, kind=ListKind.ON_REQUEST, acting_user=office_head, note=" ", now=NOW
        )
    assert ListRevision.objects.count() == 1


def test_withheld_entries_need_reason_and_legal_basis(org, clerk):
    with pytest.raises(ValidationError) as exc:
        withheld(org, clerk, reason="", basis="")
    assert set(exc.value.message_dict) == {"reason", "basis"}
    # An 依申请公开 entry needs neither.
    services.list_entry_save(
        organization=org,
        acting_user=clerk,
        entry=None,
        kind=ListKind.ON_REQUEST,
        data={"name": "建设用地审批材料", "content": "", "reason": "", "basis": "", "order": 1},
    )
    assert ListEntry.objects.filter(kind=ListKind.ON_REQUEST).count() == 1


def test_proactive_list_comes_from_the_catalogue(org, office_head, unit):
    parent = CategoryFactory(organization=org, code="B", name="基层政务公开标准目录", order=1)
    CategoryFactory(
        organization=org,
        code="B01",
        name="社会救助",
        parent=parent,
        content_elements="低保对象名单",
        basis="《社会救助暂行办法》",
        time_limit="形成之日起20个工作日内",
        channels="政府网站、公示栏",
        unit=unit,
    )
    CategoryFactory(
        organization=org, code="B02", name="户籍管理", parent=parent, applies=False,
        not_applicable_reason="由公安派出所负责",
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.list_entry_save(
            organization=org, acting_user=office_head, entry=None, kind=ListKind.PROACTIVE,
            data={"name": "x"},
        )  # fmt: skip
    rev = services.list_publish(
        organization=org, kind=ListKind.PROACTIVE, acting_user=office_head, note="按目录", now=NOW
    )
    assert [e["name"] for e in rev.entries] == ["基层政务公开标准目录", "社会救助"]
    row = rev.entries[1]
    assert (row["content"], row["basis"], row["time_limit"], row["channels"], row["unit"]) == (
        "低保对象名单",
        "《社会救助暂行办法》",
        "形成之日起20个工作日内",
        "政府网站、公示栏",
        "党政办公室",
    )


def test_list_permissions(org, other_org, clerk, other_clerk, office_head, supervisor):
    with pytest.raises(PermissionDenied):
        withheld(other_org, clerk)  # another body's list
    with pytest.raises(PermissionDenied):
        withheld(org, supervisor)  # the supervisor reads only
    withheld(org, clerk)
    for user in (clerk, other_clerk, supervisor):  # a clerk prepares, the office head publishes
        with pytest.raises(PermissionDenied):
            services.list_publish(
                organization=org, kind=ListKind.WITHHELD, acting_user=user, note="x", now=NOW
            )
    entry = ListEntry.objects.get()
    with pytest.raises(PermissionDenied):
        services.list_entry_save(
            organization=other_org, acting_user=other_clerk, entry=entry,
            kind=ListKind.WITHHELD, data={"name": "改"},
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.list_entry_delete(entry=entry, acting_user=other_clerk)
    services.list_publish(
        organization=org, kind=ListKind.WITHHELD, acting_user=office_head, note="发布", now=NOW
    )


def test_list_backoffice_pages(org, clerk, office_head, other_clerk, client_for):
    c = client_for(clerk)
    assert c.get(reverse("disclosure:lists")).status_code == 200
    response = c.post(
        reverse("disclosure:list_entry_create", args=["withheld"]),
        {"name": "内部事务信息", "reason": "", "basis": "", "order": 0},
    )
    assert response.status_code == 200 and "不予公开事项必须写明理由" in response.content.decode()
    response = c.post(
        reverse("disclosure:list_entry_create", args=["withheld"]),
        {"name": "内部事务信息", "reason": "内部管理", "basis": "条例第十六条", "order": 0},
    )
    assert response.status_code == 302
    entry = ListEntry.objects.get()
    # The clerk may not publish; the office head may.
    url = reverse("disclosure:list_detail", args=["withheld"])
    assert c.post(url, {"note": "首次"}).status_code == 403
    page = c.get(url).content.decode()
    assert "内部事务信息" in page and "清单由公开办负责人或管理员发布" in page
    head = client_for(office_head)
    assert head.post(url, {"note": "首次发布"}).status_code == 302
    assert ListRevision.objects.get().note == "首次发布"
    assert "第1版" in head.get(url).content.decode()
    # Another body's clerk cannot reach the entry.
    other = client_for(other_clerk)
    edit = reverse("disclosure:list_entry_edit", args=["withheld", entry.pk])
    assert other.get(edit).status_code == 404
    assert other.post(reverse("disclosure:list_entry_delete", args=["withheld", entry.pk])).status_code == 404  # fmt: skip
    assert c.get(reverse("disclosure:list_detail", args=["nonsense"])).status_code == 404
    assert c.get(reverse("disclosure:list_detail", args=["proactive"])).status_code == 200


# --- 失效 documents in the register ------------------------------------------------------


def test_replaced_by_is_checked_in_the_register(org, other_org, clerk):
    new = NormativeDocumentFactory(organization=org, title="新办法", issued_on=dt.date(2025, 1, 1))
    old = NormativeDocumentFactory(organization=org, title="旧办法")
    foreign = NormativeDocumentFactory(organization=other_org)
    base = {"status": NormativeDocument.Status.ISSUED, "replaced_by": new}
    with pytest.raises(ValidationError, match="只有已修订、已废止或已失效"):
        services.normative_document_save(
            organization=org, acting_user=clerk, document=old, data=base
        )
    with pytest.raises(ValidationError, match="不属于本机关"):
        services.normative_document_save(
            organization=org, acting_user=clerk, document=old,
            data={"status": "abolished", "abolished_on": dt.date(2025, 1, 1), "replaced_by": foreign},
        )  # fmt: skip
    doc = services.normative_document_save(
        organization=org, acting_user=clerk, document=old,
        data={"status": "abolished", "abolished_on": dt.date(2025, 1, 1), "replaced_by": new},
    )  # fmt: skip
    assert doc.replaced_by == new and list(new.replaces.all()) == [doc]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, ""),
        ({"status": "abolished", "abolished_on": dt.date(2025, 1, 1)}, "已废止"),
        ({"status": "expired", "expired_on": dt.date(2025, 1, 1)}, "已失效"),
        ({"valid_until": dt.date(2025, 1, 1)}, "已失效"),  # 有效期 ran out
        ({"status": "amended", "amended_on": dt.date(2025, 1, 1)}, "已修订"),
        ({"abolished_on": dt.date(2027, 1, 1), "status": "abolished"}, ""),  # not yet
        ({"issued_on": dt.date(2027, 1, 1)}, ""),  # not yet issued
    ],
)
def test_void_state_is_one_rule_in_python_and_sql(org, fields, expected):
    day = dt.date(2026, 3, 2)
    item = PublishedItemFactory(organization=org, kind=Item.Kind.NORMATIVE)
    doc = NormativeDocumentFactory(organization=org, item=item, **fields)
    assert doc.void_on(day) == expected
    annotated = Item.objects.annotate(register_state=sel.register_state_subquery(day)).get(
        pk=item.pk
    )
    assert (annotated.register_state or "") == expected
    assert sel.register_states([item.pk], day).get(item.pk, "") == expected
    listed = sel.void_documents(org, day)
    assert (doc in listed) == bool(expected)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"status": "abolished", "abolished_on": dt.date(2025, 1, 1)}, dt.date(2025, 1, 1)),
        ({"status": "expired", "expired_on": dt.date(2025, 6, 1)}, dt.date(2025, 6, 1)),
        # 有效期至 2025-12-31: no longer in force from the next day.
        ({"valid_until": dt.date(2025, 12, 31)}, dt.date(2026, 1, 1)),
        # Amended in 2023 and lapsed later: the lapse is what the public sees.
        (
            {"status": "amended", "amended_on": dt.date(2023, 5, 1), "valid_until": dt.date(2025, 12, 31)},
            dt.date(2026, 1, 1),
        ),
        ({"status": "amended", "amended_on": dt.date(2023, 5, 1)}, dt.date(2023, 5, 1)),
        # A future 废止 date is not the date it lapsed on.
        (
            {"valid_until": dt.date(2025, 12, 31), "status": "abolished", "abolished_on": dt.date(2027, 6, 30)},
            dt.date(2026, 1, 1),
        ),
        ({}, None),
    ],
)  # fmt: skip
def test_void_date_goes_with_the_state_on_the_day(org, fields, expected):
    doc = NormativeDocumentFactory(organization=org, issued_on=dt.date(2020, 1, 1), **fields)
    assert doc.void_date(dt.date(2026, 3, 2)) == expected


def test_void_documents_newest_change_first(org):
    day = dt.date(2026, 3, 2)
    a = NormativeDocumentFactory(organization=org, status="abolished", abolished_on=dt.date(2025, 1, 1))  # fmt: skip
    b = NormativeDocumentFactory(organization=org, status="expired", expired_on=dt.date(2025, 6, 1))
    NormativeDocumentFactory(organization=org)  # in force: not listed
    assert sel.void_documents(org, day) == [b, a]


# --- catalogue: date, department vs town --------------------------------------------------


def test_catalogue_date_moves_with_every_category_write(org, clerk):
    assert sel.catalogue_updated_at(org) is None
    cat = services.category_save(
        organization=org, acting_user=clerk, category=None,
        data={"name": "财政预决算", "code": "X1"}, now=NOW,
    )  # fmt: skip
    assert sel.catalogue_updated_at(org) == NOW
    services.category_save(
        organization=org, acting_user=clerk, category=cat, data={"time_limit": "20个工作日"},
        now=LATER,
    )  # fmt: skip
    assert sel.catalogue_updated_at(org) == LATER
    services.category_delete(category=cat, acting_user=clerk, now=LATER + dt.timedelta(days=1))
    assert sel.catalogue_updated_at(org) == LATER + dt.timedelta(days=1)
    assert services.catalogue_seed(organization=org, acting_user=clerk) > 0
    assert sel.catalogue_updated_at(org) > LATER + dt.timedelta(days=1)
    assert Catalogue.objects.count() == 1


def test_backoffice_catalogue_shows_date_and_unit(org, clerk, unit, client_for):
    services.category_save(
        organization=org, acting_user=clerk, category=None,
        data={"name": "就业", "code": "J1", "unit": unit}, now=NOW,
    )  # fmt: skip
    page = client_for(clerk).get(reverse("disclosure:catalogue")).content.decode()
    assert "2026年3月2日" in page and "责任科室：党政办公室" in page


def test_category_unit_must_be_the_bodys(org, other_org, clerk):
    foreign = UnitFactory(organization=other_org, name="外单位")
    with pytest.raises(ValidationError, match="科室不属于本机关"):
        services.category_save(
            organization=org, acting_user=clerk, category=None,
            data={"name": "就业", "code": "J1", "unit": foreign},
        )  # fmt: skip


def test_department_gets_a_department_catalogue_and_town_a_town_one(district):
    town = OrganizationFactory(level=Organization.Level.TOWN, parent=district)
    department = OrganizationFactory(level=Organization.Level.DEPARTMENT, parent=district)
    services.catalogue_seed_system(organization=town)
    services.catalogue_seed_system(organization=department)
    town_names = set(Category.objects.filter(organization=town).values_list("name", flat=True))
    dept_names = set(
        Category.objects.filter(organization=department).values_list("name", flat=True)
    )
    assert {"户籍管理", "义务教育", "宅基地使用情况审核"} <= town_names
    assert not {"户籍管理", "义务教育", "宅基地使用情况审核"} & dept_names
    assert set(DEPARTMENT_AREAS) <= dept_names
    assert "行政法规、规章和规范性文件" in dept_names  # 条例第二十条 for every body


# --- standard catalogues -------------------------------------------------------------------


@pytest.fixture
def district_head(district):
    return user_with_role(district, Role.OFFICE_HEAD, username="district_head")


ROWS = "B | 基层目录\nB01 | 社会救助 | B | 低保名单 | 《社会救助暂行办法》 | 20个工作日 | 公示栏\nB02 | 就业 | B"


def make_standard(district, district_head, text=ROWS, level="town"):
    return services.standard_save(
        publisher=district,
        acting_user=district_head,
        standard=None,
        title="乡镇标准目录",
        target_level=level,
        rows=services.standard_rows_parse(text),
    )


def test_rows_parse_collects_every_mistake():
    with pytest.raises(ValidationError) as exc:
        services.standard_rows_parse("B|目录\nB|重复\n中文|名称\nC1||Z\n" + "D|" + "长" * 101)
    messages = exc.value.messages
    assert any("第2行" in m and "重复" in m for m in messages)
    assert any("第3行" in m and "代码" in m for m in messages)
    assert any("第4行" in m and "名称" in m for m in messages)
    assert any("第4行" in m and "上级代码" in m for m in messages)
    assert any("第5行" in m and "100" in m for m in messages)
    rows = services.standard_rows_parse("A｜甲\nA1\t乙\tA")
    assert [(r["code"], r["parent_code"]) for r in rows] == [("A", ""), ("A1", "A")]
    assert services.standard_rows_parse(services.standard_rows_text(rows)) == rows


def test_standard_publish_adopt_merge_and_who_has(
    district, org, other_org, clerk, district_head, supervisor
):
    standard = make_standard(district, district_head)
    v1 = services.standard_publish(
        standard=standard, acting_user=district_head, note="首版", now=NOW
    )
    with pytest.raises(ValidationError, match="无需发布"):
        services.standard_publish(standard=standard, acting_user=district_head, note="x", now=NOW)
    # The town already has its own B01 with items in it, and a column of its own.
    own = CategoryFactory(organization=org, code="B01", name="救助", channels="村务公开栏")
    mine = CategoryFactory(organization=org, code="Z9", name="本镇特色")
    item = PublishedItemFactory(organization=org, category=own)
    adoption = services.standard_adopt(organization=org, version=v1, acting_user=clerk, now=NOW)
    assert (adoption.created, adoption.updated) == (2, 1)
    own.refresh_from_db()
    assert (own.name, own.content_elements, own.channels) == ("社会救助", "低保名单", "公示栏")
    assert own.parent.code == "B"
    item.refresh_from_db()
    assert item.category_id == own.pk  # items stay
    assert Category.objects.filter(pk=mine.pk).exists()  # the body's own nodes stay
    assert sel.catalogue_updated_at(org) == NOW
    with pytest.raises(ValidationError, match="已采用"):
        services.standard_adopt(organization=org, version=v1, acting_user=clerk, now=NOW)
    # Version 2; who has which.
    standard.draft_rows = services.standard_rows_parse(ROWS + "\nB03 | 养老服务 | B")
    standard.save()
    v2 = services.standard_publish(standard=standard, acting_user=district_head, note="加养老", now=LATER)  # fmt: skip
    rows = {r.organization.pk: r for r in sel.standard_adoption_rows(standard)}
    assert set(rows) == {org.pk, other_org.pk}  # towns below the district
    assert rows[org.pk].adoption.version == v1 and not rows[org.pk].up_to_date(v2.number)
    assert rows[other_org.pk].adoption is None
    services.standard_adopt(organization=org, version=v2, acting_user=clerk, now=LATER)
    rows = {r.organization.pk: r for r in sel.standard_adoption_rows(standard)}
    assert rows[org.pk].up_to_date(v2.number)
    assert CatalogueAdoption.objects.filter(organization=org).count() == 2
    assert sel.adoptions_of(org)[standard.pk].version == v2
    assert [s.pk for s in sel.standards_offered_to(org)] == [standard.pk]


def test_an_older_version_is_not_adopted_after_a_newer_one(
    district, org, clerk, district_head, client_for
):
    """Adopting v1 after v2 (an old tab, a replayed form) would put v1's text
    back while every page says the body is on v2."""
    standard = make_standard(district, district_head)
    v1 = services.standard_publish(standard=standard, acting_user=district_head, note="首版", now=NOW)  # fmt: skip
    standard.draft_rows = services.standard_rows_parse(
        ROWS.replace("社会救助", "社会救助（第二版）")
    )
    standard.save()
    v2 = services.standard_publish(standard=standard, acting_user=district_head, note="改名", now=LATER)  # fmt: skip
    services.standard_adopt(organization=org, version=v2, acting_user=clerk, now=LATER)
    with pytest.raises(ValidationError, match="已采用.*第2版.*不能再采用较早的第1版"):
        services.standard_adopt(organization=org, version=v1, acting_user=clerk, now=LATER)
    response = client_for(clerk).post(
        reverse("disclosure:standard_adopt", args=[v1.pk]), follow=True
    )
    assert "不能再采用较早的第1版" in response.content.decode()
    assert not CatalogueAdoption.objects.filter(organization=org, version=v1).exists()
    assert Category.objects.get(organization=org, code="B01").name == "社会救助（第二版）"


def test_adoption_keeps_the_bodys_overwritten_text(district, org, clerk, district_head, client_for):
    """The body's own text that the standard replaces is kept, per code and
    field, in the adoption's audit event, and the result names what changed."""
    standard = make_standard(district, district_head)
    version = services.standard_publish(
        standard=standard, acting_user=district_head, note="首版", now=NOW
    )
    CategoryFactory(organization=org, code="B", name="基层目录")
    own = CategoryFactory(
        organization=org,
        code="B01",
        name="救助",
        basis="本镇自定的公开依据",
        time_limit="5个工作日",
        channels="公示栏",
        content_elements="",
    )
    response = client_for(clerk).post(
        reverse("disclosure:standard_adopt", args=[version.pk]), follow=True
    )
    page = response.content.decode()
    assert "B01（名称、公开内容、公开依据、公开时限、上级类目）" in page
    event = AuditEvent.objects.get(verb="catalogue.adopt")
    changes = {(c["code"], c["field"]): (c["before"], c["after"]) for c in event.data["changes"]}
    assert changes == {
        ("B01", "name"): ("救助", "社会救助"),
        ("B01", "content_elements"): ("", "低保名单"),
        ("B01", "basis"): ("本镇自定的公开依据", "《社会救助暂行办法》"),
        ("B01", "time_limit"): ("5个工作日", "20个工作日"),
        ("B01", "parent"): ("", "B"),
    }  # 公开渠道 was already the same, B unchanged: not listed
    assert event.data["created_codes"] == ["B02"]
    assert "B01（名称、公开内容、公开依据、公开时限、上级类目）" in event.comment
    own.refresh_from_db()
    assert own.basis == "《社会救助暂行办法》"


def test_standard_permissions(district, org, clerk, district_head, supervisor, other_clerk):
    with pytest.raises(PermissionDenied):  # a town's clerk does not publish standards
        make_standard(org, clerk)
    with pytest.raises(PermissionDenied):  # the supervisor reads only
        make_standard(district, supervisor)
    standard = make_standard(district, district_head, level="department")
    version = services.standard_publish(
        standard=standard, acting_user=district_head, note="部门版", now=NOW
    )
    # Meant for departments: a town may not adopt it, and does not see it offered.
    assert sel.standards_offered_to(org) == []
    with pytest.raises(PermissionDenied):
        services.standard_adopt(organization=org, version=version, acting_user=clerk, now=NOW)
    # A body's standard is not offered to the body itself or to unrelated bodies.
    own = services.standard_save(
        publisher=org, acting_user=user_with_role(org, Role.ADMIN, username="town_admin"),
        standard=None, title="镇自用", target_level="", rows=services.standard_rows_parse("A|甲"),
    )  # fmt: skip
    head = user_with_role(org, Role.OFFICE_HEAD, username="town_head")
    own_version = services.standard_publish(standard=own, acting_user=head, note="v1", now=NOW)
    with pytest.raises(PermissionDenied):
        services.standard_adopt(organization=org, version=own_version, acting_user=clerk, now=NOW)


def test_standard_backoffice_pages(district, org, clerk, district_head, supervisor, client_for):
    head = client_for(district_head)
    # The built-in town template as a starting point.
    page = head.get(reverse("disclosure:standard_create") + "?template=town").content.decode()
    assert "B26 | 义务教育" in page
    response = head.post(
        reverse("disclosure:standard_create"),
        {"title": "乡镇标准目录", "target_level": "town", "rows": "B|目录\nB|重复"},
    )
    assert response.status_code == 200 and "重复" in response.content.decode()
    response = head.post(
        reverse("disclosure:standard_create"),
        {"title": "乡镇标准目录", "target_level": "town", "rows": ROWS},
    )
    standard = org.parent.standard_catalogues.get()
    assert response.status_code == 302
    detail = reverse("disclosure:standard_detail", args=[standard.pk])
    assert head.post(detail, {"note": "首版"}).status_code == 302
    version = standard.versions.get()
    # The town adopts from its page.
    town = client_for(clerk)
    page = town.get(reverse("disclosure:standards")).content.decode()
    assert "乡镇标准目录" in page and "采用第1版" in page
    assert town.get(detail).status_code == 404  # not the town's standard
    response = town.post(reverse("disclosure:standard_adopt", args=[version.pk]))
    assert response.status_code == 302
    assert CatalogueAdoption.objects.filter(organization=org, version=version).exists()
    # The supervisor sees who has adopted, and may not publish.
    page = client_for(supervisor).get(detail).content.decode()
    assert org.name in page and "已采用 1 个" in page and "发布新版本" not in page
    assert client_for(supervisor).post(detail, {"note": "x"}).status_code == 403
    assert town.post(reverse("disclosure:standard_create"), {"title": "x", "rows": "A|甲"}).status_code == 403  # fmt: skip


def test_register_form_offers_replacement(org, clerk, client_for):
    new = NormativeDocumentFactory(organization=org, title="新办法")
    old = NormativeDocumentFactory(organization=org, title="旧办法")
    c = client_for(clerk)
    response = c.post(
        reverse("disclosure:register_edit", args=[old.pk]),
        {
            "kind": "normative", "title": "旧办法", "document_number": "", "issued_on": "2024-05-01",
            "status": "abolished", "abolished_on": "2025-01-01", "replaced_by": new.pk, "note": "",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    old.refresh_from_db()
    assert old.replaced_by == new
    assert "新办法" in c.get(reverse("disclosure:register")).content.decode()
