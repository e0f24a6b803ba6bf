"""Issue #9 item 2: absurd dates are refused on the way in (forms, imports) and,
when one is already stored, shown as wrong instead of taking a page down."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from gongkai.disclosure import imports, selectors, services
from gongkai.disclosure.models import Item
from gongkai.uploads import in_memory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2024, 6, 1, 10, 0, tzinfo=dt.UTC)
ABSURD = dt.date(9999, 12, 31)


def test_item_form_refuses_9999_12_31_through_the_view(client_for, clerk, item_data):
    data = {
        **item_data,
        "formed_on": "9999-12-31",
        "attribute": "proactive",
        "body_format": "plain",
    }
    response = client_for(clerk).post(reverse("disclosure:item_create"), data)
    assert response.status_code == 200
    assert "超出合理范围" in response.content.decode()
    assert not Item.objects.exists()


@pytest.mark.parametrize("absurd", [ABSURD, dt.date(1, 1, 1)])
@time_machine.travel(NOW, tick=False)
def test_stored_absurd_formed_on_is_shown_as_wrong(
    draft, published, org, client_for, clerk, absurd
):
    """Before: the deadline (year 10000) raised ValueError — dashboard, timeliness
    page and item page answered 500 for the whole body."""
    Item.objects.filter(pk__in=[draft.pk, published.pk]).update(formed_on=absurd)
    client = client_for(clerk)
    for url in (
        reverse("organizations:dashboard"),
        reverse("disclosure:timeliness"),
        reverse("disclosure:item_detail", args=[draft.pk]),
        reverse("disclosure:item_detail", args=[published.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "日期有误" in response.content.decode(), url


@time_machine.travel(NOW, tick=False)
def test_timeliness_lists_items_with_a_wrong_date(draft, org):
    Item.objects.filter(pk=draft.pk).update(formed_on=ABSURD)
    draft.refresh_from_db()
    assert selectors.publication_deadline(draft) is None
    assert not selectors.publication_late(draft, NOW.date())
    rows = selectors.timeliness_rows(org, NOW.date())
    assert [(r.item.pk, r.state) for r in rows] == [(draft.pk, "bad_date")]
    assert rows[0].state_label == "日期有误"
    # The supervisor's count of late items does not count a wrong date as late.
    assert selectors.late_items(org, NOW.date()) == []


HEADER = "标题,形成日期,公示期开始,公示期结束,公开日期"


@pytest.mark.parametrize(
    "text",
    ["99999999999999999999-1-1", "9999-12-31", "0001-01-01", "2024-1-1-1", "1" * 500 + "-1-1"],
)
def test_import_refuses_absurd_dates_row_by_row(org, office_head, text):
    content = f"{HEADER}\n好的一行,{text},,,\n".encode()
    report = imports.dry_run(
        organization=org, kind="items", content=content, file_kind="csv", acting_user=office_head
    )
    assert not report.ok
    assert any("形成日期" in e for e in report.rows[0].errors), report.rows[0].errors


def test_import_page_with_an_absurd_date_is_a_report_not_a_500(org, client_for, clerk):
    client = client_for(clerk)
    content = f"{HEADER}\n好的一行,99999999999999999999-1-1,,,\n".encode()
    response = client.post(
        reverse("disclosure:import_upload"), {"kind": "items", "file": in_memory(content, "a.csv")}
    )
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "第2行" in page.content.decode() and "形成日期" in page.content.decode()


@time_machine.travel(NOW, tick=False)
def test_import_accepts_the_edges_of_the_range(org, office_head):
    content = f"{HEADER}\n最早,1949-10-01,,,\n最晚,2099-12-31,,,\n".encode()
    report = imports.dry_run(
        organization=org, kind="items", content=content, file_kind="csv", acting_user=office_head
    )
    assert report.ok, [r.errors for r in report.rows]


def test_services_still_work_for_normal_dates(org, clerk, item_data):
    item = services.item_create(organization=org, acting_user=clerk, data=item_data)
    assert selectors.publication_deadline(item) is not None
