"""送达: the answer, the documents released with it, and the applicant's e-delivery.

The clerk attaches the files released with the answer (条例第三十六条第（二）项,
第四十条); the applicant downloads the letters and those files from the portal's
status page after the tracking code + last-four-digits check, through signed
links that expire (``GONGKAI_DELIVERY_LINK_HOURS``).  Every download is counted
on the application's :class:`~.models.DeliveryRecord`.

The service date (decision D65): the 条例 has no rule on electronic service.
民事诉讼法第九十条 counts electronic service as made when the document reaches
the recipient's own system; a status page is the body's system, so the answer
reaches the applicant when they fetch it.  Where the applicant chose
electronic delivery (``Delivery.ONLINE`` / ``Delivery.EMAIL``) the day of the
first download of the answer letter or a released document, after the
application is answered, is therefore recorded as the date of service — once,
a later download never moves it.  For every other way (and for an e-mail the
clerk sent and can prove) the clerk records the date by hand.  The service
date starts the applicant's periods to appeal (行政复议法第二十条: 60 days;
行政诉讼法第四十六条: 6 months); the reply date that the 20 working days of
条例第三十三条 measure stays ``Application.reply_on``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from gongkai import privacy
from gongkai.audit.services import audit_record
from gongkai.bounds import date_in_range
from gongkai.core.errors import Forbidden, Invalid
from gongkai.disclosure.extract import extract_text
from gongkai.disclosure.notices import published_contacts
from gongkai.disclosure.services import ATTACHMENT_KINDS
from gongkai.uploads import store_checked_upload

from .letters import OUTCOME_GROUP_KIND, download_name
from .models import (
    Application,
    Delivery,
    DeliveryRecord,
    Letter,
    LetterKind,
    ReleasedDocument,
)
from .permissions import can_handle
from .selectors import normalize_tracking_code, phone_last4_matches

# Released documents are checked exactly like disclosure attachments.
RELEASED_KINDS = ATTACHMENT_KINDS
DEFAULT_LINK_HOURS = 24
SALT = "gongkai.applications.delivery"
# The applicant chose to receive the answer electronically (条例第二十九条第二款第（三）项).
ELECTRONIC = frozenset({Delivery.ONLINE, Delivery.EMAIL})
# The 告知书 that answer the application (one per outcome group).
ANSWER_LETTER_KINDS = frozenset(OUTCOME_GROUP_KIND.values())
# Letters addressed to the applicant; the 征求意见函 go to third parties and
# other bodies and never appear on the applicant's page (条例第三十二条、第三十四条).
APPLICANT_LETTER_KINDS = frozenset(LetterKind.values) - {
    LetterKind.CONSULT_THIRD_PARTY,
    LetterKind.CONSULT_OTHER_BODY,
}
LETTER = "letter"
DOCUMENT = "doc"


def link_hours() -> int:
    """How long a download link works (``GONGKAI_DELIVERY_LINK_HOURS``, default 24)."""
    return int(getattr(settings, "GONGKAI_DELIVERY_LINK_HOURS", DEFAULT_LINK_HOURS))


def is_electronic(method: str) -> bool:
    return method in ELECTRONIC


# --- signed links -------------------------------------------------------------------


class LinkInvalid(Exception):
    """A token that was not made here, was altered, or names nothing (404)."""


class LinkExpired(Exception):
    """A genuine token older than the link lifetime (410)."""


@dataclass(frozen=True)
class DownloadTarget:
    application_id: int
    what: str  # LETTER or DOCUMENT
    pk: int


def link_token(target: DownloadTarget) -> str:
    """A URL-safe token naming one file of one application, signed and time-stamped."""
    return signing.dumps([target.application_id, target.what, target.pk], salt=SALT)


def read_link_token(token: str) -> DownloadTarget:
    try:
        value = signing.loads(token, salt=SALT, max_age=dt.timedelta(hours=link_hours()))
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    if (
        not isinstance(value, list)
        or len(value) != 3
        or not isinstance(value[0], int)
        or value[1] not in (LETTER, DOCUMENT)
        or not isinstance(value[2], int)
    ):
        raise LinkInvalid
    return DownloadTarget(application_id=value[0], what=value[1], pk=value[2])


# --- what the applicant sees ----------------------------------------------------------


@dataclass(frozen=True)
class PublicDocument:
    title: str
    detail: str  # 文号 and date, or the file's size
    token: str
    is_answer: bool


@dataclass(frozen=True)
class PublicDelivery:
    """The applicant's files and the service date — only for the right tracking
    code and digits; nothing internal (no staff, no third-party letters)."""

    letters: tuple[PublicDocument, ...]
    documents: tuple[PublicDocument, ...]
    electronic: bool
    method_label: str
    served_on: dt.date | None
    served_by_download: bool
    link_hours: int

    @property
    def empty(self) -> bool:
        return not self.letters and not self.documents


def _size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def delivery_for_public(*, tracking_code: str, phone_last4: str) -> PublicDelivery | None:
    """The download links for the applicant behind ``tracking_code``, if the last
    four digits of the phone number match (checked here again, so no caller
    can list links without them).  Released documents appear once answered."""
    code = normalize_tracking_code(tracking_code)
    application = Application.objects.filter(tracking_code=code).first() if code else None
    phone = application.phone if application is not None else None
    if not phone_last4_matches(phone, phone_last4) or application is None:
        return None
    letters = tuple(
        PublicDocument(
            title=letter.title,
            detail=f"{letter.reference}，{letter.issued_on:%Y-%m-%d}",
            token=link_token(DownloadTarget(application.pk, LETTER, letter.pk)),
            is_answer=letter.kind in ANSWER_LETTER_KINDS,
        )
        for letter in application.letters.filter(kind__in=APPLICANT_LETTER_KINDS).order_by(
            "issued_on", "pk"
        )
    )
    documents: tuple[PublicDocument, ...] = ()
    if application.is_closed:
        documents = tuple(
            PublicDocument(
                title=doc.original_name,
                detail=_size_label(doc.size),
                token=link_token(DownloadTarget(application.pk, DOCUMENT, doc.pk)),
                is_answer=True,
            )
            for doc in application.released_documents.order_by("uploaded_at", "pk")
        )
    record = DeliveryRecord.objects.filter(application=application).first()
    method = record.method if record is not None else application.delivery
    return PublicDelivery(
        letters=letters,
        documents=documents,
        electronic=is_electronic(method),
        method_label=Delivery(method).label,
        served_on=record.served_on if record is not None else None,
        served_by_download=bool(record and record.served_by_download),
        link_hours=link_hours(),
    )


# --- the download ----------------------------------------------------------------------


@dataclass(frozen=True)
class DownloadFile:
    application: Application
    path: str  # name in the default storage
    filename: str  # the name the applicant sees
    title: str
    is_answer: bool


def download_resolve(target: DownloadTarget) -> DownloadFile:
    """The file a valid token names; LinkInvalid when it no longer exists or is
    not the applicant's (a third-party letter, a document before the answer)."""
    application = (
        Application.objects.select_related("organization").filter(pk=target.application_id).first()
    )
    if application is None:
        raise LinkInvalid
    if target.what == LETTER:
        letter = (
            Letter.objects.select_related("application")
            .filter(pk=target.pk, application=application, kind__in=APPLICANT_LETTER_KINDS)
            .first()
        )
        if letter is None:
            raise LinkInvalid
        return DownloadFile(
            application=application,
            path=letter.file.name,
            filename=download_name(letter),
            title=letter.title,
            is_answer=letter.kind in ANSWER_LETTER_KINDS,
        )
    document = ReleasedDocument.objects.filter(pk=target.pk, application=application).first()
    if document is None or not application.is_closed:
        raise LinkInvalid
    return DownloadFile(
        application=application,
        path=document.path,
        filename=document.original_name,
        title=document.original_name,
        is_answer=True,
    )


def _record_for(application: Application) -> DeliveryRecord:
    record, _ = DeliveryRecord.objects.select_for_update().get_or_create(
        application=application, defaults={"method": application.delivery}
    )
    return record


@transaction.atomic
def delivery_record_download(*, file: DownloadFile, now: dt.datetime) -> DeliveryRecord:
    """Count one download by the applicant; the first download of the answer (the
    letter or a released document) after the application is answered is the
    date of service when the applicant chose electronic delivery (D65).  A
    service date once recorded is never moved."""
    application = Application.objects.select_for_update().get(pk=file.application.pk)
    organization = file.application.organization  # loaded with the file, not locked
    record = _record_for(application)
    record.download_count += 1
    record.first_downloaded_at = record.first_downloaded_at or now
    record.last_downloaded_at = now
    serves = (
        file.is_answer
        and application.is_closed
        and record.served_on is None
        and is_electronic(record.method)
    )
    if serves:
        record.served_on = timezone.localdate(now)
        record.served_at = now
        record.served_by_download = True
    record.save()
    audit_record(
        actor=None,
        organization=organization,
        verb="application.delivery_download",
        obj=application,
        data={"file": file.title, "count": record.download_count},
        at=now,
    )
    if serves:
        audit_record(
            actor=None,
            organization=organization,
            verb="application.served",
            obj=application,
            data={
                "method": record.method,
                "served_on": record.served_on.isoformat(),
                "by_download": True,
                "file": file.title,
            },
            at=now,
        )
    return record


# --- the clerk's side --------------------------------------------------------------------


def _require_handler(user, application: Application) -> None:
    if not can_handle(user, application):
        raise Forbidden("您没有办理该申请的权限（监督岗位只能查看）。")


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def privacy_summary(text: str, *, application: Application) -> list[dict]:
    """What the personal-data scanner finds, by label and count (never the values).
    The body's published contacts and the applicant's own phone and address
    are not findings: the applicant may receive their own data."""
    allow = [
        *published_contacts(application.organization),
        *(v for v in (application.phone, application.address) if v),
    ]
    counts = Counter(hit.label for hit in privacy.scan(text or "", allow=allow))
    return [{"label": label, "count": n} for label, n in sorted(counts.items())]


def _discard(paths: list[str]) -> None:
    for path in paths:
        default_storage.delete(path)


def _require_unserved(application: Application) -> None:
    """What was served is fixed: after service no file is added or removed (a
    later supplement is a new answer with its own service)."""
    record = DeliveryRecord.objects.filter(application=application).first()
    if record is not None and record.served_on is not None:
        raise Invalid(
            f"答复已于{record.served_on:%Y-%m-%d}送达，随答复提供的文件是送达内容的一部分，"
            "不能再增加或删除。",
            code="released_after_service",
        )


@transaction.atomic
def released_document_add(
    *, application: Application, files, acting_user, now: dt.datetime
) -> list[ReleasedDocument]:
    """Store the files released with the answer (each checked once, as for a
    disclosure attachment) and scan their text for personal data.  All or none:
    one refused file stores nothing."""
    _require_handler(acting_user, application)
    application = _lock(application)
    if not application.is_held:
        raise Invalid("本机关签收后才能办理该申请。", code="not_held")
    _require_unserved(application)
    if not files:
        raise Invalid("请选择要上传的文件。", code="no_files")
    added: list[ReleasedDocument] = []
    stored: list[str] = []
    try:
        for file in files:
            path, checked = store_checked_upload(
                file,
                organization=application.organization,
                subdir="released",
                allowed=RELEASED_KINDS,
            )
            stored.append(path)
            file.seek(0)
            text = extract_text(file.read(), checked.kind)
            file.seek(0)
            added.append(
                ReleasedDocument.objects.create(
                    application=application,
                    path=path,
                    original_name=checked.original_name[:255],
                    kind=checked.kind,
                    size=checked.size,
                    privacy_hits=privacy_summary(text, application=application),
                    uploaded_by=acting_user,
                    uploaded_at=now,
                )
            )
    except Exception:
        _discard(stored)
        raise
    audit_record(
        actor=acting_user,
        organization=application.organization,
        verb="application.release_document",
        obj=application,
        data={"files": [d.original_name for d in added]},
        at=now,
    )
    return added


@transaction.atomic
def released_document_remove(*, document: ReleasedDocument, acting_user, now: dt.datetime) -> None:
    """Remove a file attached by mistake — only before service: once the answer
    is served the files are part of what was served."""
    _require_handler(acting_user, document.application)
    application = _lock(document.application)
    _require_unserved(application)
    path, name = document.path, document.original_name
    document.delete()
    transaction.on_commit(lambda: default_storage.delete(path))
    audit_record(
        actor=acting_user,
        organization=application.organization,
        verb="application.release_document_remove",
        obj=application,
        data={"file": name},
        at=now,
    )


@transaction.atomic
def delivery_record_service(
    *,
    application: Application,
    method: str,
    served_on: dt.date,
    note: str,
    acting_user,
    now: dt.datetime,
) -> DeliveryRecord:
    """The clerk records how and when the answer was served (e.g. the 签收 date
    of a registered letter, the day the applicant collected it).  Only after
    the answer, not before the reply date, not in the future, and only once."""
    _require_handler(acting_user, application)
    application = _lock(application)
    if method not in Delivery.values:
        raise Invalid({"method": ["请选择送达方式。"]})
    if method == Delivery.ONLINE:
        # D65: online delivery is served the day the applicant first downloads
        # the answer, recorded by the download itself, never typed in.
        raise Invalid(
            {"method": ["网上获取以申请人首次下载答复之日为送达日期，由系统记录，不能手工登记。"]}
        )
    if method == Delivery.EMAIL and not note.strip():
        raise Invalid(
            {"note": ["以电子邮件送达的，请写明发送记录（发送时间、收件地址）作为送达凭证。"]}
        )
    if not application.is_closed:
        raise Invalid("申请尚未答复办结，不能登记送达。", code="not_answered")
    if not date_in_range(served_on):
        raise Invalid({"served_on": ["送达日期有误。"]})
    if served_on < application.reply_on:
        raise Invalid(
            {"served_on": [f"送达日期不能早于答复日期（{application.reply_on:%Y-%m-%d}）。"]}
        )
    if served_on > timezone.localdate(now):
        raise Invalid({"served_on": ["送达日期不能晚于今天。"]})
    record = _record_for(application)
    if record.served_on is not None:
        raise Invalid(
            f"本件已于{record.served_on:%Y-%m-%d}送达（{record.get_method_display()}），不能重复登记。",
            code="already_served",
        )
    record.method = method
    record.served_on = served_on
    record.served_at = None
    record.served_by_download = False
    record.recorded_by = acting_user
    record.note = note
    record.save()
    audit_record(
        actor=acting_user,
        organization=application.organization,
        verb="application.serve_record",
        obj=application,
        data={"method": method, "served_on": served_on.isoformat(), "note": note},
        at=now,
    )
    return record


@dataclass(frozen=True)
class BackofficeDelivery:
    record: DeliveryRecord | None
    method_label: str  # the way the service is (to be) made
    electronic: bool
    documents: list[ReleasedDocument]
    privacy_warning: bool


def delivery_for_backoffice(application: Application) -> BackofficeDelivery:
    record = DeliveryRecord.objects.filter(application=application).first()
    method = record.method if record is not None else application.delivery
    documents = list(application.released_documents.select_related("uploaded_by"))
    return BackofficeDelivery(
        record=record,
        method_label=Delivery(method).label,
        electronic=is_electronic(method),
        documents=documents,
        privacy_warning=any(d.privacy_hits for d in documents),
    )
