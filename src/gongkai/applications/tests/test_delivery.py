"""送达 and the files released with the answer (applications.delivery, decision D65)."""

from __future__ import annotations

import datetime as dt
from datetime import date

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import delivery, services
from gongkai.applications.models import DeliveryRecord, LetterKind, ReleasedDocument
from gongkai.audit.models import AuditEvent
from gongkai.core.audit_verbs import describe
from gongkai.core.errors import Forbidden
from gongkai.uploads import UploadRejected, in_memory

from .factories import receive

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + "补助资金发放情况".encode() * 50 + b"\n%%EOF"
THIRD_PARTY_TEXT = "发放名单：李四，联系电话13912345678。申请人电话13800001234。".encode()


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def answered(org, clerk, *, way="online", close=True, **kw):
    a = receive(org, user=clerk, delivery=way, phone="13800001234", **kw)
    if close:
        a = services.application_close(
            application=a,
            outcome="granted",
            reply_on=date(2024, 10, 18),
            acting_user=clerk,
            reasons="经审查予以公开",
        )
    return a


def stored_files(prefix: str) -> list[str]:
    if not default_storage.exists(prefix):
        return []
    dirs, files = default_storage.listdir(prefix)
    return [f"{prefix}/{f}" for f in files] + [
        f for d in dirs for f in stored_files(f"{prefix}/{d}")
    ]


def add(application, clerk, *files):
    return delivery.released_document_add(
        application=application,
        files=list(files) or [in_memory(PDF, "发放情况.pdf")],
        acting_user=clerk,
        now=timezone.now(),
    )


def download(application, what="letter", pk=None, *, now=None):
    if pk is None:
        pk = application.letters.get(kind=LetterKind.GRANTED).pk
    target = delivery.read_link_token(
        delivery.link_token(delivery.DownloadTarget(application.pk, what, pk))
    )
    file = delivery.download_resolve(target)
    return delivery.delivery_record_download(file=file, now=now or timezone.now())


# --- links ----------------------------------------------------------------------------


def test_link_token_round_trip_tamper_and_expiry(settings):
    settings.GONGKAI_DELIVERY_LINK_HOURS = 2
    target = delivery.DownloadTarget(7, delivery.DOCUMENT, 9)
    with time_machine.travel("2025-03-03 09:00 +0800", tick=False) as clock:
        token = delivery.link_token(target)
        assert delivery.read_link_token(token) == target
        # Another signature, another salt, another shape: all refused as invalid.
        for bad in (
            token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
            signing.dumps([7, "doc", 9], salt="other"),
            signing.dumps([7, "secret", 9], salt=delivery.SALT),
            signing.dumps({"a": 7}, salt=delivery.SALT),
            "nonsense",
        ):
            with pytest.raises(delivery.LinkInvalid):
                delivery.read_link_token(bad)
        clock.shift(dt.timedelta(hours=1, minutes=59))
        assert delivery.read_link_token(token) == target
        clock.shift(dt.timedelta(minutes=2))
        with pytest.raises(delivery.LinkExpired):
            delivery.read_link_token(token)


# --- the clerk's files ------------------------------------------------------------------


def test_released_documents_are_checked_stored_and_scanned(org, clerk):
    a = answered(org, clerk, close=False)
    pdf, txt = add(
        a, clerk, in_memory(PDF, "发放情况.pdf"), in_memory(THIRD_PARTY_TEXT, "名单.txt")
    )
    assert (pdf.kind, pdf.size, pdf.privacy_hits) == ("pdf", len(PDF), [])
    assert default_storage.exists(pdf.path) and "发放情况" not in pdf.path
    # A third party's mobile number is flagged; the applicant's own is not.
    assert txt.privacy_hits == [{"label": "手机号码", "count": 1}]
    event = AuditEvent.objects.get(verb="application.release_document")
    assert event.data["files"] == ["发放情况.pdf", "名单.txt"]
    assert describe(event).label == "上传提供的政府信息"


def test_one_refused_file_stores_nothing(org, clerk):
    a = answered(org, clerk, close=False)
    with pytest.raises(UploadRejected, match="不接受 .html"):
        add(a, clerk, in_memory(PDF, "好.pdf"), in_memory(b"<html></html>", "坏.html"))
    assert not ReleasedDocument.objects.exists()
    assert stored_files(f"{org.pk}/released") == []
    with pytest.raises(UploadRejected, match="内容与扩展名"):
        add(a, clerk, in_memory(b"not a pdf", "假.pdf"))


def test_supervisor_cannot_release_or_record(org, clerk, supervisor):
    a = answered(org, clerk)
    with pytest.raises(Forbidden):
        add(a, supervisor)
    with pytest.raises(Forbidden):
        delivery.delivery_record_service(
            application=a,
            method="mail",
            served_on=date(2024, 10, 20),
            note="",
            acting_user=supervisor,
            now=timezone.now(),
        )


def test_released_files_are_fixed_once_served(org, clerk, django_capture_on_commit_callbacks):
    a = answered(org, clerk, close=False)
    (doc,) = add(a, clerk)
    with django_capture_on_commit_callbacks(execute=True):
        delivery.released_document_remove(document=doc, acting_user=clerk, now=timezone.now())
    assert not ReleasedDocument.objects.exists() and not default_storage.exists(doc.path)
    (doc,) = add(a, clerk)
    services.application_close(
        application=a, outcome="granted", reply_on=date(2024, 10, 18), acting_user=clerk
    )
    (extra,) = add(a, clerk)  # answered, not yet served: still being put together
    with django_capture_on_commit_callbacks(execute=True):
        delivery.released_document_remove(document=extra, acting_user=clerk, now=timezone.now())
    download(a, now=timezone.make_aware(dt.datetime(2024, 10, 21, 9, 0)))  # served
    with pytest.raises(ValidationError, match="不能再增加或删除"):
        delivery.released_document_remove(document=doc, acting_user=clerk, now=timezone.now())
    with pytest.raises(ValidationError, match="不能再增加或删除"):
        add(a, clerk)
    assert default_storage.exists(doc.path) and a.released_documents.count() == 1


def test_online_service_is_never_typed_in_and_email_needs_its_proof(org, clerk):
    a = answered(org, clerk, way="online")
    for method, note, message in [
        ("online", "", "由系统记录"),
        ("email", "  ", "发送记录"),
    ]:
        with pytest.raises(ValidationError, match=message):
            delivery.delivery_record_service(
                application=a,
                method=method,
                served_on=date(2024, 10, 18),
                note=note,
                acting_user=clerk,
                now=timezone.now(),
            )
    record = delivery.delivery_record_service(
        application=a,
        method="email",
        served_on=date(2024, 10, 18),
        note="2024-10-18 10:02 发至 zhangsan@example.org",
        acting_user=clerk,
        now=timezone.now(),
    )
    assert record.served_on == date(2024, 10, 18) and not record.served_by_download


# --- what the applicant sees ----------------------------------------------------------------


def test_public_listing_needs_the_digits_and_hides_third_party_letters(org, clerk):
    a = answered(org, clerk, close=False)
    add(a, clerk)
    services.application_consult(
        application=a,
        kind="third_party_consulted",
        on=date(2024, 9, 30),
        party="某某公司",
        acting_user=clerk,
    )
    assert a.letters.filter(kind=LetterKind.CONSULT_THIRD_PARTY).exists()
    assert delivery.delivery_for_public(tracking_code=a.tracking_code, phone_last4="0000") is None
    assert delivery.delivery_for_public(tracking_code="NOPE", phone_last4="1234") is None
    files = delivery.delivery_for_public(tracking_code=a.tracking_code.lower(), phone_last4="1234")
    titles = [f.title for f in files.letters]
    assert "征求第三方意见函" not in "".join(titles)
    assert any("征求意见告知书" in t for t in titles)  # the applicant's own notice
    assert files.documents == ()  # not before the answer
    services.application_record_consultation_answer(
        application=a, on=date(2024, 10, 8), acting_user=clerk
    )
    services.application_close(
        application=a, outcome="granted", reply_on=date(2024, 10, 18), acting_user=clerk
    )
    files = delivery.delivery_for_public(tracking_code=a.tracking_code, phone_last4="1234")
    assert [f.title for f in files.documents] == ["发放情况.pdf"]
    assert [f.is_answer for f in files.letters][-1] is True
    assert files.electronic and files.served_on is None
    # A third-party letter's id in a genuine token still leads nowhere.
    third = a.letters.get(kind=LetterKind.CONSULT_THIRD_PARTY)
    with pytest.raises(delivery.LinkInvalid):
        delivery.download_resolve(delivery.DownloadTarget(a.pk, delivery.LETTER, third.pk))


def test_document_of_an_open_application_is_not_handed_out(org, clerk):
    a = answered(org, clerk, close=False)
    (doc,) = add(a, clerk)
    with pytest.raises(delivery.LinkInvalid):
        delivery.download_resolve(delivery.DownloadTarget(a.pk, delivery.DOCUMENT, doc.pk))
    with pytest.raises(delivery.LinkInvalid):
        delivery.download_resolve(delivery.DownloadTarget(a.pk + 999, delivery.DOCUMENT, doc.pk))


# --- the service date ---------------------------------------------------------------------


@pytest.mark.parametrize("way", ["online", "email"])
def test_first_download_is_the_service_date_and_is_never_moved(org, clerk, way):
    a = answered(org, clerk, way=way)
    (doc,) = add(a, clerk)
    first = timezone.make_aware(dt.datetime(2024, 10, 21, 23, 30))
    record = download(a, now=first)
    assert (record.served_on, record.served_at, record.served_by_download) == (
        date(2024, 10, 21),
        first,
        True,
    )
    later = timezone.make_aware(dt.datetime(2024, 10, 25, 9, 0))
    record = download(a, delivery.DOCUMENT, doc.pk, now=later)
    assert record.served_on == date(2024, 10, 21) and record.served_at == first
    assert record.download_count == 2 and record.last_downloaded_at == later
    assert AuditEvent.objects.filter(verb="application.delivery_download").count() == 2
    served = AuditEvent.objects.get(verb="application.served")
    assert served.data["served_on"] == "2024-10-21" and served.actor is None
    assert describe(served).label == "送达（申请人首次下载）"
    with pytest.raises(ValidationError, match="已于2024-10-21送达"):
        delivery.delivery_record_service(
            application=a,
            method="mail",
            served_on=date(2024, 10, 22),
            note="",
            acting_user=clerk,
            now=timezone.now(),
        )


def test_download_serves_nothing_for_paper_ways_or_before_the_answer(org, clerk):
    by_mail = answered(org, clerk, way="mail")
    record = download(by_mail)
    assert record.download_count == 1 and record.served_on is None
    assert not AuditEvent.objects.filter(verb="application.served").exists()

    pending = receive(org, user=clerk, delivery="online", phone="13800001234")
    services.application_request_correction(
        application=pending,
        on=date(2024, 9, 30),
        until=date(2024, 10, 15),
        what="请写明年份",
        acting_user=clerk,
    )
    letter = pending.letters.get(kind=LetterKind.CORRECTION)
    record = download(pending, pk=letter.pk)
    assert record.download_count == 1 and record.served_on is None


def test_clerk_records_service_once_within_sane_dates(org, clerk):
    open_one = answered(org, clerk, way="mail", close=False)

    def record(a, on, **kw):
        return delivery.delivery_record_service(
            application=a,
            method=kw.get("method", "mail"),
            served_on=on,
            note=kw.get("note", ""),
            acting_user=clerk,
            now=timezone.make_aware(dt.datetime(2024, 11, 1, 10, 0)),
        )

    with pytest.raises(ValidationError, match="尚未答复办结"):
        record(open_one, date(2024, 10, 20))
    a = answered(org, clerk, way="mail")
    with pytest.raises(ValidationError, match="不能早于答复日期"):
        record(a, date(2024, 10, 17))
    with pytest.raises(ValidationError, match="不能晚于今天"):
        record(a, date(2024, 11, 2))
    with pytest.raises(ValidationError, match="送达方式"):
        record(a, date(2024, 10, 20), method="pigeon")
    saved = record(a, date(2024, 10, 21), note="挂号信 XA123 本人签收")
    assert (saved.method, saved.served_on, saved.recorded_by, saved.served_by_download) == (
        "mail",
        date(2024, 10, 21),
        clerk,
        False,
    )
    with pytest.raises(ValidationError, match="不能重复登记"):
        record(a, date(2024, 10, 22))
    # A later download by the applicant leaves the recorded date alone.
    assert download(a).served_on == date(2024, 10, 21)
    assert DeliveryRecord.objects.get(application=a).download_count == 1
    assert describe(AuditEvent.objects.get(verb="application.serve_record")).label == "登记送达"


# --- the back office --------------------------------------------------------------------------


def test_detail_page_upload_and_service_record(org, clerk, client_for):
    a = answered(org, clerk, way="mail", close=False)
    client = client_for(clerk)
    page = client.get(a.get_absolute_url()).content.decode()
    assert "送达与提供的政府信息" in page and "答复办结后送达" in page
    response = client.post(
        reverse("applications:released_upload", args=[a.pk]),
        {"release-files": [in_memory(THIRD_PARTY_TEXT, "名单.txt")]},
    )
    assert response.status_code == 302 and response["Location"].endswith("#delivery")
    page = client.get(response["Location"]).content.decode()
    assert "名单.txt" in page and "疑似个人信息：手机号码1处" in page and "条例第十五条" in page
    doc = ReleasedDocument.objects.get()
    staff = client.get(reverse("applications:released_download", args=[a.pk, doc.pk]))
    assert staff.status_code == 200 and b"".join(staff.streaming_content) == THIRD_PARTY_TEXT
    # A refused file: a Chinese message, nothing stored.
    response = client.post(
        reverse("applications:released_upload", args=[a.pk]),
        {"release-files": [in_memory(b"MZ\x90\x00", "run.exe")]},
        follow=True,
    )
    assert "不接受 .exe" in response.content.decode()
    assert ReleasedDocument.objects.count() == 1
    services.application_close(
        application=a, outcome="granted", reply_on=date(2024, 10, 18), acting_user=clerk
    )
    response = client.post(
        reverse("applications:delivery_record", args=[a.pk]),
        {"service-method": "mail", "service-served_on": "2024-10-22", "service-note": "本人签收"},
        follow=True,
    )
    page = response.content.decode()
    assert "已登记送达（2024-10-22）" in page and "2024-10-22" in page and "本人签收" in page
    assert "登记送达</button>" not in page  # once only


def test_supervisor_sees_the_record_but_cannot_act(org, clerk, supervisor, client_for):
    a = answered(org, clerk)
    add(a, clerk)
    client = client_for(supervisor)
    page = client.get(a.get_absolute_url()).content.decode()
    assert "发放情况.pdf" in page and 'name="release-files"' not in page
    doc = ReleasedDocument.objects.get()
    assert (
        client.get(reverse("applications:released_download", args=[a.pk, doc.pk])).status_code
        == 403
    )
    response = client.post(
        reverse("applications:released_upload", args=[a.pk]),
        {"release-files": [in_memory(PDF, "x.pdf")]},
    )
    assert response.status_code == 403


def test_other_body_cannot_reach_the_files(org, clerk, other_clerk, client_for):
    a = answered(org, clerk)
    (doc,) = add(a, clerk)
    client = client_for(other_clerk)
    assert (
        client.get(reverse("applications:released_download", args=[a.pk, doc.pk])).status_code
        == 404
    )
    response = client.post(
        reverse("applications:delivery_record", args=[a.pk]),
        {"service-method": "mail", "service-served_on": "2024-10-22"},
    )
    assert response.status_code == 404
