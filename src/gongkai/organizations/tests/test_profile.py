"""organizations.profile: 机构概况, 政务新媒体, 公开制度 writes."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from gongkai.audit.models import AuditEvent
from gongkai.organizations import profile
from gongkai.organizations.factories import UnitFactory
from gongkai.organizations.models import Leader, NewMediaAccount, RuleDocument
from gongkai.uploads import in_memory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def png_bytes(size=(64, 64), trailer: bytes = b"") -> bytes:
    out = io.BytesIO()
    Image.new("L", size, color=255).save(out, format="PNG")
    return out.getvalue() + trailer


def test_profile_text_is_sanitised_and_audited(org, org_admin):
    profile.organization_update_profile(
        organization=org,
        acting_user=org_admin,
        functions="  负责本镇经济发展。\n负责社会事务。 ",
        rules_html='<h2>保密审查制度</h2><p onclick="x()">先审后发</p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">坏链接</a><a href="https://example.gov.cn/">好链接</a>',
        now=NOW,
    )
    org.refresh_from_db()
    assert org.functions == "负责本镇经济发展。\n负责社会事务。"
    assert "<h2>保密审查制度</h2>" in org.rules_html
    assert "script" not in org.rules_html and "onclick" not in org.rules_html
    assert "javascript:" not in org.rules_html
    assert 'rel="noopener noreferrer"' in org.rules_html
    event = AuditEvent.objects.get(verb="organization.profile_update")
    assert set(event.data["changed"]) == {"functions", "rules_html"}


def test_only_the_bodys_admin_writes(org, other_org, clerk, org_admin):
    with pytest.raises(PermissionDenied):
        profile.organization_update_profile(
            organization=org, acting_user=clerk, functions="x", rules_html="", now=NOW
        )
    with pytest.raises(PermissionDenied):  # an admin of one body, not of the other
        profile.leader_save(
            organization=other_org,
            acting_user=org_admin,
            leader=None,
            name="张三",
            title="镇长",
            duties="",
            order=0,
            now=NOW,
        )
    foreign = Leader.objects.create(organization=other_org, name="李四", title="镇长")
    with pytest.raises(PermissionDenied):  # another body's row through one's own body
        profile.leader_save(
            organization=org,
            acting_user=org_admin,
            leader=foreign,
            name="王五",
            title="副镇长",
            duties="",
            order=0,
            now=NOW,
        )
    foreign.refresh_from_db()
    assert foreign.name == "李四"


def test_leader_requires_name_and_title(org, org_admin):
    with pytest.raises(ValidationError) as exc:
        profile.leader_save(
            organization=org,
            acting_user=org_admin,
            leader=None,
            name=" ",
            title="",
            duties="",
            order=0,
            now=NOW,
        )
    assert set(exc.value.message_dict) == {"name", "title"}
    assert not Leader.objects.exists()


def test_unit_public_fields(org, other_org, org_admin):
    unit = UnitFactory(organization=org, name="党政办公室")
    profile.unit_update_public(
        unit=unit,
        organization=org,
        acting_user=org_admin,
        duties="负责文电、会务。",
        phone="0999-1",
        order=2,
        is_public=True,
        now=NOW,
    )
    unit.refresh_from_db()
    assert (unit.duties, unit.phone, unit.order) == ("负责文电、会务。", "0999-1", 2)
    foreign = UnitFactory(organization=other_org, name="财政所")
    with pytest.raises(PermissionDenied):
        profile.unit_update_public(
            unit=foreign,
            organization=org,
            acting_user=org_admin,
            duties="x",
            phone="",
            order=0,
            is_public=True,
            now=NOW,
        )


def _account(org, user, **kwargs):
    values = {
        "organization": org,
        "acting_user": user,
        "account": None,
        "name": "甘河滩发布",
        "platform": "wechat",
        "account_id": "ganhetan_fb",
        "order": 0,
        "now": NOW,
    }
    values.update(kwargs)
    return profile.new_media_save(**values)


def test_qr_is_reencoded_as_a_plain_png(org, org_admin):
    upload = in_memory(png_bytes(size=(2000, 1000), trailer=b"<script>alert(1)</script>"), "qr.png")
    account = _account(org, org_admin, qr_file=upload)
    assert account.qr_path.endswith(".png")
    with default_storage.open(account.qr_path, "rb") as handle:
        stored = handle.read()
    assert b"<script>" not in stored  # the trailer was not kept
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG"
        assert max(image.size) <= profile.QR_MAX_SIDE
    assert AuditEvent.objects.filter(verb="newmedia.create").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("qr.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "出于安全原因"),
        ("qr.png", b"GIF89a not a png", "文件内容与扩展名"),
        ("qr.pdf", b"%PDF-1.4", "不支持"),
        ("qr.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "无法读取二维码图片"),
    ],
)
def test_bad_qr_is_refused_and_nothing_is_written(org, org_admin, name, content, message):
    with pytest.raises(ValidationError) as exc:
        _account(org, org_admin, qr_file=in_memory(content, name))
    assert message in " ".join(exc.value.messages)
    assert not NewMediaAccount.objects.exists()


def test_replacing_and_removing_the_qr_deletes_the_old_file(
    org, org_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        account = _account(org, org_admin, qr_file=in_memory(png_bytes(), "a.png"))
    first = account.qr_path
    with django_capture_on_commit_callbacks(execute=True):
        account = _account(
            org, org_admin, account=account, qr_file=in_memory(png_bytes((80, 80)), "b.png")
        )
    assert account.qr_path != first
    assert not default_storage.exists(first)
    second = account.qr_path
    with django_capture_on_commit_callbacks(execute=True):
        account = _account(org, org_admin, account=account, remove_qr=True)
    assert account.qr_path == ""
    assert not default_storage.exists(second)


def test_unknown_platform_is_refused(org, org_admin):
    with pytest.raises(ValidationError):
        _account(org, org_admin, platform="myspace")


def test_rule_document_upload_checked(org, org_admin, clerk):
    document = profile.rule_document_add(
        organization=org,
        acting_user=org_admin,
        title="政府信息公开保密审查制度",
        document_number="甘政发〔2024〕1号",
        issued_on=None,
        order=0,
        file=in_memory(b"%PDF-1.4 rules", "保密审查制度.pdf"),
        now=NOW,
    )
    assert document.kind == "pdf" and document.original_name == "保密审查制度.pdf"
    assert default_storage.exists(document.path)
    with pytest.raises(ValidationError):
        profile.rule_document_add(
            organization=org,
            acting_user=org_admin,
            title="坏文件",
            document_number="",
            issued_on=None,
            order=0,
            file=in_memory(b"<html>", "x.html"),
            now=NOW,
        )
    with pytest.raises(PermissionDenied):
        profile.rule_document_add(
            organization=org,
            acting_user=clerk,
            title="x",
            document_number="",
            issued_on=None,
            order=0,
            file=in_memory(b"%PDF-1.4", "x.pdf"),
            now=NOW,
        )
    assert RuleDocument.objects.count() == 1
