"""电子送达 with the files in a real S3-compatible server: the clerk's upload goes
to the bucket, the applicant's signed link streams it back (decision D65)."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import services
from gongkai.applications.models import DeliveryRecord, ReleasedDocument
from gongkai.applications.tests.factories import receive
from gongkai.uploads import in_memory

from .conftest import bucket_keys

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + "公开内容".encode() * 4000 + b"\n%%EOF"  # ~48 KB: more than one read chunk


def test_released_document_round_trip_through_the_bucket(
    s3_storage, s3_client, org, clerk, client_for
):
    application = receive(org, user=clerk, delivery="online", phone="13800001234")
    response = client_for(clerk).post(
        reverse("applications:released_upload", args=[application.pk]),
        {"release-files": [in_memory(PDF, "补助名单.pdf")]},
    )
    assert response.status_code == 302
    doc = ReleasedDocument.objects.get()
    assert bucket_keys(s3_client, s3_storage)[f"site/{doc.path}"] == PDF
    services.application_close(
        application=application,
        outcome="granted",
        reply_on=date(2024, 10, 18),
        acting_user=clerk,
        now=timezone.now(),
    )
    page = Client().post(
        "/status/", {"tracking_code": application.tracking_code, "phone_last4": "1234"}
    )
    urls = re.findall(r'href="(/status/download/[^"]+/)"', page.content.decode())
    assert len(urls) == 2
    # The letter (generated into the bucket at closing) and the released file.
    letter = Client().get(urls[0])
    assert letter.status_code == 200 and b"".join(letter.streaming_content).startswith(b"PK")
    download = Client().get(urls[1])
    assert download.status_code == 200
    assert download["Content-Length"] == str(len(PDF))
    assert "no-store" in download["Cache-Control"]
    assert b"".join(download.streaming_content) == PDF
    record = DeliveryRecord.objects.get(application=application)
    assert record.download_count == 2 and record.served_on == timezone.localdate()
