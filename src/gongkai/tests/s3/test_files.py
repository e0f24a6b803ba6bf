"""Uploads and letters stored in a real S3-compatible server, through the real views."""

import io
from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document

from gongkai.applications import services as applications
from gongkai.applications.tests.factories import receive
from gongkai.disclosure import services as disclosure
from gongkai.disclosure.models import Item
from gongkai.uploads import in_memory

from .conftest import bucket_keys

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + "公开内容".encode() * 4000 + b"\n%%EOF"  # ~48 KB: more than one read chunk


def test_attachment_goes_to_the_bucket_and_comes_back_through_the_views(
    s3_storage, s3_client, org, client_for, clerk, reviewer, approver
):
    client = client_for(clerk)
    response = client.post(
        reverse("disclosure:item_create"),
        {
            "title": "关于开展秋季防火的通知",
            "formed_on": "2024-10-08",
            "attribute": "proactive",
            "kind": "notice",
            "body_format": "plain",
            "body": "请各村做好防火工作。",
            "attachments": [in_memory(PDF, "防火须知.pdf")],
        },
    )
    assert response.status_code == 302
    item = Item.objects.get(title="关于开展秋季防火的通知")
    attachment = item.attachments.get()
    # Stored under the configured prefix, private, by the random name only.
    stored = bucket_keys(s3_client, s3_storage)
    assert stored == {f"site/{attachment.path}": PDF}
    assert "防火须知" not in attachment.path
    acl = s3_client.get_object_acl(Bucket=s3_storage, Key=f"site/{attachment.path}")
    assert not [g for g in acl["Grants"] if "AllUsers" in str(g.get("Grantee", {}))]

    download = client.get(reverse("disclosure:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Length"] == str(len(PDF))
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF

    item = disclosure.item_submit(item=item, acting_user=clerk)
    item = disclosure.item_review_pass(item=item, acting_user=reviewer)
    disclosure.item_approve(item=item, acting_user=approver, now=timezone.now())
    url = reverse("portal:attachment", args=[org.slug, item.pk, attachment.pk])
    anonymous = Client().get(url)
    assert anonymous.status_code == 200 and b"".join(anonymous.streaming_content) == PDF


def test_missing_object_is_a_404_not_an_error(s3_storage, s3_client, org, client_for, clerk):
    client = client_for(clerk)
    client.post(
        reverse("disclosure:item_create"),
        {
            "title": "附件被删除的信息",
            "formed_on": "2024-10-08",
            "attribute": "proactive",
            "kind": "notice",
            "body_format": "plain",
            "body": "正文",
            "attachments": [in_memory(b"text", "a.txt")],
        },
    )
    attachment = Item.objects.get(title="附件被删除的信息").attachments.get()
    s3_client.delete_object(Bucket=s3_storage, Key=f"site/{attachment.path}")
    response = client.get(reverse("disclosure:attachment_download", args=[attachment.pk]))
    assert response.status_code == 404


def test_letter_is_written_to_and_read_back_from_the_bucket(
    s3_storage, s3_client, org, clerk, client_for
):
    application = receive(org, user=clerk)
    applications.application_close(
        application=application,
        outcome="granted",
        reply_on=date(2024, 10, 18),
        acting_user=clerk,
        reasons="经审查作出本答复",
    )
    letter = application.letters.get(kind="granted")
    assert letter.file.name.startswith(f"letters/{org.pk}/2024/")
    key = f"site/{letter.file.name}"
    stored = bucket_keys(s3_client, s3_storage)
    assert key in stored
    assert "张三" in "\n".join(p.text for p in Document(io.BytesIO(stored[key])).paragraphs)

    response = client_for(clerk).get(
        reverse("applications:letter_download", args=[application.pk, letter.pk])
    )
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == stored[key]
    text = "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
    assert letter.reference in text and "第三十六条第（二）项" in text
    assert default_storage.exists(letter.file.name)
