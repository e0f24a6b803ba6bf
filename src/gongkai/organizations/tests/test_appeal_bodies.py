"""Where a body's applicants appeal (issue #9 item 8): the 行政复议机关 derived
from the hierarchy by 行政复议法（2023年修订）第二十四条 unless recorded, and the
court, which is never guessed."""

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.organizations.factories import OrganizationFactory
from gongkai.organizations.models import Organization

pytestmark = pytest.mark.django_db

Level = Organization.Level


def make(level, parent=None, name=None):
    return OrganizationFactory(level=level, parent=parent, **({"name": name} if name else {}))


def test_town_and_county_department_go_to_the_county_government():
    county = make(Level.COUNTY, name="河湾区人民政府")
    town = make(Level.TOWN, county)
    bureau = make(Level.DEPARTMENT, county, name="河湾区民政局")
    # 第二十四条第一款第（二）项 (下一级人民政府) / 第（三）项 (派出机关: 街道).
    name, basis = town.default_reconsideration_body()
    assert name == "河湾区人民政府" and "第二十四条第一款第（二）项" in basis
    # 第二十四条第一款第（一）项: the county government's own departments.
    name, basis = bureau.default_reconsideration_body()
    assert name == "河湾区人民政府" and "第二十四条第一款第（一）项" in basis
    assert town.effective_reconsideration_body() == "河湾区人民政府"


def test_county_government_goes_one_level_up():
    province = make(Level.PROVINCE, name="某某省人民政府")
    city = make(Level.CITY, province, name="某某市人民政府")
    county = make(Level.COUNTY, city, name="某某区人民政府")
    name, basis = county.default_reconsideration_body()
    assert name == "某某市人民政府" and "第二十四条第一款第（二）项" in basis
    assert city.default_reconsideration_body()[0] == "某某省人民政府"
    # 第二十四条第二款: a province government also hears its own acts.
    name, basis = province.default_reconsideration_body()
    assert name == "某某省人民政府" and "第二十四条第二款" in basis


def test_no_guess_where_the_hierarchy_does_not_tell():
    county = make(Level.COUNTY)  # no parent recorded
    assert county.default_reconsideration_body() is None
    assert county.effective_reconsideration_body() == ""
    bureau = make(Level.DEPARTMENT, county)
    office = make(Level.DEPARTMENT, bureau)  # under a department, not a government
    assert office.default_reconsideration_body() is None


def test_recorded_body_wins():
    county = make(Level.COUNTY, name="河湾区人民政府")
    tax = make(Level.DEPARTMENT, county, name="河湾区税务局")
    # 第二十七条: vertical leadership goes to the higher department.
    tax.reconsideration_body = "某某市税务局"
    assert tax.effective_reconsideration_body() == "某某市税务局"


def test_admin_records_the_appeal_bodies(client_for, org_admin, org, district):
    client = client_for(org_admin)
    page = client.get("/backoffice/settings/office/").text
    # The form says what letters will name when the field is left blank.
    assert "行政复议机关" in page and "管辖法院" in page
    assert "留空时告知书写“测试区人民政府”" in page
    data = {
        "short_name": "",
        "credit_code": "",
        "office_name": "党政办",
        "office_address": "新地址 8 号",
        "office_hours": "",
        "office_phone": "",
        "office_fax": "",
        "office_email": "",
        "office_postcode": "",
        "office_website": "",
        "reconsideration_body": "测试区人民政府",
        "court": " 测试区人民法院 ",
    }
    assert client.post("/backoffice/settings/office/", data).status_code == 302
    org.refresh_from_db()
    assert org.reconsideration_body == "测试区人民政府"
    assert org.court == "测试区人民法院"
    event = AuditEvent.objects.filter(verb="organization.update").latest("pk")
    assert "court" in event.data["changed"]


def test_demo_bodies_record_where_to_appeal():
    from gongkai.demo import load_demo

    load_demo()
    for org in Organization.objects.all():
        assert org.effective_reconsideration_body(), org.name
        assert org.court.endswith("人民法院"), org.name
