"""The demo's 机构概况, 政务新媒体 and 公开制度 (issue #11 points 7, 8, 10)."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from docx import Document
from PIL import Image

from gongkai import demo
from gongkai.audit.models import AuditEvent
from gongkai.organizations.models import Leader, NewMediaAccount, RuleDocument, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(monkeypatch, local_files):
    monkeypatch.setattr(demo, "DEMO_APPS", ("organizations",))
    return demo.load_demo()


def test_three_bodies_have_a_profile_new_media_and_rules(ctx):
    for org in (ctx.district, ctx.ganhetan, ctx.minzheng):
        org.refresh_from_db()
        assert org.functions and "<h3>一、主动公开</h3>" in org.rules_html, org.slug
        assert "<script" not in org.rules_html
        leaders = Leader.objects.filter(organization=org)
        assert leaders.count() >= 2 and all(leader.duties for leader in leaders)
        units = Unit.objects.filter(organization=org, is_public=True)
        assert units.count() >= 2 and all(u.duties and u.phone.startswith("0999-") for u in units)
        # The QR code was made here, stored through the service as a real PNG
        # that Pillow reads (the service re-encodes every upload).
        account = NewMediaAccount.objects.get(organization=org)
        with Image.open(default_storage.open(account.qr_path)) as image:
            assert image.format == "PNG" and image.width <= 800
        rule = RuleDocument.objects.get(organization=org)
        with default_storage.open(rule.path) as stored:
            text = "\n".join(p.text for p in Document(stored).paragraphs)
        assert rule.title in text and org.name in text
    # 柳林镇 has none of it: its pages show the statute's baseline instead.
    assert not Leader.objects.filter(organization=ctx.liulin).exists()
    # Each body's administrator did it, audited.
    actors = set(
        AuditEvent.objects.filter(verb="leader.create").values_list("actor__username", flat=True)
    )
    assert actors == {"hewan_admin", "ganhetan_admin", "minzheng_admin"}
