"""Issue #9 item 2: numbers in the portal's query strings are ignored or refused
with 400, never a 500; an absurd stored date is served as it is."""

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.disclosure.models import Item

from .conftest import publish

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999999"


@pytest.fixture
def published(org):
    return publish(organization=org, title="关于春耕的通知", body="春耕生产。")


@pytest.mark.parametrize(
    "query",
    [
        {"q": "春耕", "year": HUGE},
        {"q": "春耕", "year": "-" + HUGE},
        {"q": "春耕", "page": HUGE},
        {"q": "春耕", "category": HUGE, "org": "test-town"},
        {"q": "春耕", "year": "9" * 5000},
        {"q": "春耕", "year": "2024", "page": "-3"},
    ],
)
def test_search_ignores_absurd_numbers(client, published, query):
    response = client.get(reverse("portal:search"), query)
    assert response.status_code == 200
    results = response.context["results"]
    assert [h.item.pk for h in results.hits] == [published.pk] or query.get("year") == "2024"


@pytest.mark.parametrize(
    ("path", "template"),
    [
        ("/test-town/items/?page=" + HUGE, "portal/item_list.html"),
        ("/test-town/catalogue/?page=" + HUGE, "portal/catalogue.html"),
        ("/test-town/interpretations/?page=" + HUGE, "portal/interpretations.html"),
        ("/screen/test-town/?advance=" + HUGE, "portal/screen.html"),
    ],
)
def test_portal_pages_ignore_absurd_numbers(client, published, path, template):
    # The page itself, served as if the number were absent — not a 404 page.
    response = client.get(path)
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]


def test_absurd_page_number_shows_the_last_page(client, published):
    response = client.get("/test-town/items/?page=" + HUGE)
    assert response.status_code == 200
    assert published.title in response.text


@pytest.mark.parametrize(
    "query",
    [{"page": HUGE}, {"page_size": HUGE}, {"category": HUGE}, {"page": "9" * 5000}],
)
def test_api_refuses_absurd_numbers_with_400(client, published, org, query):
    response = client.get(reverse("portal:api_items", args=[org.slug]), query)
    assert response.status_code == 400
    assert "error" in response.json()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/items/" + HUGE + "/",
        "/api/v1/organizations/test-town/reports/" + HUGE + "/",
        "/test-town/items/" + HUGE + "/",
        "/test-town/catalogue/" + HUGE + "/",
        "/test-town/reports/" + HUGE + "/",
    ],
)
def test_huge_numbers_in_the_path_are_404(client, published, path):
    assert client.get(path).status_code == 404


def test_api_and_item_page_serve_an_absurd_stored_date(client, published, org):
    Item.objects.filter(pk=published.pk).update(formed_on=dt.date(9999, 12, 31))
    data = client.get(reverse("portal:api_item", args=[published.pk])).json()
    assert data["formed_on"] == "9999-12-31"
    listing = client.get(reverse("portal:api_items", args=[org.slug])).json()
    assert listing["results"][0]["formed_on"] == "9999-12-31"
    page = client.get(reverse("portal:item", args=[org.slug, published.pk]))
    assert page.status_code == 200
