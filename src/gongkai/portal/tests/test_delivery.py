"""电子送达 on the status page: links only after the check, expiring, rate-limited,
never cached, and the first download recorded as the date of service (D65)."""

from __future__ import annotations

import datetime as dt
import re
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from gongkai.applications import delivery, services
from gongkai.applications.models import DeliveryRecord
from gongkai.applications.tests.factories import receive
from gongkai.uploads import in_memory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + "补助资金发放情况".encode() * 50 + b"\n%%EOF"
LINK_RE = re.compile(r'href="(/status/download/[^"]+/)"')


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def answered(org, clerk):
    a = receive(org, user=clerk, delivery="online", phone="138-0000-1234")
    delivery.released_document_add(
        application=a,
        files=[in_memory(PDF, "发放情况.pdf")],
        acting_user=clerk,
        now=timezone.now(),
    )
    return services.application_close(
        application=a,
        outcome="granted",
        reply_on=date(2024, 10, 18),
        acting_user=clerk,
        reasons="经审查予以公开",
    )


def look_up(client, application, digits="1234"):
    return client.post(
        "/status/", {"tracking_code": application.tracking_code, "phone_last4": digits}
    )


def links(response) -> list[str]:
    return LINK_RE.findall(response.content.decode())


def test_no_links_without_the_right_digits_and_page_never_cached(answered):
    client = Client()
    page = client.get("/status/")
    assert "status/download" not in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    wrong = look_up(client, answered, "4321")
    html = wrong.content.decode()
    assert "没有找到对应的申请" in html and "status/download" not in html
    assert "发放情况.pdf" not in html and not links(wrong)
    right = look_up(client, answered)
    html = right.content.decode()
    assert right.status_code == 200
    assert "private" in right["Cache-Control"] and "no-store" in right["Cache-Control"]
    assert len(links(right)) == 2  # the 答复告知书 and the released PDF
    assert "答复告知书（予以公开）" in html and "发放情况.pdf" in html and "24小时内有效" in html
    assert "首次下载答复告知书或提供的文件之日，即为答复送达之日" in html
    for personal in ("张三", "13800001234", "110101199003070011", "zhangsan@example.org"):
        assert personal not in html


def test_download_streams_privately_and_records_service_once(
    answered, django_assert_max_num_queries
):
    first_day = "2024-10-21 20:00 +0800"
    with time_machine.travel(first_day, tick=False):
        letter_url, doc_url = links(look_up(Client(), answered))
        with django_assert_max_num_queries(12):
            response = Client().get(doc_url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF
    record = DeliveryRecord.objects.get(application=answered)
    assert record.served_on == date(2024, 10, 21) and record.download_count == 1
    with time_machine.travel("2024-10-23 09:00 +0800", tick=False):
        letter_url, _ = links(look_up(Client(), answered))
        response = Client().get(letter_url)
        assert response.status_code == 200 and b"".join(response.streaming_content)
        html = look_up(Client(), answered).content.decode()
    record.refresh_from_db()
    assert record.served_on == date(2024, 10, 21) and record.download_count == 2
    assert "送达日期" in html and "2024年10月21日（电子送达，您首次下载答复之日）" in html


def test_expired_link_is_410_in_chinese(answered, settings):
    settings.GONGKAI_DELIVERY_LINK_HOURS = 1
    with time_machine.travel("2024-10-21 09:00 +0800", tick=True) as clock:
        (url, _) = links(look_up(Client(), answered))
        clock.shift(dt.timedelta(minutes=61))
        response = Client().get(url)
    assert response.status_code == 410
    assert "链接已过期，请重新查询" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert not DeliveryRecord.objects.filter(application=answered).exists()


def test_tampered_or_foreign_token_is_404(answered, org, clerk):
    (url, _) = links(look_up(Client(), answered))
    token = url.split("/")[-2]
    tampered = f"/status/download/{token[:-3]}xyz/"
    response = Client().get(tampered)
    assert response.status_code == 404 and "下载链接无效" in response.content.decode()
    assert Client().get("/status/download/abc/").status_code == 404
    # A genuine signature on a target that is not the applicant's file.
    other = receive(org, user=clerk, delivery="online")
    forged = delivery.link_token(delivery.DownloadTarget(other.pk, delivery.DOCUMENT, 1))
    assert Client().get(f"/status/download/{forged}/").status_code == 404
    assert not DeliveryRecord.objects.exists()


def test_downloads_are_rate_limited_and_head_is_not_a_download(answered, settings):
    settings.GONGKAI_RATE_LIMITS = {**settings.GONGKAI_RATE_LIMITS, "download": (2, 600)}
    (url, _) = links(look_up(Client(), answered))
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert client.head(url).status_code == 405
    assert not DeliveryRecord.objects.exists()
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    limited = client.get(url)
    assert limited.status_code == 429 and limited["Retry-After"]
    assert DeliveryRecord.objects.get(application=answered).download_count == 2
    # Another address has its own allowance.
    assert Client(REMOTE_ADDR="203.0.113.10").get(url).status_code == 200


def test_missing_file_is_404_and_not_recorded(answered):
    from django.core.files.storage import default_storage

    doc = answered.released_documents.get()
    default_storage.delete(doc.path)
    (_, url) = links(look_up(Client(), answered))
    assert Client().get(url).status_code == 404
    assert not DeliveryRecord.objects.exists()
