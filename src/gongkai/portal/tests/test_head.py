"""HEAD requests: link checkers, uptime monitors and proxies send them to public pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_public_pages_answer_head_like_get(world, org):
    urls = [
        "/",
        f"/{org.slug}/",
        reverse("portal:item", args=[org.slug, world["policy"].pk]),
        "/search/?q=低保",
        "/healthz",
    ]
    client = Client()
    for url in urls:
        get = client.get(url)
        head = client.head(url)
        assert get.status_code == 200, url
        assert head.status_code == 200, url
        assert head.content == b"", url


def test_head_does_not_open_post_only_or_unsafe_methods(org):
    response = Client().delete(f"/{org.slug}/")
    assert response.status_code == 405
